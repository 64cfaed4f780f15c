import { addMinor, percentOf, reachesPercent, scaleMinor } from '../money.ts';
import { daysBetween, periodOf, previousPeriodOf, todayIn, type DayRange } from '../periods.ts';
import {
  claimAlert,
  deliverHeld,
  markEmailsCovered,
  takeOver,
  type AlertDeliveryDeps,
  type HeldAlert,
} from './alert-delivery.ts';
import { alertIdOf, type BudgetAlert, type BudgetItem } from '../../../model/budgets.ts';
import type { ExpenseSnapshot } from '../../../model/function-calls.ts';
import type { RateBook } from '../currency/rate-book.ts';

/**
 * Budgets: status computed from the expenses themselves (so it can never drift), and alerts
 * that fire once per threshold per period and reach the owner even when a step fails
 * (alert-delivery.ts).
 */
export type { ExpenseSnapshot } from '../../../model/function-calls.ts';

/**
 * One expense change, with the items as written: `before` null on create, `after` null on
 * delete. They are authoritative over what the (eventually consistent) indexes still show.
 */
export interface ExpenseChange {
  before: ExpenseSnapshot | null;
  after: ExpenseSnapshot | null;
}

/**
 * The days and categories a change touched, without the items: re-evaluates the same budgets
 * as the index shows them, without correcting an index that has not caught up with the write
 * (evaluateBudgetsOnceSettled uses it after waiting for the index).
 */
export interface TouchedDays {
  dates: string[];
  categories: string[];
}

/**
 * A budget created or changed (a lower amount, new thresholds, rollover on): its current
 * period is evaluated as it stands, so a budget that is already past a threshold alerts now,
 * not at the next expense.
 */
export interface BudgetEdit {
  budgetId: string;
}

/** What a re-evaluation is for. */
export type BudgetChange = ExpenseChange | TouchedDays | BudgetEdit;

export type BudgetState = 'ON_TRACK' | 'AT_RISK' | 'OVER';

/** Spending read for a status: the current period and, with rollover, the ones before it. */
export interface PeriodSpending {
  /** Minor units of the budget's currency, by the first day of each period: every expense, converted. */
  byPeriod: Record<string, number>;
  /** Expenses of the current period that no rate converts into the budget's currency yet: not in the sums. */
  unconvertedCount: number;
}

export interface BudgetStatus {
  periodStart: string;
  periodEnd: string;
  spent: number;
  /** The period's limit: the budget amount plus what rolled over into it. */
  limit: number;
  remaining: number;
  percentUsed: number;
  /** Spend at the end of the period if it continues at the rate so far. */
  forecast: number;
  state: BudgetState;
  /** Unspent (positive) or overspent (negative) amount carried in from earlier periods. */
  rolloverAmount: number;
  unconvertedCount: number;
  /** Deprecated in the schema: the same as unconvertedCount. */
  excludedCount: number;
}

export interface BudgetDeps extends AlertDeliveryDeps {
  budgets(owner: string): Promise<BudgetItem[]>;
  /** The owner's expenses that can count for `budget` between two days, one Query per page. */
  expensePages(owner: string, budget: BudgetItem, range: DayRange): AsyncIterable<ExpenseSnapshot[]>;
  timezone(owner: string): Promise<string>;
  /** Exchange rates, for expenses in another currency than the budget's (functions/shared/currency). */
  rates: RateBook;
}

/**
 * An expense's amount in `currency`: itself, its stored conversion when that is in `currency`,
 * else converted now at the rate of its day (a changed home currency, a budget in another
 * currency, a rate set since); null when no rate converts it yet.
 */
export function amountIn(rates: RateBook, owner: string, currency: string) {
  return async (expense: ExpenseSnapshot): Promise<number | null> => {
    if (expense.currency === currency) return expense.amount;
    if (expense.converted && expense.converted.currency === currency) return expense.converted.amount;
    return (await rates.convert(owner, expense, currency))?.amount ?? null;
  };
}

/**
 * How far back a rollover carry chains, in periods before the current one. Bounds what one
 * evaluation reads (a year of a monthly budget, a quarter of a weekly one) however old the
 * budget is; older leftovers stop counting.
 */
