import { util } from '@aws-appsync/utils';
import { isCurrencyCode } from '../../model/currencies';
import { isMinorUnits, MAX_MINOR_UNITS } from '../../model/money';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../../model/tags';
import { invalid } from './errors';
import { TIME_ZONES_BY_AREA } from './time-zones';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY_MS = 86400000;

/** Money in minor units (model/money.ts): a whole number from 1 to 2^53 − 1, the largest a Float carries exactly. */
export function checkAmount(field: string, value: number): void {
  if (!isMinorUnits(value, 1))
    invalid(field, `${field} must be a whole number of minor units between 1 and ${MAX_MINOR_UNITS}`, {
      min: 1,
      max: MAX_MINOR_UNITS,
    });
}

/** An active ISO 4217 code (model/currencies.ts). */
export function checkCurrency(field: string, value: string): void {
  if (!isCurrencyCode(value)) invalid(field, `${field} must be an active ISO 4217 currency code such as EUR or USD`);
}

/** Length limits; the minimum counts characters other than spaces. */
export function checkText(field: string, value: string, min: number, max: number): void {
  const length = value.trim().length;
  if (length < min || value.length > max)
    invalid(
      field,
      min > 0 ? `${field} must be ${min} to ${max} characters` : `${field} must be at most ${max} characters`,
      { min, max },
    );
}

/** Free tags (model/tags.ts): at most MAX_TAGS, each 1..MAX_TAG_LENGTH characters besides spaces. */
export function checkTags(field: string, tags: string[]): void {
  if (tags.length > MAX_TAGS) invalid(field, `At most ${MAX_TAGS} tags`, { max: MAX_TAGS });
  for (const tag of tags) checkText(field, tag, 1, MAX_TAG_LENGTH);
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
  if (
    value.length !== 10 ||
    parts.length !== 3 ||
    parts[0].length !== 4 ||
    !(year >= 1) ||
    !(month >= 1 && month <= 12)
  )
    return null;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  return day >= 1 && day <= monthDays && Math.floor(day) === day ? year : null;
}

/** A day a list may start or end at: any real calendar day from 1970 (YYYY-MM-DD). */
export function checkCalendarDate(field: string, value: string): void {
  const year = calendarYear(value);
  if (year === null || year < 1970)
    invalid(field, `${field} must be a calendar date (YYYY-MM-DD) from 1970-01-01`, { min: '1970-01-01' });
}

/**
 * The day of a purchase: a real calendar day from 1970 to tomorrow in UTC, "not more than a day
 * in the future" as the schema says (a day ahead of UTC is today somewhere on Earth).
 */
export function checkExpenseDate(field: string, value: string, nowEpochMs: number): void {
  const latest = util.time.epochMilliSecondsToFormatted(nowEpochMs + DAY_MS, 'yyyy-MM-dd');
  const year = calendarYear(value);
  if (year === null || year < 1970 || value > latest)
    invalid(field, `${field} must be a calendar date (YYYY-MM-DD) from 1970-01-01 to ${latest}`, {
      min: '1970-01-01',
      max: latest,
    });
}

/** `limit` of a list: 1..100, 20 when absent. */
export function pageLimit(limit: number | null | undefined): number {
  if (limit === null || limit === undefined) return 20;
  if (Math.floor(limit) !== limit || limit < 1 || limit > 100)
    invalid('limit', 'limit must be between 1 and 100', { min: 1, max: 100 });
  return limit;
}

export function checkVersion(field: string, value: number): void {
  if (Math.floor(value) !== value || value < 1)
    invalid(field, `${field} must be the version you read (1 or more)`, { min: 1 });
}

/** Alert thresholds: 1 to 10 percentages of 1..200, strictly ascending. */
export function checkThresholds(field: string, values: number[]): void {
  if (values.length < 1 || values.length > 10)
    invalid(field, `${field} must list 1 to 10 percentages`, { minItems: 1, maxItems: 10 });
  values.forEach((value, i) => {
    if (Math.floor(value) !== value || value < 1 || value > 200)
      invalid(field, `${field} must be whole percentages between 1 and 200`, { min: 1, max: 200 });
    if (i > 0 && value <= values[i - 1]) invalid(field, `${field} must be strictly ascending`);
  });
}

/** A name of the IANA tz database (resolvers/lib/time-zones.ts), e.g. Europe/Paris or UTC. */
export function checkTimezone(field: string, value: string): void {
  const slash = value.indexOf('/');
  const area = slash < 0 ? '' : value.substring(0, slash);
  const city = slash < 0 ? value : value.substring(slash + 1);
  const known =
    city.length > 0 &&
    city.indexOf(' ') < 0 &&
    Object.hasOwn(TIME_ZONES_BY_AREA, area) &&
    ` ${TIME_ZONES_BY_AREA[area]} `.indexOf(` ${city} `) >= 0;
  if (!known) invalid(field, `${field} must be an IANA time zone name such as Europe/Paris`);
}

/** Only the digits 0-9, at least one. */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (const c of text.split('')) if (c < '0' || c > '9') return false;
  return true;
}

/** A positive decimal as a string ("655.957"): up to 15 digits before the point and 12 after, not zero. */
export function checkPositiveDecimal(field: string, value: string): void {
  const parts = value.split('.');
  const whole = parts[0];
  const fraction = parts.length > 1 ? parts[1] : '';
  const ok =
    parts.length <= 2 &&
    isDigits(whole) &&
    whole.length <= 15 &&
    (parts.length === 1 || (isDigits(fraction) && fraction.length <= 12)) &&
    (whole + fraction).split('').some((c) => c !== '0');
  if (!ok)
    invalid(field, `${field} must be a positive decimal such as 655.957 (up to 15 digits before the point, 12 after)`, {
      maxIntegerDigits: 15,
      maxFractionDigits: 12,
    });
}
