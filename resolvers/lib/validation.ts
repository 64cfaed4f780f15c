import { invalid } from './errors';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MAX_INT = 2147483647;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Money in minor units: a positive integer that fits GraphQL's Int. */
export function checkAmount(field: string, value: number): void {
  if (Math.floor(value) !== value || value <= 0 || value > MAX_INT) invalid(field, `${field} must be a whole number of minor units between 1 and ${MAX_INT}`);
}

/** ISO 4217 shape: three upper-case letters. */
export function checkCurrency(field: string, value: string): void {
  if (value.length !== 3 || !value.split('').every((c) => UPPER.indexOf(c) >= 0)) invalid(field, `${field} must be an ISO 4217 code such as EUR or USD`);
}

export function checkText(field: string, value: string, min: number, max: number): void {
  const length = value.trim().length;
  if (length < min || value.length > max) invalid(field, min > 0 ? `${field} must be ${min} to ${max} characters` : `${field} must be at most ${max} characters`);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** A real calendar day (YYYY-MM-DD), from 1970 to next year: no 2025-02-30, no year 20250. */
export function checkDate(field: string, value: string, nowIso: string): void {
  const parts = value.split('-');
  const year = Number(parts[0]);
  const month = Number(parts[1]);
  const day = Number(parts[2]);
  const thisYear = Number(nowIso.substring(0, 4));
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (value.length !== 10 || parts.length !== 3 || !(year >= 1970 && year <= thisYear + 1) || !(month >= 1 && month <= 12) || !(day >= 1 && day <= monthDays)) {
    invalid(field, `${field} must be a calendar date (YYYY-MM-DD) between 1970 and ${thisYear + 1}`);
  }
}

/** `limit` of a list: 1..100, 20 when absent. */
export function pageLimit(limit: number | null | undefined): number {
  if (limit === null || limit === undefined) return 20;
  if (Math.floor(limit) !== limit || limit < 1 || limit > 100) invalid('limit', 'limit must be between 1 and 100');
  return limit;
}

export function checkVersion(field: string, value: number): void {
  if (Math.floor(value) !== value || value < 1) invalid(field, `${field} must be the version you read (1 or more)`);
}

/** Alert thresholds: 1 to 10 percentages of 1..200, strictly ascending. */
export function checkThresholds(field: string, values: number[]): void {
  if (values.length < 1 || values.length > 10) invalid(field, `${field} must list 1 to 10 percentages`);
  values.forEach((value, i) => {
    if (Math.floor(value) !== value || value < 1 || value > 200) invalid(field, `${field} must be whole percentages between 1 and 200`);
    if (i > 0 && value <= values[i - 1]) invalid(field, `${field} must be strictly ascending`);
  });
}

/** An IANA zone name such as Europe/Paris or UTC (APPSYNC_JS cannot load the zone database; functions check it fully). */
export function checkTimezone(field: string, value: string): void {
  const allowed = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-';
  if (value.length < 1 || value.length > 64 || !value.split('').every((c) => allowed.indexOf(c) >= 0) || (value !== 'UTC' && value.indexOf('/') < 1)) {
    invalid(field, `${field} must be an IANA timezone such as Europe/Paris`);
  }
}