export const ROLLOVER_LOOKBACK_PERIODS = 12;

/** The periods a status reads: the current one and, oldest first, those its carry chains through. */
export interface StatusPeriods {
  current: DayRange;
  /** Empty without rollover, and for a budget created in the current period. */
  carriedFrom: DayRange[];
}

/**
 * Rollover carries from the budget's creation period on (never from before it existed), at
 * most ROLLOVER_LOOKBACK_PERIODS back. `createdOn` is the owner's local day of creation.
 */
export function statusPeriodsOf(budget: BudgetItem, today: string, createdOn: string | null): StatusPeriods {
  const current = periodOf(budget.period, today);
  const carriedFrom: DayRange[] = [];
  if (!budget.rollover || createdOn === null) return { current, carriedFrom };
  const firstPeriodStart = periodOf(budget.period, createdOn).start;
  let period = current;
  while (carriedFrom.length < ROLLOVER_LOOKBACK_PERIODS) {
    period = previousPeriodOf(budget.period, period.start);
    if (period.start < firstPeriodStart) break;
    carriedFrom.unshift(period);
  }
  return { current, carriedFrom };
}

/** The budget's local day of creation, or null when it has no creation time. */
export function createdOnOf(budget: BudgetItem, timezone: string): string | null {
  return budget.createdAt ? todayIn(timezone, new Date(budget.createdAt)) : null;
}

/**
 * Carries chain: each period's leftover is its own effective limit (amount + what it was
 * carried) minus its spending, so spending a carried surplus uses it up instead of counting
 * against the next period again. Not capped either way: an overspend carries negative and
 * can take the limit to zero or below (then any spending is over).
 */
export function budgetStatusOf(
  budget: BudgetItem,
  spending: PeriodSpending,
  today: string,
  periods: StatusPeriods,
): BudgetStatus {
  const { start, end } = periods.current;
  let rolloverAmount = 0;
  // Every step exact in minor units (a sum past 2^53 − 1 throws rather than rounds).
  for (const period of periods.carriedFrom)
    rolloverAmount = addMinor(addMinor(budget.amount, rolloverAmount), -(spending.byPeriod[period.start] ?? 0));
  const spent = spending.byPeriod[start] ?? 0;
  const limit = addMinor(budget.amount, rolloverAmount, 'A budget limit');
  const elapsedDays = Math.min(daysBetween(start, today), daysBetween(start, end)) + 1;
  const forecast = scaleMinor(spent, daysBetween(start, end) + 1, elapsedDays, 'A forecast');
  const percentUsed = limit > 0 ? percentOf(spent, limit) : spent > 0 ? 100 : 0;
  return {
    periodStart: start,
    periodEnd: end,
    spent,
    limit,
    remaining: addMinor(limit, -spent),
    percentUsed,
    forecast,
    state: spent > limit ? 'OVER' : forecast > limit ? 'AT_RISK' : 'ON_TRACK',
    rolloverAmount,
    unconvertedCount: spending.unconvertedCount,
    excludedCount: spending.unconvertedCount,
  };
}

/**
 * Sums the index pages per period, with the change's own items folded in by expense id: the
 * index's copy of a changed expense is dropped and `after` counted instead, so a write the
 * index has not caught up with yet (GSIs are eventually consistent) still counts exactly.
 */
export async function spendingOf(
  pages: AsyncIterable<ExpenseSnapshot[]>,
  budget: BudgetItem,
  periods: StatusPeriods,
  change: ExpenseChange | null,
  inBudgetCurrency: (expense: ExpenseSnapshot) => Promise<number | null>,
): Promise<PeriodSpending> {
  const from = periods.carriedFrom[0]?.start ?? periods.current.start;
  const changed = new Set([change?.before?.expense_id, change?.after?.expense_id].filter((id): id is string => !!id));
  const spending: PeriodSpending = { byPeriod: {}, unconvertedCount: 0 };
  const count = async (expense: ExpenseSnapshot) => {
    if (budget.category && expense.category !== budget.category) return;
    if (expense.date < from || expense.date > periods.current.end) return;
    const periodStart = periodOf(budget.period, expense.date).start;
    const amount = await inBudgetCurrency(expense);
    if (amount === null) {
      // Flagged, never guessed: it counts once a rate converts it.
      if (periodStart === periods.current.start) spending.unconvertedCount += 1;
      return;
    }
    spending.byPeriod[periodStart] = addMinor(spending.byPeriod[periodStart] ?? 0, amount, 'A budget period');
  };
  for await (const page of pages)
    for (const expense of page) if (!changed.has(expense.expense_id)) await count(expense);
  if (change?.after) await count(change.after);
  return spending;
}

