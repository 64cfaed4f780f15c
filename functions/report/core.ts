import { FieldError } from '../shared/field-call.ts';
import { csvText, expensesCsv } from './csv.ts';
import { composeReportEmail } from './email.ts';
import { addDays, daysBetween, periodOf, todayIn } from '../shared/periods.ts';
import { previousRangeOf, summarizeExpenses, type DateRange, type ExpenseLike, type ExpenseSummary } from './summary.ts';

/**
 * Reports: summaries over a range or a week/month, CSV exports to S3, and report emails sent
 * on demand or on schedule. Pure use cases over ports; the handler wires AWS clients.
 */
export type ReportPeriod = 'WEEKLY' | 'MONTHLY';

export interface ReportProfile {
  user_id: string;
  email: string;
  name?: string | null;
  timezone: string;
}

export interface ReportDeps {
  expensePages(owner: string, from: string, to: string): AsyncIterable<ExpenseLike[]>;
  profile(owner: string): Promise<ReportProfile | null>;
  objects: {
    put(key: string, body: Buffer | string, contentType: string): Promise<void>;
    presignGet(key: string, seconds: number): Promise<string>;
    /** Keys under a prefix, in key order, one page at a time. */
    list(prefix: string, limit: number, token: string | null): Promise<{ items: Array<{ key: string; lastModified: Date }>; nextToken: string | null }>;
  };
  sendRawEmail(raw: Buffer): Promise<string>;
  /** Users who asked for this report, page by page (the sparse report indexes). */
  subscribers(period: ReportPeriod): AsyncIterable<ReportProfile[]>;
  /** Record that this period's report went to the user; false when it already had (a retry). */
  claimScheduledSend(owner: string, period: ReportPeriod, periodStart: string): Promise<boolean>;
  /** Undo a claim whose send failed, so the next run tries again. */
  releaseScheduledSend(owner: string, period: ReportPeriod, periodStart: string): Promise<void>;
  sender: string;
  now(): Date;
  log(message: string, extra?: Record<string, unknown>): void;
}

const MAX_RANGE_DAYS = 366;
const DOWNLOAD_SECONDS = 15 * 60;
/** Exports up to this many rows also come back inline, for clients that want no second request. */
const INLINE_ROWS = 500;

function checkDay(field: string, value: string): void {
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new FieldError('ValidationError', `${field} must be a calendar date (YYYY-MM-DD)`, { field });
  }
}

export function checkRange(from: string, to: string): DateRange {
  checkDay('from', from);
  checkDay('to', to);
  if (from > to) throw new FieldError('ValidationError', 'from must be on or before to', { field: 'from' });
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) throw new FieldError('ValidationError', `A range covers at most ${MAX_RANGE_DAYS} days`, { field: 'to', limit: MAX_RANGE_DAYS });
  return { from, to };
}

/** The ISO week (Monday to Sunday) or calendar month containing `date`, as a from/to range. */
export function reportPeriodOf(period: ReportPeriod, date: string): DateRange {
  const { start, end } = periodOf(period, date);
  return { from: start, to: end };
}

