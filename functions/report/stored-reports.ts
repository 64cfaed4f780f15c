import { createHash } from 'node:crypto';
import { FieldError } from '../shared/field-call.ts';
import type { ReportPeriod } from './report-periods.ts';
import type { DateRange } from './summary.ts';

/**
 * Where report emails are kept: `reports/<owner>/<inverted last day>-<PERIOD>-<first day>.eml`.
 * S3 lists keys in ascending UTF-8 order, so the inverted last day (99999999 − YYYYMMDD)
 * makes one listing newest first across weeks and months, page after page, with no index.
 * One key per period: a re-send replaces the copy instead of adding one.
 */
const STORED_KEY = /\/(\d{8})-(WEEKLY|MONTHLY)-(\d{4}-\d{2}-\d{2})\.eml$/;

const invertedDay = (day: string) => String(99_999_999 - Number(day.replaceAll('-', ''))).padStart(8, '0');

export const storedReportsPrefix = (owner: string) => `reports/${owner}/`;

export function storedReportKey(owner: string, period: ReportPeriod, range: DateRange): string {
  return `${storedReportsPrefix(owner)}${invertedDay(range.to)}-${period}-${range.from}.eml`;
}

export function parseStoredReportKey(key: string): { period: ReportPeriod; periodStart: string } | null {
  const match = STORED_KEY.exec(key);
  return match ? { period: match[2] as ReportPeriod, periodStart: match[3] } : null;
}

/**
 * The listing's nextToken: the last key of the page (as S3's StartAfter) and a tag of the
 * caller, so a token is opaque to clients and only continues the listing of whoever got it.
 * A token of another user reads exactly like a malformed one.
 */
const callerTag = (owner: string) =>
  createHash('sha256').update(`stored-reports:${owner}`).digest('base64url').slice(0, 16);

export function storedReportsToken(owner: string, lastKey: string): string {
  return Buffer.from(
    JSON.stringify({ after: lastKey.slice(storedReportsPrefix(owner).length), caller: callerTag(owner) }),
  ).toString('base64url');
}

/** The key to list after, from a token this caller was given. */
export function startAfterOf(owner: string, token: string): string {
  let parsed: { after?: unknown; caller?: unknown } | null = null;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    // Falls through to the one error every bad token gets.
  }
  if (!parsed || typeof parsed.after !== 'string' || parsed.caller !== callerTag(owner) || parsed.after.includes('/')) {
    throw new FieldError('ValidationError', 'nextToken is not valid', { field: 'nextToken' });
  }
  return `${storedReportsPrefix(owner)}${parsed.after}`;
}
