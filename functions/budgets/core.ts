import type { BudgetAlertInput } from '../shared/publish.ts';
import { daysBetween, periodOf, previousPeriodOf, todayIn, type DayRange, type PeriodKind } from '../shared/periods.ts';

/**
 * Budgets: status from the expenses themselves (so it can never drift), and alerts that fire
 * exactly once per threshold per period. "Once" is a conditional write on the budget item
 * (`fired[periodStart]` gains the threshold only if absent): among concurrent evaluations
 * only the winner of that write notifies, and a retry finds it already recorded.
 */
export interface BudgetItem {
  user_id: string;
  budget_id: string;
  name: string;
  /** null: all spending. */
  category: string | null;
  period: PeriodKind;
  amount: number;
  currency: string;
  thresholds: number[];
  rollover: boolean;
  /** Thresholds already alerted, by period start. */
  fired?: Record<string, number[]>;
}

export type BudgetState = 'ON_TRACK' | 'AT_RISK' | 'OVER';

export interface Spending {
  /** Sum in minor units of the budget's currency. */
  spent: number;
  /** Expenses in the period in other currencies: not counted until amounts can be converted. */
  excludedCount: number;
}

export interface BudgetStatus {
  periodStart: string;
  periodEnd: string;
  spent: number;
  /** The period's limit: the budget amount plus what rolled over from the previous period. */
  limit: number;
  remaining: number;
  percentUsed: number;
  /** Spend at the end of the period if it continues at the rate so far. */
  forecast: number;
  state: BudgetState;
  /** Unspent (positive) or overspent (negative) amount carried in from the previous period. */
  rolloverAmount: number;
  excludedCount: number;
}

/** The alert as the publish mutation takes it (BudgetAlertInput in schema.graphql). */
export type BudgetAlert = BudgetAlertInput;

export interface BudgetDeps {
  budgets(owner: string): Promise<BudgetItem[]>;
  spending(owner: string, budget: BudgetItem, range: DayRange): Promise<Spending>;
  timezone(owner: string): Promise<string>;
  /** Records `threshold` as fired for the period; false when it already was (someone else won). */
  recordFired(owner: string, budgetId: string, periodStart: string, threshold: number): Promise<boolean>;
  /** Pushes the alert to the owner's subscribers and emails it. */
  notify(alert: BudgetAlert): Promise<void>;
  now(): Date;
}

export function budgetStatusOf(budget: BudgetItem, current: Spending, previousSpent: number | null, today: string): BudgetStatus {
  const { start, end } = periodOf(budget.period, today);
  const rolloverAmount = budget.rollover && previousSpent !== null ? budget.amount - previousSpent : 0;
  const limit = budget.amount + rolloverAmount;
  const elapsedDays = Math.min(daysBetween(start, today), daysBetween(start, end)) + 1;
  const forecast = Math.round((current.spent / elapsedDays) * (daysBetween(start, end) + 1));
  const percentUsed = limit > 0 ? Math.round((current.spent / limit) * 1000) / 10 : current.spent > 0 ? 100 : 0;
  return {
    periodStart: start,
    periodEnd: end,
    spent: current.spent,
    limit,
    remaining: limit - current.spent,
    percentUsed,
    forecast,
    state: current.spent > limit ? 'OVER' : forecast > limit ? 'AT_RISK' : 'ON_TRACK',
    rolloverAmount,
    excludedCount: current.excludedCount,
  };
}

/** The status of one budget for the period containing today (in the owner's timezone). */
export async function currentBudgetStatus(deps: BudgetDeps, owner: string, budget: BudgetItem): Promise<BudgetStatus> {
  const today = todayIn(await deps.timezone(owner), deps.now());
  const period = periodOf(budget.period, today);
  const [current, previous] = await Promise.all([
    deps.spending(owner, budget, period),
    budget.rollover ? deps.spending(owner, budget, previousPeriodOf(budget.period, period.start)) : Promise.resolve(null),
  ]);
  return budgetStatusOf(budget, current, previous ? previous.spent : null, today);
}

/** Thresholds the status has reached: spent ≥ threshold % of the period's limit. */
export function reachedThresholds(budget: BudgetItem, status: BudgetStatus): number[] {
  if (status.limit <= 0) return status.spent > 0 ? [...budget.thresholds] : [];
  return budget.thresholds.filter((t) => status.spent * 100 >= t * status.limit);
}

/**
 * After an expense change: re-evaluate the owner's budgets it touches (same category or all
 * spending, whose current period contains a changed date) and alert each newly reached
 * threshold once. Past periods are not alerted: a backdated expense updates the numbers, not
 * the phone. Thresholds jumped over at once all fire (40 % → 110 % alerts 50, 80 and 100).
 */
export async function evaluateBudgetsForChange(deps: BudgetDeps, owner: string, change: { dates: string[]; categories: string[] }): Promise<BudgetAlert[]> {
  const today = todayIn(await deps.timezone(owner), deps.now());
  const sent: BudgetAlert[] = [];
  for (const budget of await deps.budgets(owner)) {
    if (budget.category && !change.categories.includes(budget.category)) continue;
    const period = periodOf(budget.period, today);
    if (!change.dates.some((d) => d >= period.start && d <= period.end)) continue;
    const status = await currentBudgetStatus(deps, owner, budget);
    for (const threshold of reachedThresholds(budget, status)) {
      if (budget.fired?.[status.periodStart]?.includes(threshold)) continue;
      if (!(await deps.recordFired(owner, budget.budget_id, status.periodStart, threshold))) continue;
      const alert: BudgetAlert = {
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
      };
      await deps.notify(alert);
      sent.push(alert);
    }
  }
  return sent;
}

/** The dates and categories an expense change touches (create: after only; delete: before only). */
export function changeOf(before: { date: string; category: string } | null, after: { date: string; category: string } | null) {
  const items = [before, after].filter((e): e is { date: string; category: string } => e !== null);
  return { dates: [...new Set(items.map((e) => e.date))], categories: [...new Set(items.map((e) => e.category))] };
}
