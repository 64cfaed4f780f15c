import { Transform, pipeline, type Readable } from 'node:stream';
import { budgetStatusOn, type BudgetDeps, type BudgetStatus } from '../shared/budgets/core.ts';
import { FieldError } from '../shared/field-call.ts';
import { addDays, daysBetween, todayIn } from '../shared/periods.ts';
import { csvText, expensesCsv, type CsvExpense } from './csv.ts';
import { composeReportEmail } from './email.ts';
import { lastCompletePeriod, reportPeriodOf, scheduledPeriodDue, type ReportPeriod } from './report-periods.ts';
import {
  parseStoredReportKey,
  startAfterOf,
  storedReportKey,
  storedReportsPrefix,
  storedReportsToken,
} from './stored-reports.ts';
import { amountIn } from '../shared/budgets/core.ts';
import { sumMinor } from '../shared/money.ts';
import {
  customCategoryTotalsOf,
  previousRangeOf,
  tagTotalsOf,
  summarizeExpenses,
  summarizeInCurrency,
  type CurrencySummary,
  type CustomCategoryTotal,
  type DateRange,
  type ExpenseLike,
  type ExpenseSummary,
  type TagTotal,
} from './summary.ts';
import type { BudgetItem } from '../../model/budgets.ts';
import { withAmount } from '../../model/splits.ts';

/**
 * Reports: summaries over a range or a week/month, CSV exports to S3, and report emails sent
 * on demand or on schedule. Pure use cases over ports; the handler wires AWS clients.
 */
export type { ReportPeriod } from './report-periods.ts';

export interface ReportProfile {
  user_id: string;
  email: string;
  name?: string | null;
  timezone: string;
  /** What the summary's `home` and the budgets count in (USD when a profile has none). */
  homeCurrency?: string;
}

/** A subscriber as the report index lists them: with the start of the last period already sent. */
export interface ScheduledUser extends ReportProfile {
  lastSent: string | null;
}

export interface ReportDeps {
  expensePages(owner: string, from: string, to: string): AsyncIterable<CsvExpense[]>;
  profile(owner: string): Promise<ReportProfile | null>;
  /** The owner's budgets, their spending and recurring rules (functions/budgets' own reads). */
  budgets: Pick<BudgetDeps, 'budgets' | 'expensePages' | 'rates' | 'recurringRules'>;
  /** Download links of the owner's receipt images valid for `seconds`, by receipt id (ids without an image are left out). */
  receiptLinks(owner: string, receiptIds: string[], seconds: number): Promise<Map<string, string>>;
  objects: {
    put(key: string, body: Buffer | string, contentType: string): Promise<void>;
    /** Streams `body` into the object as it is read (multipart past one part), so memory does not grow with its size. */
    upload(key: string, body: Readable, contentType: string): Promise<void>;
    presignGet(key: string, seconds: number): Promise<string>;
    /** Keys under a prefix after `startAfter`, in key order; `truncated` when more follow. */
    list(
      prefix: string,
      limit: number,
      startAfter: string | null,
    ): Promise<{ items: Array<{ key: string; lastModified: Date }>; truncated: boolean }>;
  };
  sendRawEmail(raw: Buffer): Promise<string>;
  schedule: {
    /** Users who asked for this report, page by page (the sparse report indexes). */
    subscribers(period: ReportPeriod): AsyncIterable<ScheduledUser[]>;
    /**
     * Lease the send of this period's report for `leaseMs`: a lease id, or null when it was
     * already sent or another run holds a live lease. An expired lease (its run crashed or
     * timed out) can be taken again.
     */
    lease(owner: string, period: ReportPeriod, periodStart: string, now: Date, leaseMs: number): Promise<string | null>;
    /** The report went out: record the period as sent and drop the lease. */
    complete(owner: string, period: ReportPeriod, periodStart: string, leaseId: string): Promise<void>;
    /** The send failed: drop our lease so the next run may try at once. */
    release(owner: string, period: ReportPeriod, periodStart: string, leaseId: string): Promise<void>;
  };
  sender: string;
  now(): Date;
  log(message: string, extra?: Record<string, unknown>): void;
}

const MAX_RANGE_DAYS = 366;
const DOWNLOAD_SECONDS = 15 * 60;
/** Exports up to this many rows also come back inline, for clients that want no second request. */
const INLINE_ROWS = 500;

