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
import { alertIdOf, inBudgetScope, type BudgetAlert, type BudgetItem } from '../../../model/budgets.ts';
import type { ExpenseSnapshot } from '../../../model/function-calls.ts';
import { partScopesOf, portionsOf } from '../../../model/splits.ts';
import type { RecurringRuleItem } from '../../../model/recurring.ts';
import type { RateBook } from '../currency/rate-book.ts';
import { expectedCharges, isChargeOf } from '../recurring-rules.ts';

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
 * (evaluateBudgetsOnceSettled uses it after waiting for the index). With `items`, the expenses'
 * scopes as written (category, custom category, tags), which tag and custom-category budgets
 * are picked by; without, the categories alone.
 */
export interface TouchedDays {
  dates: string[];
  categories: string[];
  items?: TouchedExpense[];
}

/** What decides whether an expense counts for a budget: its day and scope (model/budgets.ts inBudgetScope). */
export type TouchedExpense = Pick<ExpenseSnapshot, 'date' | 'category' | 'customCategoryId' | 'tags' | 'splits'>;

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

/** An expense as a status reads it: with its merchant, which tells a recurring rule's charges apart. */
export type BudgetExpense = ExpenseSnapshot & { merchant?: string };

/** A confirmed recurring rule (model/recurring.ts), as much of it as a forecast reads. */
export type ForecastRule = Pick<
  RecurringRuleItem,
  | 'id'
  | 'merchantKey'
  | 'currency'
  | 'cadence'
  | 'amount'
  | 'tolerancePercent'
  | 'anchorDay'
  | 'anchorMonth'
  | 'lastDate'
  | 'checkedThrough'
  | 'category'
>;

/** Spending read for a status: the current period and, with rollover, the ones before it. */
export interface PeriodSpending {
  /** Minor units of the budget's currency, by the first day of each period: every expense, converted. */
  byPeriod: Record<string, number>;
  /** Expenses of the current period that no rate converts into the budget's currency yet: not in the sums. */
  unconvertedCount: number;
  /**
   * The current period's charges of the budget's recurring rules, by rule id: their converted sum
   * (in `byPeriod` too) and the day of the latest (converted or not). Absent without rules.
   */
  ruleCharges?: Record<string, { amount: number; last: string }>;
}

/**
 * What the budget's confirmed recurring rules add to its forecast (recurringForecastOf): the
 * rules' charges are not spending at a rate, so they are counted as they come instead of
 * extrapolated. A rule left out (no rate converts it) counts as before: its charges are ordinary spending.
 */
export interface RecurringForecast {
  /** Of the current period's spending, the rules' charges: in the forecast as they are, not extrapolated. */
  charged: number;
  /** The rules' charges still to come: after today through the period's end, in the budget's currency. */
  upcoming: number;
}

export const NO_RECURRING: RecurringForecast = { charged: 0, upcoming: 0 };

export interface BudgetStatus {
  periodStart: string;
  periodEnd: string;
  spent: number;
  /** The period's limit: the budget amount plus what rolled over into it. */
  limit: number;
  remaining: number;
  percentUsed: number;
  /**
   * Spend at the end of the period: what is spent, the spending other than recurring charges
   * going on at its rate so far, and the confirmed recurring charges still to come.
   */
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
  expensePages(owner: string, budget: BudgetItem, range: DayRange): AsyncIterable<BudgetExpense[]>;
  timezone(owner: string): Promise<string>;
  /** The owner's confirmed recurring rules: one Query on their partition, at most MAX_RULES (model/recurring.ts). */
  recurringRules(owner: string): Promise<ForecastRule[]>;
  /** Exchange rates, for expenses in another currency than the budget's (functions/shared/currency). */
  rates: RateBook;
}

/**
 * An expense's amount in `currency`: itself, its stored conversion when that is in `currency`,
 * else converted now at the rate of its day (a changed home currency, a budget in another
 * currency, a rate set since); null when no rate converts it yet.
 */