async function collect(pages: AsyncIterable<ExpenseLike[]>): Promise<ExpenseLike[]> {
  const all: ExpenseLike[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

async function summaryOf(deps: ReportDeps, owner: string, range: DateRange, previous: DateRange): Promise<ExpenseSummary> {
  const [current, before] = await Promise.all([collect(deps.expensePages(owner, range.from, range.to)), collect(deps.expensePages(owner, previous.from, previous.to))]);
  return summarizeExpenses(current, before, range, previous);
}

export async function expenseSummary(deps: ReportDeps, owner: string, from: string, to: string): Promise<ExpenseSummary> {
  const range = checkRange(from, to);
  return summaryOf(deps, owner, range, previousRangeOf(range));
}

export async function periodReport(deps: ReportDeps, owner: string, period: ReportPeriod, date: string) {
  checkDay('date', date);
  const range = reportPeriodOf(period, date);
  const previous = reportPeriodOf(period, addDays(range.from, -1));
  return { period, periodStart: range.from, periodEnd: range.to, summary: await summaryOf(deps, owner, range, previous) };
}

export async function exportExpenses(deps: ReportDeps, owner: string, from: string, to: string) {
  const range = checkRange(from, to);
  let rowCount = 0;
  const csv = await csvText(expensesCsv(deps.expensePages(owner, range.from, range.to), () => (rowCount += 1)));
  const key = `exports/${owner}/expenses-${range.from}-to-${range.to}-${deps.now().getTime()}.csv`;
  await deps.objects.put(key, csv, 'text/csv; charset=utf-8');
  return {
    from: range.from,
    to: range.to,
    rowCount,
    url: await deps.objects.presignGet(key, DOWNLOAD_SECONDS),
    expiresAt: new Date(deps.now().getTime() + DOWNLOAD_SECONDS * 1000).toISOString(),
    content: rowCount <= INLINE_ROWS ? csv : null,
  };
}

const TITLES: Record<ReportPeriod, string> = { WEEKLY: 'Your weekly spending report', MONTHLY: 'Your monthly spending report' };

async function sendReportTo(deps: ReportDeps, profile: ReportProfile, period: ReportPeriod, date: string) {
  const report = await periodReport(deps, profile.user_id, period, date);
  const csv = await csvText(expensesCsv(deps.expensePages(profile.user_id, report.periodStart, report.periodEnd)));
  const raw = await composeReportEmail({
    from: deps.sender,
    to: profile.email,
    name: profile.name ?? null,
    title: `${TITLES[period]}, ${report.periodStart} – ${report.periodEnd}`,
    heading: TITLES[period],
    summary: report.summary,
    csv,
    csvFileName: `expenses-${report.periodStart}-to-${report.periodEnd}.csv`,
  });
  // Kept in the user's account, so a report can be opened again later.
  const reportKey = `reports/${profile.user_id}/${period}-${report.periodStart}.eml`;
  await deps.objects.put(reportKey, raw, 'message/rfc822');
  const messageId = await deps.sendRawEmail(raw);
  return { messageId, to: profile.email, period, periodStart: report.periodStart, periodEnd: report.periodEnd, reportKey };
}

export async function sendReport(deps: ReportDeps, owner: string, period: ReportPeriod, date: string) {
  checkDay('date', date);
  const profile = await deps.profile(owner);
  if (!profile) throw new FieldError('NotFound', 'Profile not found', { id: owner });
  return sendReportTo(deps, profile, period, date);
}

/**
 * The scheduled run: each subscribed user gets the last complete week or month in their own
 * timezone, once (a retry of the run skips those already sent); one failure does not stop it.
 */
export async function runScheduledReports(deps: ReportDeps, period: ReportPeriod) {
  const outcome = { sent: 0, skipped: 0, failed: 0 };
  for await (const page of deps.subscribers(period)) {
    for (const profile of page) {
      try {
        const today = todayIn(profile.timezone || 'UTC', deps.now());
        const last = reportPeriodOf(period, addDays(reportPeriodOf(period, today).from, -1));
        if (!(await deps.claimScheduledSend(profile.user_id, period, last.from))) {
          outcome.skipped += 1;
          continue;
        }
        try {
          await sendReportTo(deps, profile, period, last.from);
        } catch (error) {
          await deps.releaseScheduledSend(profile.user_id, period, last.from);
          throw error;
        }
        outcome.sent += 1;
      } catch (error) {
        outcome.failed += 1;
        deps.log('scheduled report failed', { owner: profile.user_id, error: (error as Error).message });
      }
    }
  }
  return outcome;
}

/** The caller's stored report emails (keys `reports/<owner>/<PERIOD>-<start>.eml`), each with a download URL. */
export async function listReports(deps: ReportDeps, owner: string, limit: number | null | undefined, nextToken: string | null | undefined) {
  const size = limit ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw new FieldError('ValidationError', 'limit must be between 1 and 100', { field: 'limit' });
  const page = await deps.objects.list(`reports/${owner}/`, size, nextToken ?? null);
  const items = await Promise.all(
    page.items.map(async ({ key, lastModified }) => {
      const [, period, periodStart] = /\/(WEEKLY|MONTHLY)-(\d{4}-\d{2}-\d{2})\.eml$/.exec(key) ?? [];
      return period ? { period, periodStart, storedAt: lastModified.toISOString(), url: await deps.objects.presignGet(key, DOWNLOAD_SECONDS) } : null;
    }),
  );
  return { items: items.filter((i) => i !== null).sort((a, b) => b!.periodStart.localeCompare(a!.periodStart)), nextToken: page.nextToken };
}