/**
 * A report's or an export's day: a calendar day from 1970 (as expense dates are) to 9998, so
 * every period around it, and the one before for trends, stays within four-digit years.
 */
const FIRST_DAY = '1970-01-01';
const LAST_DAY = '9998-12-31';
function checkDay(field: string, value: string): void {
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(ms) ||
    new Date(ms).toISOString().slice(0, 10) !== value ||
    value < FIRST_DAY ||
    value > LAST_DAY
  ) {
    throw new FieldError(
      'ValidationError',
      `${field} must be a calendar date (YYYY-MM-DD) from ${FIRST_DAY} to ${LAST_DAY}`,
      { field, min: FIRST_DAY, max: LAST_DAY },
    );
  }
}

export function checkRange(from: string, to: string): DateRange {
  checkDay('from', from);
  checkDay('to', to);
  if (from > to) throw new FieldError('ValidationError', 'from must be on or before to', { field: 'from' });
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS)
    throw new FieldError('ValidationError', `A range covers at most ${MAX_RANGE_DAYS} days`, {
      field: 'to',
      limit: MAX_RANGE_DAYS,
    });
  return { from, to };
}

/** A budget as it stood on a summary's last day. */
export interface SummaryBudget {
  budgetId: string;
  name: string;
  category: BudgetItem['category'];
  tag: string | null;
  customCategoryId: string | null;
  period: BudgetItem['period'];
  currency: string;
  status: BudgetStatus;
}

export interface UnconvertedTotal {
  currency: string;
  total: number;
  count: number;
}

export type ReportSummary = ExpenseSummary & {
  homeCurrency: string;
  /** Every expense converted into the home currency at the rate of its day (those no rate converts are in `unconverted`). */
  home: CurrencySummary;
  unconverted: UnconvertedTotal[];
  /** The home currency's spending by tag (an expense in each of its tags) and by custom category. */
  byTag: TagTotal[];
  byCustomCategory: CustomCategoryTotal[];
  /** The day budget statuses are given for: the range's last day, or today when the range goes on past it. */
  budgetsAsOf: string;
  budgets: SummaryBudget[];
};

/**
 * Each budget's status on `asOf`: its period containing that day, spending from the period's
 * start up to that day (a YEARLY budget in October's report counts January to October, not
 * what was spent since), computed by functions/budgets' own status function. As of today
 * (`isToday`), the forecasts count the recurring charges still to come, as `Budget.status` does.
 */
async function budgetsAsOf(
  deps: ReportDeps,
  owner: string,
  asOf: string,
  timezone: string,
  isToday: boolean,
): Promise<SummaryBudget[]> {
  const budgets = await deps.budgets.budgets(owner);
  const rules = isToday && budgets.length ? await deps.budgets.recurringRules(owner) : [];
  const lines = await Promise.all(
    budgets.map(async (budget) => ({
      budgetId: budget.budget_id,
      name: budget.name,
      category: budget.category ?? null,
      tag: budget.tag ?? null,
      customCategoryId: budget.customCategoryId ?? null,
      period: budget.period,
      currency: budget.currency,
      status: await budgetStatusOn(deps.budgets, owner, budget, asOf, timezone, rules),
    })),
  );
  return lines.sort((a, b) => b.status.percentUsed - a.status.percentUsed || a.name.localeCompare(b.name));
}

