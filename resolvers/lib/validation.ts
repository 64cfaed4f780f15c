import { util } from '@aws-appsync/utils';
import { ISO_4217_CODES } from './currencies';
import { invalid } from './errors';
import { TIME_ZONES_BY_AREA } from './time-zones';

const MAX_INT = 2147483647;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY_MS = 86400000;

/** Money in minor units: a positive integer that fits GraphQL's Int. */
export function checkAmount(field: string, value: number): void {
  if (Math.floor(value) !== value || value <= 0 || value > MAX_INT) invalid(field, `${field} must be a whole number of minor units between 1 and ${MAX_INT}`, { min: 1, max: MAX_INT });
}

/** An active ISO 4217 code (resolvers/lib/currencies.ts). */
export function checkCurrency(field: string, value: string): void {
  if (value.length !== 3 || ` ${ISO_4217_CODES} `.indexOf(` ${value} `) < 0) invalid(field, `${field} must be an active ISO 4217 currency code such as EUR or USD`);
}

/** Length limits; the minimum counts characters other than spaces. */
export function checkText(field: string, value: string, min: number, max: number): void {
  const length = value.trim().length;
  if (length < min || value.length > max) invalid(field, min > 0 ? `${field} must be ${min} to ${max} characters` : `${field} must be at most ${max} characters`, { min, max });
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** YYYY-MM-DD naming a day that exists; its year, or null. */
function calendarYear(value: string): number | null {
  const parts = value.split('-');
  const year = Number(parts[0]);
  const month = Number(parts[1]);
  const day = Number(parts[2]);
  if (value.length !== 10 || parts.length !== 3 || parts[0].length !== 4 || !(year >= 1) || !(month >= 1 && month <= 12)) return null;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  return day >= 1 && day <= monthDays && Math.floor(day) === day ? year : null;
}

/** A day a list may start or end at: any real calendar day from 1970 (YYYY-MM-DD). */
export function checkCalendarDate(field: string, value: string): void {
  const year = calendarYear(value);
  if (year === null || year < 1970) invalid(field, `${field} must be a calendar date (YYYY-MM-DD) from 1970-01-01`, { min: '1970-01-01' });
}

/**
 * The day of a purchase: a real calendar day from 1970 to tomorrow in UTC, "not more than a day
 * in the future" as the schema says (a day ahead of UTC is today somewhere on Earth).
 */
export function checkExpenseDate(field: string, value: string, nowEpochMs: number): void {
  const latest = util.time.epochMilliSecondsToFormatted(nowEpochMs + DAY_MS, 'yyyy-MM-dd');
  const year = calendarYear(value);
  if (year === null || year < 1970 || value > latest) invalid(field, `${field} must be a calendar date (YYYY-MM-DD) from 1970-01-01 to ${latest}`, { min: '1970-01-01', max: latest });
}

/** `limit` of a list: 1..100, 20 when absent. */
export function pageLimit(limit: number | null | undefined): number {
  if (limit === null || limit === undefined) return 20;
  if (Math.floor(limit) !== limit || limit < 1 || limit > 100) invalid('limit', 'limit must be between 1 and 100', { min: 1, max: 100 });
  return limit;
}

export function checkVersion(field: string, value: number): void {
  if (Math.floor(value) !== value || value < 1) invalid(field, `${field} must be the version you read (1 or more)`, { min: 1 });
}

/** Alert thresholds: 1 to 10 percentages of 1..200, strictly ascending. */
export function checkThresholds(field: string, values: number[]): void {
  if (values.length < 1 || values.length > 10) invalid(field, `${field} must list 1 to 10 percentages`, { minItems: 1, maxItems: 10 });
  values.forEach((value, i) => {
    if (Math.floor(value) !== value || value < 1 || value > 200) invalid(field, `${field} must be whole percentages between 1 and 200`, { min: 1, max: 200 });
    if (i > 0 && value <= values[i - 1]) invalid(field, `${field} must be strictly ascending`);
  });
}

/** A name of the IANA tz database (resolvers/lib/time-zones.ts), e.g. Europe/Paris or UTC. */
export function checkTimezone(field: string, value: string): void {
  const slash = value.indexOf('/');
  const area = slash < 0 ? '' : value.substring(0, slash);
  const city = slash < 0 ? value : value.substring(slash + 1);
  const known = city.length > 0 && city.indexOf(' ') < 0 && Object.hasOwn(TIME_ZONES_BY_AREA, area) && ` ${TIME_ZONES_BY_AREA[area]} `.indexOf(` ${city} `) >= 0;
  if (!known) invalid(field, `${field} must be an IANA time zone name such as Europe/Paris`);
}
