import type { Category } from '../generated/graphql.ts';

/**
 * Recurring charges (subscriptions, regular bills): the calendar arithmetic of a cadence and the
 * Recurring table's items. Shared by RecurringFn (functions/recurring) and the tests; plain
 * TypeScript on YYYY-MM-DD strings, no Date parsing of local time, so every runtime agrees.
 */

/** How often a recurring charge comes (the schema's RecurringCadence). */
export type RecurringCadence = 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/**
 * Where in its period a charge falls: the weekday for WEEKLY (`day` 0..6, Monday 0), the day of
 * the month (1..31) for MONTHLY and YEARLY, the month (1..12) for YEARLY. A monthly charge anchored on the 31st falls on the last day of the
 * shorter months (30 April, 28 or 29 February) and back on the 31st after them.
 */
export interface CadenceAnchor {
  day: number;
  month: number;
}

/** Index of the Recurring table the daily check reads: rules by the day they are due (`due_on`). */
export const RECURRING_DUE_INDEX = 'due-index';

/** Sort-key prefixes of the Recurring table (user_id, rule_id). */
export const RULE_PREFIX = 'RULE#';
export const DISMISSED_PREFIX = 'DISMISSED#';

/** Confirmed rules a user may have: what one read of their rules (RecurringFn's, a budget's forecast) holds at most. */
export const MAX_RULES = 100;

/** A confirmed recurring rule, as stored (rule_id = RULE_PREFIX + id). */
export type RecurringRuleItem = {
  user_id: string;
  rule_id: string;
  /** The candidate id it was confirmed from: `<cadence>#<currency>#<merchant key>`. */
  id: string;
  name: string;
  merchant: string;
  merchantKey: string;
  currency: string;
  cadence: RecurringCadence;
  /** Expected amount per charge, integer minor units. */
  amount: number;
  /** A charge whose amount is within this percentage of `amount` is one of the rule's. */
  tolerancePercent: number;
  anchorDay: number;
  anchorMonth: number;
  /** The latest charge when it was confirmed (later ones are found in the expenses). */
  lastDate: string;
  /**
   * The category of the series' latest charge when it was confirmed: the category budgets that
   * count the rule's charges to come in their forecast (all-spending budgets count every rule).
   * The latest charge's, because a merchant's expenses are categorized alike (the user's own
   * corrections first, then the same brands and keywords), so its next charges get that category.
   * Absent on rules confirmed before it was stored: those count in all-spending budgets only.
   */
  category?: Category;
  /** The last occurrence the daily check judged (paid, repriced or missed): each is judged, and alerts, once. */
  checkedThrough?: string;
  /**
   * The day the daily check judges the next occurrence (its grace days over); key of the sparse
   * RECURRING_DUE_INDEX, so the check reads the rules due on a day across users with one Query.
   */
  due_on?: string;
  createdAt: string;
  updatedAt: string;
};

/** A candidate the user dismissed (rule_id = DISMISSED_PREFIX + candidate id): never proposed again. */
export type DismissedCandidateItem = {
  user_id: string;
  rule_id: string;
  id: string;
  dismissedAt: string;
};

function pad(n: number, width: number): string {
  const digits = String(n);
  return '0000'.slice(0, Math.max(0, width - digits.length)) + digits;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1..12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The day `anchorDay` of a month, or the month's last day when it is shorter. */
export function anchoredDate(year: number, month: number, anchorDay: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(Math.min(anchorDay, daysInMonth(year, month)), 2)}`;
}

/** Year, month (1..12) and day of a YYYY-MM-DD date. */
export function partsOfDate(date: string): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian, no time zone). */
export function dayNumberOf(date: string): number {
  const { year, month, day } = partsOfDate(date);
  // Days from civil (Howard Hinnant's algorithm): exact for every year, no Date involved.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The YYYY-MM-DD date of a day number (inverse of dayNumberOf). */
export function dateOfDayNumber(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Monday 0 … Sunday 6 (1970-01-01 was a Thursday). */
export function weekdayOf(date: string): number {
  return (((dayNumberOf(date) + 3) % 7) + 7) % 7;
}

export function addDaysTo(date: string, days: number): string {
  return dateOfDayNumber(dayNumberOf(date) + days);
}

/** Whole days from `from` to `to`. */
export function daysFrom(from: string, to: string): number {
  return dayNumberOf(to) - dayNumberOf(from);
}

/**
 * The charge date `steps` cadence steps after the period of `date` (negative: before), on the
 * anchor: weekly is the anchor weekday nearest `date`, 7 days a step; monthly is the anchor day of the month `steps` months on;
 * yearly is the anchor month and day `steps` years on.
 */
export function stepFrom(date: string, cadence: RecurringCadence, anchor: CadenceAnchor, steps: number): string {
  // Weekly: the anchor weekday of the week around `date` (-3..+3 days), then whole weeks.
  if (cadence === 'WEEKLY')
    return addDaysTo(date, 7 * steps + ((((anchor.day - weekdayOf(date) + 3) % 7) + 7) % 7) - 3);
  const { year, month } = partsOfDate(date);
  if (cadence === 'YEARLY') return anchoredDate(year + steps, anchor.month, anchor.day);
  const index = year * 12 + (month - 1) + steps;
  return anchoredDate(Math.floor(index / 12), (index % 12) + 1, anchor.day);
}

/** Days either side of the expected date a charge may land and still be the expected one (a weekend, a bank holiday). */
export function graceDaysOf(cadence: RecurringCadence): number {
  return cadence === 'WEEKLY' ? 1 : cadence === 'MONTHLY' ? 3 : 7;
}