async function collect(pages: AsyncIterable<ExpenseLike[]>): Promise<ExpenseLike[]> {
  const all: ExpenseLike[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

/** The expenses in the home currency (stored conversion, or converted now), and those no rate converts yet. */
async function inHomeCurrency(deps: ReportDeps, owner: string, home: string, expenses: ExpenseLike[]) {
  const toHome = amountIn(deps.budgets.rates, owner, home);
  const converted: ExpenseLike[] = [];
  const unconverted: ExpenseLike[] = [];
  for (const expense of expenses) {
    const amount = await toHome(expense);
    if (amount === null) unconverted.push(expense);
    // A split expense's parts scaled with it, summing to the converted amount exactly (model/splits.ts).
    else converted.push({ ...withAmount(expense, amount), currency: home });
  }
  return { converted, unconverted };
}

function unconvertedTotals(expenses: ExpenseLike[]): UnconvertedTotal[] {
  const currencies = [...new Set(expenses.map((e) => e.currency))].sort();
  return currencies.map((currency) => {
    const mine = expenses.filter((e) => e.currency === currency);
    return { currency, total: sumMinor(mine.map((e) => e.amount)), count: mine.length };
  });
}

async function summaryOf(
  deps: ReportDeps,
  owner: string,
  range: DateRange,
  previous: DateRange,
  profile: { timezone: string; homeCurrency: string },
): Promise<ReportSummary> {
  const timezone = profile.timezone || 'UTC';
  const today = todayIn(timezone, deps.now());
  const asOf = range.to < today ? range.to : today;
  const [current, before, budgets] = await Promise.all([
    collect(deps.expensePages(owner, range.from, range.to)),
    collect(deps.expensePages(owner, previous.from, previous.to)),
    budgetsAsOf(deps, owner, asOf, timezone, asOf === today),
  ]);
  const home = profile.homeCurrency;
  const [now, then] = [
    await inHomeCurrency(deps, owner, home, current),
    await inHomeCurrency(deps, owner, home, before),
  ];
  const homeInRange = now.converted.filter((e) => e.date >= range.from && e.date <= range.to);
  return {
    ...summarizeExpenses(current, before, range, previous),
    homeCurrency: home,
    home: summarizeInCurrency(home, now.converted, then.converted, range, previous),
    unconverted: unconvertedTotals(now.unconverted.filter((e) => e.date >= range.from && e.date <= range.to)),
    byTag: tagTotalsOf(homeInRange),
    byCustomCategory: customCategoryTotalsOf(homeInRange),
    budgetsAsOf: asOf,
    budgets,
  };
}

/** The owner's timezone and home currency (UTC and USD, the profile defaults, when there is no profile). */
async function settingsOf(deps: ReportDeps, owner: string): Promise<{ timezone: string; homeCurrency: string }> {
  const profile = await deps.profile(owner);
  return { timezone: profile?.timezone || 'UTC', homeCurrency: profile?.homeCurrency || 'USD' };
}

export async function expenseSummary(
  deps: ReportDeps,
  owner: string,
  from: string,
  to: string,
): Promise<ReportSummary> {
  const range = checkRange(from, to);
  return summaryOf(deps, owner, range, previousRangeOf(range), await settingsOf(deps, owner));
}

async function reportFor(
  deps: ReportDeps,
  owner: string,
  period: ReportPeriod,
  date: string,
  profile: { timezone: string; homeCurrency: string },
) {
  const range = reportPeriodOf(period, date);
  const previous = reportPeriodOf(period, addDays(range.from, -1));
  return {
    period,
    periodStart: range.from,
    periodEnd: range.to,
    summary: await summaryOf(deps, owner, range, previous, profile),
  };
}

export async function periodReport(deps: ReportDeps, owner: string, period: ReportPeriod, date: string) {
  checkDay('date', date);
  return reportFor(deps, owner, period, date, await settingsOf(deps, owner));
}

/** Passes a stream through, keeping its text while it is small enough to be answered inline too. */
function keepIfSmall(rowsSoFar: () => number) {
  const chunks: Buffer[] = [];
  let small = true;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (small && rowsSoFar() > INLINE_ROWS) {
        small = false;
        chunks.length = 0;
      }
      if (small) chunks.push(Buffer.from(chunk));
      done(null, chunk);
    },
  });
  return { stream, text: () => (small && rowsSoFar() <= INLINE_ROWS ? Buffer.concat(chunks).toString('utf8') : null) };
}

export async function exportExpenses(deps: ReportDeps, owner: string, from: string, to: string) {
  const range = checkRange(from, to);
  const expiresAt = new Date(deps.now().getTime() + DOWNLOAD_SECONDS * 1000);
  let rowCount = 0;
  const csv = expensesCsv(deps.expensePages(owner, range.from, range.to), {
    onRow: () => (rowCount += 1),
    // The receipt link is a presigned URL of the receipt image that expires with the export's own
    // download link. A link that lasts longer cannot be signed here (a URL signed with the
    // function's temporary credentials dies with them, in hours) and there is no web app to
    // link to; the receipt_id column is the lasting reference (`receipt(id) { imageUrl }` gives
    // a fresh link at any time).
    receiptLinks: (ids) => deps.receiptLinks(owner, ids, DOWNLOAD_SECONDS),
  });
  const inline = keepIfSmall(() => rowCount);
  const key = `exports/${owner}/expenses-${range.from}-to-${range.to}-${deps.now().getTime()}.csv`;
  // Streamed to S3 as it is produced: a year of expenses never sits in memory at once.
  await deps.objects.upload(
    key,
    pipeline(csv, inline.stream, () => undefined),
    'text/csv; charset=utf-8',
  );
  return {
    from: range.from,
    to: range.to,
    rowCount,
    url: await deps.objects.presignGet(key, DOWNLOAD_SECONDS),
    expiresAt: expiresAt.toISOString(),
    content: inline.text(),
  };
}