async function statusAt(
  deps: BudgetDeps,
  owner: string,
  budget: BudgetItem,
  today: string,
  periods: StatusPeriods,
  change: ExpenseChange | null,
): Promise<BudgetStatus> {
  const range = { start: periods.carriedFrom[0]?.start ?? periods.current.start, end: periods.current.end };
  return budgetStatusOf(
    budget,
    await spendingOf(
      deps.expensePages(owner, budget, range),
      budget,
      periods,
      change,
      amountIn(deps.rates, owner, budget.currency),
    ),
    today,
    periods,
  );
}

/** The status of one budget for the period containing today (in the owner's timezone). */
export async function currentBudgetStatus(deps: BudgetDeps, owner: string, budget: BudgetItem): Promise<BudgetStatus> {
  const timezone = await deps.timezone(owner);
  const today = todayIn(timezone, deps.now());
  return statusAt(deps, owner, budget, today, statusPeriodsOf(budget, today, createdOnOf(budget, timezone)), null);
}

/**
 * The status of one budget as it stood at the end of `day`: its period containing that day,
 * counting spending up to that day only (a report for October shows a yearly budget's
 * January to October).
 */
export async function budgetStatusOn(
  deps: Pick<BudgetDeps, 'expensePages' | 'rates'>,
  owner: string,
  budget: BudgetItem,
  day: string,
  timezone: string,
): Promise<BudgetStatus> {
  const periods = statusPeriodsOf(budget, day, createdOnOf(budget, timezone));
  const range = { start: periods.carriedFrom[0]?.start ?? periods.current.start, end: day };
  return budgetStatusOf(
    budget,
    await spendingOf(
      deps.expensePages(owner, budget, range),
      budget,
      periods,
      null,
      amountIn(deps.rates, owner, budget.currency),
    ),
    day,
    periods,
  );
}

/** Thresholds the status has reached: spent ≥ threshold % of the period's limit. */
export function reachedThresholds(budget: BudgetItem, status: BudgetStatus): number[] {
  if (status.limit <= 0) return status.spent > 0 ? [...budget.thresholds] : [];
  return budget.thresholds.filter((t) => reachesPercent(status.spent, status.limit, t));
}

/** Whether the change can move the budget's current status: its spending, or with rollover its limit. */
export function touches(budget: BudgetItem, change: BudgetChange, periods: StatusPeriods): boolean {
  if ('budgetId' in change) return change.budgetId === budget.budget_id;
  const from = periods.carriedFrom[0]?.start ?? periods.current.start;
  const counts = (category: string, date: string) =>
    (!budget.category || category === budget.category) && date >= from && date <= periods.current.end;
  if ('dates' in change) return change.categories.some((c) => change.dates.some((d) => counts(c, d)));
  return [change.before, change.after].some((e) => e !== null && counts(e.category, e.date));
}

/**
 * After an expense change: re-evaluate the owner's budgets the change touches (in the
 * current period, or in a period a rollover carries from), or the one budget edited, and alert each newly reached
 * threshold; past periods are not alerted. Thresholds jumped over at once all fire
 * (40 % → 110 % alerts 50, 80 and 100), in ascending order, each pushed, and one email
 * naming the highest (alert-delivery.ts). Returns the alerts delivered by
 * this call; throws AlertDeliveryError when a delivery step failed, after trying the rest.
 *
 * Contract for its callers (BudgetFn, the OCR function): safe to call any number of times
 * for the same change, concurrently or as retries. A threshold fires at most once per budget
 * and period (a conditional write); an alert recorded but not yet delivered on both channels
 * is redelivered by the next call that reads the budget, whatever change that call is for;
 * a channel already marked delivered is not sent again (see alert-delivery.ts for the
 * at-least-once window of a crash between a send and its mark).
 */
