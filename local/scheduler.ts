import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEDULE_RUN_ID_FIELD } from '../model/telemetry.ts';
import { SCHEDULES, type ScheduleDefinition } from '../infra/schedules.ts';
import type { LocalLambda } from './lambda.ts';

/**
 * EventBridge Scheduler, locally: the schedules of infra/schedules.ts sent, with the same
 * payloads plus the run's id (as EventBridge adds its execution id, infra/constructs/processing.ts),
 * to the functions whose catalog triggers name them. `rate(N minutes|hours|days)` and six-field
 * `cron(min hour day-of-month month day-of-week year)` in UTC, checked every few seconds.
 *
 * Last runs are kept in DATA_DIR/schedules.json, so a run that fell due while the process was
 * down is made up once at start (a week of missed reports is one run; the functions are
 * idempotent). Rates run at every start: the sweep then picks up what a crash left.
 */
export interface LocalScheduler {
  stop(): void;
}

export interface LocalSchedulerOptions {
  /** Where schedules.json is kept. */
  dataDir: string;
  /** Default: every schedule of infra/schedules.ts. */
  schedules?: Readonly<Partial<typeof SCHEDULES>>;
  /** How often schedules are checked. */
  checkEveryMs?: number;
}

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// A cron that fires at all fires within a year (or its year field is over): no need to look further back.
const CATCH_UP_LIMIT_MS = 366 * 24 * HOUR;

function fieldMatches(field: string, value: number, names: string[] = []): boolean {
  if (field === '*' || field === '?') return true;
  return field.split(',').some((part) => {
    const [range, step] = part.split('/');
    const toNumber = (s: string) =>
      names.includes(s.toUpperCase()) ? names.indexOf(s.toUpperCase()) + (names === DAY_NAMES ? 1 : 0) : Number(s);
    const [low, high] =
      range === '*'
        ? [0, Number.MAX_SAFE_INTEGER]
        : range.includes('-')
          ? range.split('-').map(toNumber)
          : [toNumber(range), step ? Number.MAX_SAFE_INTEGER : toNumber(range)];
    return value >= low && value <= high && (value - low) % Number(step ?? 1) === 0;
  });
}

function cronFields(expression: string) {
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = expression
    .replace(/^cron\(|\)$/g, '')
    .trim()
    .split(/\s+/);
  return {
    minute: (at: Date) => fieldMatches(minute, at.getUTCMinutes()),
    // Everything but the minute: whether the cron may fire in the hour of `at`.
    hour: (at: Date) =>
      fieldMatches(hour, at.getUTCHours()) &&
      fieldMatches(dayOfMonth, at.getUTCDate()) &&
      fieldMatches(month, at.getUTCMonth() + 1) &&
      // EventBridge numbers days of the week 1 (SUN) to 7 (SAT).
      fieldMatches(dayOfWeek, at.getUTCDay() + 1, DAY_NAMES) &&
      fieldMatches(year ?? '*', at.getUTCFullYear()),
  };
}

/** Whether a six-field EventBridge cron expression fires in the minute of `at` (UTC). */
export function cronMatches(expression: string, at: Date): boolean {
  const cron = cronFields(expression);
  return cron.hour(at) && cron.minute(at);
}

/** The period of a `rate(...)` expression in ms, or null for a cron expression. */
export function rateMs(expression: string): number | null {
  const match = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return null;
  const unit = match[2].startsWith('minute') ? MINUTE : match[2].startsWith('hour') ? HOUR : 24 * HOUR;
  return Number(match[1]) * unit;
}

/** The latest minute after `after` and at or before `upTo` in which the cron fires, or null. */
export function lastCronFiring(expression: string, after: Date, upTo: Date): Date | null {
  const cron = cronFields(expression);
  const from = Math.max(after.getTime() + 1, upTo.getTime() - CATCH_UP_LIMIT_MS);
  // Hour by hour, newest first, and minutes only inside hours the cron may fire in.
  for (let hour = Math.floor(upTo.getTime() / HOUR) * HOUR; hour + HOUR > from; hour -= HOUR) {
    if (!cron.hour(new Date(hour))) continue;
    for (let minute = hour + 59 * MINUTE; minute >= hour; minute -= MINUTE) {
      if (minute > upTo.getTime() || minute < from) continue;
      if (cron.minute(new Date(minute))) return new Date(minute);
    }
  }
  return null;
}

/** Whether a schedule owes a run at `now`, given its last run (or when it was first seen). */
export function runOwed(expression: string, since: Date, now: Date): boolean {
  const every = rateMs(expression);
  return every !== null ? now.getTime() - since.getTime() >= every : lastCronFiring(expression, since, now) !== null;
}

type Trigger = keyof typeof SCHEDULES;

export function startLocalScheduler(
  lambda: LocalLambda,
  log: (line: string) => void,
  options: LocalSchedulerOptions,
): LocalScheduler {
  const schedules = options.schedules ?? SCHEDULES;
  const stateFile = path.join(options.dataDir, 'schedules.json');
  // By schedule name: its last run, or when it was first seen (runs due after that are owed).
  const since = readState(stateFile, log);
  const save = () => {
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(since, null, 2));
    renameSync(`${stateFile}.tmp`, stateFile);
  };

  const all = (Object.entries(schedules) as Array<[Trigger, readonly ScheduleDefinition[]]>).flatMap(
    ([trigger, list]) => list.map((schedule) => ({ trigger, schedule })),
  );
  const startedAt = new Date().toISOString();
  for (const { schedule } of all) {
    // A cron first seen now owes nothing yet; a rate never run runs now.
    if (!since[schedule.name] && rateMs(schedule.expression) === null) since[schedule.name] = startedAt;
  }

  const fire = (trigger: Trigger, schedule: ScheduleDefinition, now: Date) => {
    since[schedule.name] = now.toISOString();
    const payload = { ...schedule.payload, [SCHEDULE_RUN_ID_FIELD]: randomUUID() };
    for (const fn of lambda.triggered(trigger)) {
      lambda
        .invoke(fn.name, payload, 'Event')
        .catch((error: Error) => log(`schedule ${schedule.name} → ${fn.name} failed: ${error.message}`));
    }
  };
  const check = (atStart = false) => {
    const now = new Date();
    let fired = false;
    for (const { trigger, schedule } of all) {
      const last = since[schedule.name];
      // Rates (the sweep) also run at every start: a start may follow a crash, whose
      // unfinished receipts the sweep takes over at once.
      const startRun = atStart && rateMs(schedule.expression) !== null;
      if (last && !startRun && !runOwed(schedule.expression, new Date(last), now)) continue;
      fire(trigger, schedule, now);
      fired = true;
    }
    if (fired) save();
  };

  check(true);
  save();
  const timer = setInterval(check, options.checkEveryMs ?? 10_000).unref();
  return { stop: () => clearInterval(timer) };
}

function readState(file: string, log: (line: string) => void): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const state = JSON.parse(text) as unknown;
    if (
      state &&
      typeof state === 'object' &&
      Object.values(state).every((v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)))
    )
      return state as Record<string, string>;
  } catch {
    // Reported below.
  }
  log(`${file} is not a schedule state; starting afresh`);
  return {};
}