const TITLES: Record<ReportPeriod, string> = {
  WEEKLY: 'Your weekly spending report',
  MONTHLY: 'Your monthly spending report',
};

async function sendReportTo(deps: ReportDeps, profile: ReportProfile, period: ReportPeriod, date: string) {
  const report = await reportFor(deps, profile.user_id, period, date, {
    timezone: profile.timezone || 'UTC',
    homeCurrency: profile.homeCurrency || 'USD',
  });
  // The attachment outlives any presigned link, so its receipt_link cells stay empty; receipt_id identifies the receipt.
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
  // Kept in the user's account, so a report can be opened again later (one copy per period).
  const reportKey = storedReportKey(profile.user_id, period, { from: report.periodStart, to: report.periodEnd });
  await deps.objects.put(reportKey, raw, 'message/rfc822');
  const messageId = await deps.sendRawEmail(raw);
  return {
    messageId,
    to: profile.email,
    period,
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    reportKey,
  };
}

/**
 * Email the report of the period containing `date`; without a date, the last complete
 * period in the user's timezone (what the schedule sends, not the month that just began).
 */
export async function sendReport(deps: ReportDeps, owner: string, period: ReportPeriod, date?: string | null) {
  if (date !== undefined && date !== null) checkDay('date', date);
  const profile = await deps.profile(owner);
  if (!profile) throw new FieldError('NotFound', 'Profile not found', { id: owner });
  return sendReportTo(
    deps,
    profile,
    period,
    date ?? lastCompletePeriod(period, todayIn(profile.timezone || 'UTC', deps.now())).from,
  );
}

/** How the scheduled run shares its invocation: how many users at once, and when to stop taking more. */
export interface ScheduledRunOptions {
  /** Time left in the invocation (Lambda's `context.getRemainingTimeInMillis`). */
  timeLeftMs(): number;
  /** Stop taking new users when less than this is left: the slowest single report must still finish. */
  reserveMs?: number;
  /** Users processed at once. */
  concurrency?: number;
  /** Tries per user within the run before it counts as failed. */
  attempts?: number;
  retryDelayMs?: number;
}

/**
 * How long a send is leased: longer than any invocation can run (Lambda's limit is 15 min),
 * so a live run is never overtaken, and shorter than the hour between runs, so the next run
 * retakes what a crash or timeout left.
 */
export const SCHEDULED_SEND_LEASE_MS = 20 * 60_000;

export interface ScheduledOutcome {
  /** Users owed a report by this run (their Monday or 1st, from 07:00, not yet sent). */
  due: number;
  sent: number;
  /** Owed, but another run holds a live lease on it (it may be sending right now). */
  leasedElsewhere: number;
  /** Failed every try in this run; the next hourly run tries again. */
  failed: number;
  /** Owed in the page at hand but not reached: the invocation ran short of time (later pages are not read). The next hourly run takes them. */
  deferred: number;
}

/** Thrown at the end of a run in which some user's report failed every try (after the others were sent). */
export class ScheduledReportsFailed extends Error {
  constructor(readonly outcome: ScheduledOutcome) {
    super(`${outcome.failed} scheduled report(s) failed; the next hourly run retries them`);
    this.name = 'ScheduledReportsFailed';
  }
}

/**
 * The hourly scheduled run: every subscriber whose Monday (or 1st) morning it is, in their own
 * timezone, gets the last complete week (or month), once. Users are read a page at a time and
 * processed a few at once within the invocation's time budget; each send is leased, so a
 * retried or overlapping run never sends twice, and a crash only delays the report to the
 * next run. A user who fails every try does not stop the others; the run then throws, so
 * the function's error alarm sees it, and the next hourly run tries that user again.
 */
