import type { ReportPeriod } from '../../generated/graphql.ts';
import { addDays, periodOf } from '../shared/periods.ts';
import type { DateRange } from './summary.ts';

/**
 * Report periods on the user's calendar: the ISO week or month of a day, the last complete
 * one, and when the scheduled run owes a user their report. Expense dates are local days, so
 * only "now" needs the timezone.
 */
export type { ReportPeriod } from '../../generated/graphql.ts';

/** The ISO week (Monday to Sunday) or calendar month containing `date`, as a from/to range. */
export function reportPeriodOf(period: ReportPeriod, date: string): DateRange {
  const { start, end } = periodOf(period, date);
  return { from: start, to: end };
}

/** The week or month before the one containing `today`: the last one that is over. */
export function lastCompletePeriod(period: ReportPeriod, today: string): DateRange {
  return reportPeriodOf(period, addDays(reportPeriodOf(period, today).from, -1));
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** The local calendar day and minutes since local midnight in `timezone` at `now`; UTC for an unknown zone. */
export function localTimeIn(timezone: string, now: Date): { date: string; minutes: number } {
  let clock = clocks.get(timezone);
  if (!clock) {
    try {
      clock = localTimeFormat(timezone);
    } catch {
      // Profiles are checked loosely by the resolvers: an unknown zone reads as UTC rather than failing the run.
      clock = localTimeFormat('UTC');
    }
    clocks.set(timezone, clock);
  }
  const part = Object.fromEntries(clock.formatToParts(now).map((p) => [p.type, p.value]));
  return { date: `${part.year}-${part.month}-${part.day}`, minutes: Number(part.hour) * 60 + Number(part.minute) };
}

function localTimeFormat(timezone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** Reports go out from 07:00 local time: a morning email, not one at midnight. */
export const SEND_FROM_MINUTES = 7 * 60;

/**
 * The period a scheduled run owes a user at `now`, or null: on Monday (weekly) or the 1st
 * (monthly) in the user's timezone, from 07:00 to midnight, the last complete week or month.
 * The schedule fires hourly, so every timezone (UTC−12 to UTC+14, DST days, :30 and :45
 * offsets) has about 17 runs in that window: a failed or unfinished send is retried by the
 * next one, and the per-period claim makes sure only one of them sends.
 */
export function scheduledPeriodDue(period: ReportPeriod, timezone: string, now: Date): DateRange | null {
  const local = localTimeIn(timezone || 'UTC', now);
  if (local.date !== reportPeriodOf(period, local.date).from || local.minutes < SEND_FROM_MINUTES) return null;
  return lastCompletePeriod(period, local.date);
}