export function amountIn(rates: RateBook, owner: string, currency: string) {
  return async (
    expense: Pick<ExpenseSnapshot, 'amount' | 'currency' | 'date'> & { converted?: ExpenseSnapshot['converted'] },
  ): Promise<number | null> => {
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
  recurring: RecurringForecast = NO_RECURRING,
): BudgetStatus {
  const { start, end } = periods.current;
  let rolloverAmount = 0;
  // Every step exact in minor units (a sum past 2^53 − 1 throws rather than rounds).
  for (const period of periods.carriedFrom)
    rolloverAmount = addMinor(addMinor(budget.amount, rolloverAmount), -(spending.byPeriod[period.start] ?? 0));
  const spent = spending.byPeriod[start] ?? 0;
  const limit = addMinor(budget.amount, rolloverAmount, 'A budget limit');
  const periodDays = daysBetween(start, end) + 1;
  const elapsedDays = Math.min(daysBetween(start, today), periodDays - 1) + 1;
  // Only the spending that is not a recurring charge goes on at its rate; without rules this is
  // the plain run rate, spent × period days / days so far.
  const atRate = scaleMinor(addMinor(spent, -recurring.charged), periodDays, elapsedDays, 'A forecast');
  const forecast = addMinor(addMinor(recurring.charged, atRate), recurring.upcoming, 'A forecast');
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
  pages: AsyncIterable<BudgetExpense[]>,
  budget: BudgetItem,
  periods: StatusPeriods,
  change: ExpenseChange | null,
  inBudgetCurrency: (expense: ExpenseSnapshot) => Promise<number | null>,
  rules: readonly ForecastRule[] = [],
): Promise<PeriodSpending> {
  const from = periods.carriedFrom[0]?.start ?? periods.current.start;
  const changed = new Set([change?.before?.expense_id, change?.after?.expense_id].filter((id): id is string => !!id));
  const spending: PeriodSpending = { byPeriod: {}, unconvertedCount: 0, ...(rules.length ? { ruleCharges: {} } : {}) };
  const count = async (expense: BudgetExpense) => {
    if (!inBudgetScope(budget, expense)) return;
    if (expense.date < from || expense.date > periods.current.end) return;
    const periodStart = periodOf(budget.period, expense.date).start;
    const amount = await inBudgetCurrency(expense);
    const { merchant } = expense;
    const rule =
      periodStart === periods.current.start && merchant !== undefined
        ? rules.find((r) => isChargeOf(r, { ...expense, merchant }))
        : undefined;
    if (rule) {
      const seen = (spending.ruleCharges![rule.id] ??= { amount: 0, last: expense.date });
      if (expense.date > seen.last) seen.last = expense.date;
      if (amount !== null) seen.amount = addMinor(seen.amount, amount, 'A budget period');
    }
    if (amount === null) {
      // Flagged, never guessed: it counts once a rate converts it.
      if (periodStart === periods.current.start) spending.unconvertedCount += 1;
      return;
    }
    spending.byPeriod[periodStart] = addMinor(spending.byPeriod[periodStart] ?? 0, amount, 'A budget period');
  };
  // A category or custom-category budget counts a split expense's parts in its scope, and only
  // those (model/splits.ts); all spending and a tag budget count the whole expense, once.
  const scoped = !!(budget.category || budget.customCategoryId);
  const countAll = async (expense: BudgetExpense) => {
    for (const portion of scoped ? portionsOf(expense) : [expense]) await count(portion);
  };
  for await (const page of pages)
    for (const expense of page) if (!changed.has(expense.expense_id)) await countAll(expense);
  if (change?.after) await countAll(change.after);
  return spending;
}

/**
 * The rules whose charges a budget counts: every rule for all spending; for a category budget,
 * the rules of that category (the category a rule keeps from its latest charge when confirmed,
 * model/recurring.ts `category`: stored once, so the forecast reads no expenses beyond the
 * budget's own). A rule's charges of another category are not in the budget's spending either.
 * None for a tag or custom-category budget: a rule does not know the tags or custom category its
 * charges to come will carry, so their spending forecasts at its rate.
 */
export function rulesOfBudget(budget: BudgetItem, rules: readonly ForecastRule[]): ForecastRule[] {
  if (budget.tag || budget.customCategoryId) return [];
  return rules.filter((rule) => !budget.category || rule.category === budget.category);
}

/**
 * The rules' charges in the current period: those made (from `spending.ruleCharges`) and those
 * still to come after `today` through the period's end, each from the rule's latest charge (its
 * latest in the period, else the one it was confirmed with or the last occurrence the daily check
 * judged), so a charge made this period is never expected again. A rule whose charge to come no
 * rate converts into the budget's currency is left out: its charges count as ordinary spending.
 */
export async function recurringForecastOf(
  rules: readonly ForecastRule[],
  spending: PeriodSpending,
  today: string,
  periods: StatusPeriods,
  inBudgetCurrency: (charge: { amount: number; currency: string; date: string }) => Promise<number | null>,
): Promise<RecurringForecast> {
  let charged = 0;
  let upcoming = 0;
  for (const rule of rules) {
    const seen = spending.ruleCharges?.[rule.id];
    const last = [rule.lastDate, rule.checkedThrough ?? '', seen?.last ?? ''].reduce((a, b) => (b > a ? b : a));
    const dates = expectedCharges(rule, last, today, periods.current.end)
      .map((charge) => charge.date)
      .filter((date) => date > today);
    const amounts = await Promise.all(
      dates.map((date) => inBudgetCurrency({ amount: rule.amount, currency: rule.currency, date })),
    );
    if (amounts.some((amount) => amount === null)) continue;
    charged = addMinor(charged, seen?.amount ?? 0, 'A forecast');
    for (const amount of amounts) upcoming = addMinor(upcoming, amount!, 'A forecast');
  }
  return { charged, upcoming };
}

async function statusAt(
  deps: Pick<BudgetDeps, 'expensePages' | 'rates'>,
  owner: string,
  budget: BudgetItem,
  at: { today: string; periods: StatusPeriods; rangeEnd: string },
  change: ExpenseChange | null,
  rules: readonly ForecastRule[],
): Promise<BudgetStatus> {
  const { today, periods } = at;
  const range = { start: periods.carriedFrom[0]?.start ?? periods.current.start, end: at.rangeEnd };
  const inBudgetCurrency = amountIn(deps.rates, owner, budget.currency);
  const spending = await spendingOf(
    deps.expensePages(owner, budget, range),
    budget,
    periods,
    change,
    inBudgetCurrency,
    rules,
  );
  const recurring = rules.length
    ? await recurringForecastOf(rules, spending, today, periods, inBudgetCurrency)
    : NO_RECURRING;
  return budgetStatusOf(budget, spending, today, periods, recurring);
}

/**
 * The status of one budget for the period containing today (in the owner's timezone), its
 * forecast with the owner's confirmed recurring charges still to come.
 */
export async function currentBudgetStatus(deps: BudgetDeps, owner: string, budget: BudgetItem): Promise<BudgetStatus> {
  const [timezone, rules] = await Promise.all([deps.timezone(owner), deps.recurringRules(owner)]);
  const today = todayIn(timezone, deps.now());
  const periods = statusPeriodsOf(budget, today, createdOnOf(budget, timezone));
  return statusAt(
    deps,
    owner,
    budget,
    { today, periods, rangeEnd: periods.current.end },
    null,
    rulesOfBudget(budget, rules),
  );
}

/**
 * The status of one budget as it stood at the end of `day`: its period containing that day,
 * counting spending up to that day only (a report for October shows a yearly budget's
 * January to October). `rules`, the owner's recurring rules, add their charges after `day` to
 * the forecast: a report as of today passes them; one of a past day does not (what the rules
 * were then is not known), and forecasts at the rate so far.
 */
export async function budgetStatusOn(
  deps: Pick<BudgetDeps, 'expensePages' | 'rates'>,
  owner: string,
  budget: BudgetItem,
  day: string,
  timezone: string,
  rules: readonly ForecastRule[] = [],
): Promise<BudgetStatus> {
  const periods = statusPeriodsOf(budget, day, createdOnOf(budget, timezone));
  return statusAt(deps, owner, budget, { today: day, periods, rangeEnd: day }, null, rulesOfBudget(budget, rules));
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
  const inPeriods = (date: string) => date >= from && date <= periods.current.end;
  const counts = (e: TouchedExpense) => partScopesOf(e).some((p) => inBudgetScope(budget, p)) && inPeriods(e.date);
  if ('dates' in change) {
    if (change.items) return change.items.some(counts);
    // Without the items, by category alone: a tag or custom-category budget is then picked whenever its category is.
    return change.categories.some((c) => (!budget.category || c === budget.category) && change.dates.some(inPeriods));
  }
  return [change.before, change.after].some((e) => e !== null && counts(e));
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
    categories: items.flatMap((e) => partScopesOf(e).map((p) => p.category)),
    items: items.map((e) => ({
      date: e.date,
      category: e.category,
      customCategoryId: e.customCategoryId ?? null,
      tags: e.tags ?? null,
      splits: e.splits ?? null,
    })),
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
  // Thresholds are of what is spent, never of the forecast: the evaluation reads no recurring rules.
  const status = await statusAt(
    deps,
    owner,
    budget,
    { today: at.today, periods, rangeEnd: periods.current.end },
    'before' in at.change ? at.change : null,
    [],
  );
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