export async function runScheduledReports(
  deps: ReportDeps,
  period: ReportPeriod,
  options: ScheduledRunOptions,
): Promise<ScheduledOutcome> {
  const { concurrency = 4, attempts = 2, retryDelayMs = 1000, reserveMs = 20_000 } = options;
  const outcome: ScheduledOutcome = { due: 0, sent: 0, leasedElsewhere: 0, failed: 0, deferred: 0 };
  const startedAt = deps.now();
  const outOfTime = () => options.timeLeftMs() < reserveMs;

  async function sendOnce(user: ScheduledUser, range: DateRange): Promise<void> {
    const leaseId = await deps.schedule.lease(user.user_id, period, range.from, deps.now(), SCHEDULED_SEND_LEASE_MS);
    if (!leaseId) {
      outcome.leasedElsewhere += 1;
      return;
    }
    const where = { owner: user.user_id, period, periodStart: range.from };
    const sent = await retried(
      () => sendReportTo(deps, user, period, range.from),
      (error, attempt) => {
        deps.log('scheduled report failed', { ...where, attempt, error: error.message });
        return attempt >= attempts || outOfTime();
      },
    );
    if (!sent) {
      // Released, the next run may retry at once; unreleased, it waits for the lease to expire.
      await deps.schedule
        .release(user.user_id, period, range.from, leaseId)
        .catch((releaseError: Error) =>
          deps.log('could not release a report lease', { owner: user.user_id, error: releaseError.message }),
        );
      outcome.failed += 1;
      return;
    }
    // Sent: from here nothing sends again. Recording it is retried like the send (the write is
    // idempotent); should every attempt fail, the lease still holds off other runs for its
    // term, and only a run after that could send twice.
    outcome.sent += 1;
    await retried(
      () => deps.schedule.complete(user.user_id, period, range.from, leaseId),
      (error, attempt) => {
        deps.log('sent, but could not record it', { ...where, attempt, error: error.message });
        return attempt >= attempts;
      },
    );
  }

  /** Runs `step` until it succeeds (true) or `giveUp` says to stop after a failure (false), retryDelayMs between tries. */
  async function retried(
    step: () => Promise<unknown>,
    giveUp: (error: Error, attempt: number) => boolean,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await step();
        return true;
      } catch (error) {
        if (giveUp(error as Error, attempt)) return false;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
    }
  }

  for await (const page of deps.schedule.subscribers(period)) {
    const owed = page
      .map((user) => ({ user, range: scheduledPeriodDue(period, user.timezone, startedAt) }))
      // The index already tells who got it: no write for them (the lease is the real guard).
      .filter(
        (x): x is { user: ScheduledUser; range: DateRange } =>
          x.range !== null && !(x.user.lastSent && x.user.lastSent >= x.range.from),
      );
    outcome.due += owed.length;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, owed.length) }, async () => {
        while (next < owed.length) {
          const { user, range } = owed[next++];
          if (outOfTime()) {
            outcome.deferred += 1;
            continue;
          }
          await sendOnce(user, range).catch((error: Error) => {
            // The lease itself could not be read or written: nothing was sent, the next run retries.
            deps.log('scheduled report failed', {
              owner: user.user_id,
              period,
              periodStart: range.from,
              error: error.message,
            });
            outcome.failed += 1;
          });
        }
      }),
    );
    if (outOfTime()) {
      deps.log('scheduled reports stopped for lack of time; the next run takes the rest', { period, ...outcome });
      break;
    }
  }
  if (outcome.failed) throw new ScheduledReportsFailed(outcome);
  return outcome;
}

/** The caller's stored report emails, newest period first across weeks and months, each with a download URL. */
export async function listReports(
  deps: ReportDeps,
  owner: string,
  limit: number | null | undefined,
  nextToken: string | null | undefined,
) {
  const size = limit ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > 100)
    throw new FieldError('ValidationError', 'limit must be between 1 and 100', { field: 'limit' });
  const startAfter = nextToken ? startAfterOf(owner, nextToken) : null;
  const page = await deps.objects.list(storedReportsPrefix(owner), size, startAfter);
  const items = await Promise.all(
    page.items.map(async ({ key, lastModified }) => {
      const stored = parseStoredReportKey(key);
      if (!stored) return null;
      return {
        ...stored,
        periodEnd: reportPeriodOf(stored.period, stored.periodStart).to,
        storedAt: lastModified.toISOString(),
        url: await deps.objects.presignGet(key, DOWNLOAD_SECONDS),
      };
    }),
  );
  const last = page.items.at(-1);
  return {
    items: items.filter((i) => i !== null),
    nextToken: page.truncated && last ? storedReportsToken(owner, last.key) : null,
  };
}
