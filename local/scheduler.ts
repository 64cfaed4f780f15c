import { SCHEDULES, type ScheduleDefinition } from '../infra/schedules.ts';
import type { LocalLambda } from './lambda.ts';

/**
 * EventBridge Scheduler, locally: the schedules of infra/schedules.ts sent, with the same
 * payloads, to the functions whose catalog triggers name them. `rate(N minutes|hours)` and
 * six-field `cron(min hour day-of-month month day-of-week year)` in UTC, checked once a minute.
 * Sweep-like schedules (rates) also run once at start, so work left by a crash is picked up
 * at once (receipts stuck in UPLOADED/PROCESSING).
 */
export interface LocalScheduler {
  stop(): void;
}

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function fieldMatches(field: string, value: number, names: string[] = []): boolean {
  if (field === '*' || field === '?') return true;
  return field.split(',').some((part) => {
    const [range, step] = part.split('/');
    const toNumber = (s: string) => (names.includes(s.toUpperCase()) ? names.indexOf(s.toUpperCase()) + (names === DAY_NAMES ? 1 : 0) : Number(s));
    const [low, high] = range === '*' ? [0, Number.MAX_SAFE_INTEGER] : range.includes('-') ? range.split('-').map(toNumber) : [toNumber(range), step ? Number.MAX_SAFE_INTEGER : toNumber(range)];
    return value >= low && value <= high && (value - low) % Number(step ?? 1) === 0;
  });
}

/** Whether a six-field EventBridge cron expression fires in the minute of `at` (UTC). */
export function cronMatches(expression: string, at: Date): boolean {
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = expression.replace(/^cron\(|\)$/g, '').trim().split(/\s+/);
  // EventBridge numbers days of the week 1 (SUN) to 7 (SAT).
  return (
    fieldMatches(minute, at.getUTCMinutes()) &&
    fieldMatches(hour, at.getUTCHours()) &&
    fieldMatches(dayOfMonth, at.getUTCDate()) &&
    fieldMatches(month, at.getUTCMonth() + 1) &&
    fieldMatches(dayOfWeek, at.getUTCDay() + 1, DAY_NAMES) &&
    fieldMatches(year ?? '*', at.getUTCFullYear())
  );
}

/** The period of a `rate(...)` expression in ms, or null for a cron expression. */
export function rateMs(expression: string): number | null {
  const match = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return null;
  const unit = match[2].startsWith('minute') ? 60_000 : match[2].startsWith('hour') ? 3_600_000 : 86_400_000;
  return Number(match[1]) * unit;
}

export function startLocalScheduler(lambda: LocalLambda, log: (line: string) => void, schedules = SCHEDULES): LocalScheduler {
  const timers: NodeJS.Timeout[] = [];
  const fire = (trigger: keyof typeof SCHEDULES, schedule: ScheduleDefinition) => {
    for (const fn of lambda.triggered(trigger)) {
      lambda.invoke(fn.name, schedule.payload, 'Event').catch((error: Error) => log(`schedule ${schedule.name} → ${fn.name} failed: ${error.message}`));
    }
  };
  const crons: Array<[keyof typeof SCHEDULES, ScheduleDefinition]> = [];
  for (const [trigger, list] of Object.entries(schedules) as Array<[keyof typeof SCHEDULES, readonly ScheduleDefinition[]]>) {
    for (const schedule of list) {
      const every = rateMs(schedule.expression);
      if (every === null) {
        crons.push([trigger, schedule]);
        continue;
      }
      fire(trigger, schedule);
      timers.push(setInterval(() => fire(trigger, schedule), every).unref());
    }
  }
  if (crons.length) {
    let lastMinute = Math.floor(Date.now() / 60_000);
    timers.push(
      setInterval(() => {
        const minute = Math.floor(Date.now() / 60_000);
        if (minute === lastMinute) return;
        lastMinute = minute;
        for (const [trigger, schedule] of crons) if (cronMatches(schedule.expression, new Date(minute * 60_000))) fire(trigger, schedule);
      }, 10_000).unref(),
    );
  }
  return { stop: () => timers.forEach(clearInterval) };
}
