/**
 * Calendar periods on local days. An expense's `date` is the calendar day printed on the
 * receipt (the user's local day), so membership is a comparison of YYYY-MM-DD strings; only
 * "today" needs the user's timezone.
 */
export type PeriodKind = 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface DayRange {
  /** First day, inclusive (YYYY-MM-DD). */
  start: string;
  /** Last day, inclusive. */
  end: string;
}

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (0 when equal). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The ISO week (Monday to Sunday), calendar month or calendar year containing `date`. */
export function periodOf(kind: PeriodKind, date: string): DayRange {
  if (kind === 'WEEKLY') {
    const mondayOffset = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
    const start = addDays(date, -mondayOffset);
    return { start, end: addDays(start, 6) };
  }
  if (kind === 'YEARLY') return { start: `${date.slice(0, 4)}-01-01`, end: `${date.slice(0, 4)}-12-31` };
  const nextMonth = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 1))
    .toISOString()
    .slice(0, 10);
  return { start: `${date.slice(0, 7)}-01`, end: addDays(nextMonth, -1) };
}

/** The period right before the one starting on `start`. */
export function previousPeriodOf(kind: PeriodKind, start: string): DayRange {
  return periodOf(kind, addDays(start, -1));
}

/** The calendar day it is in `timezone` at `now` (en-CA formats as YYYY-MM-DD). */
export function todayIn(timezone: string, now: Date): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    // An unknown zone (profiles are checked loosely by the resolvers): UTC rather than failing.
    return now.toISOString().slice(0, 10);
  }
}

/** Whether the runtime knows the IANA zone (todayIn falls back to UTC for one it does not). */
export function isKnownTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