export async function evaluateBudgetsForChange(
  deps: BudgetDeps,
  owner: string,
  change: BudgetChange,
): Promise<BudgetAlert[]> {
  const timezone = await deps.timezone(owner);
  const today = todayIn(timezone, deps.now());
  const held: HeldAlert[] = [];
  let evaluationError: unknown = null;
  for (const budget of await deps.budgets(owner)) {
    // One budget's failed read or claim must not hold back the alerts the others hold.
    await holdAlertsOf(deps, owner, budget, { timezone, today, change }, held).catch(
      (error: unknown) => (evaluationError ??= error),
    );
  }
  const delivered = await deliverHeld(deps, owner, held).catch((error: unknown) => {
    throw evaluationError
      ? new AggregateError([evaluationError, error], 'budget evaluation and alert delivery failed')
      : error;
  });
  if (evaluationError) throw evaluationError;
  return delivered;
}

/**
 * The second look at an expense change, once the indexes have caught up (`settled` waits for
 * that: GSIs show a write a moment after the table). evaluateBudgetsForChange folds the
 * change's own items in, but writers that race can all be evaluated before the index shows
 * the others, so a threshold their sum crosses would wait for the next change. This pass
 * reads the same budgets' periods as the index now shows them, without folding the change in
 * (a later write may have replaced it), and alerts what is reached; the conditional claim
 * keeps it from alerting what an earlier pass did.
 */
export async function evaluateBudgetsOnceSettled(
  deps: BudgetDeps,
  owner: string,
  change: ExpenseChange,
  settled: () => Promise<void>,
): Promise<BudgetAlert[]> {
  await settled();
  const items = [change.before, change.after].filter((e): e is ExpenseSnapshot => e !== null);
  if (!items.length) return [];
  return evaluateBudgetsForChange(deps, owner, {
    dates: items.map((e) => e.date),
    categories: items.map((e) => e.category),
  });
}

/** Adds to `held` the budget's pending alerts whose lease lapsed and, if the change touches it, the thresholds it newly reached. */
async function holdAlertsOf(
  deps: BudgetDeps,
  owner: string,
  budget: BudgetItem,
  at: { timezone: string; today: string; change: BudgetChange },
  held: HeldAlert[],
): Promise<void> {
  const mine: HeldAlert[] = [];
  const claimed: Record<string, number[]> = structuredClone(budget.fired ?? {});
  try {
    await holdBudgetAlerts(deps, owner, budget, at, mine, claimed);
  } finally {
    // What this budget holds is delivered even when a later step failed (it is leased to us).
    markEmailsCovered(mine, claimed);
    held.push(...mine);
  }
}

async function holdBudgetAlerts(
  deps: BudgetDeps,
  owner: string,
  budget: BudgetItem,
  at: { timezone: string; today: string; change: BudgetChange },
  held: HeldAlert[],
  claimed: Record<string, number[]>,
): Promise<void> {
  for (const pending of budget.pendingAlerts ?? []) {
    const taken = await takeOver(deps, owner, budget.budget_id, pending);
    if (taken) held.push(taken);
  }
  const periods = statusPeriodsOf(budget, at.today, createdOnOf(budget, at.timezone));
  if (!touches(budget, at.change, periods)) return;
  const status = await statusAt(deps, owner, budget, at.today, periods, 'before' in at.change ? at.change : null);
  for (const threshold of reachedThresholds(budget, status)) {
    if (budget.fired?.[status.periodStart]?.includes(threshold)) continue;
    const won = await claimAlert(deps, owner, budget.budget_id, {
      id: alertIdOf(budget.budget_id, status.periodStart, threshold),
      owner,
      budgetId: budget.budget_id,
      budgetName: budget.name,
      category: budget.category,
      period: budget.period,
      periodStart: status.periodStart,
      periodEnd: status.periodEnd,
      threshold,
      spent: status.spent,
      limit: status.limit,
      currency: budget.currency,
      firedAt: deps.now().toISOString(),
    });
    if (won) held.push(won);
    // Claimed now, by this evaluation or (when the claim lost) by another one.
    (claimed[status.periodStart] ??= []).push(threshold);
  }
}
