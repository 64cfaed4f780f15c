import { budgetStatusOf, statusPeriodsOf } from '../../functions/shared/budgets/core.ts';
import type { ReportSummary, SummaryBudget } from '../../functions/report/core.ts';
import { summarizeExpenses, summarizeInCurrency, type ExpenseLike } from '../../functions/report/summary.ts';
import type { Category } from '../../generated/graphql.ts';
import { budgetItem } from './budget-items.ts';

/** The report period the fixtures use (November 2026) and the one it is compared with. */
const PERIOD = { from: '2026-11-01', to: '2026-11-30' };
const PREVIOUS = { from: '2026-10-01', to: '2026-10-31' };

/** A monthly EUR budget line as the report computes it (functions/budgets' status), `spent` of `amount` in November 2026. */
export function budgetLine(name: string, category: Category | null, amount: number, spent: number): SummaryBudget {
  const budget = budgetItem({
    budget_id: `${category ?? 'ALL'}-MONTHLY`,
    name,
    category,
    amount,
    thresholds: [80, 100],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  return {
    budgetId: budget.budget_id,
    name,
    category,
    tag: null,
    customCategoryId: null,
    period: 'MONTHLY',
    currency: 'EUR',
    status: budgetStatusOf(
      budget,
      { byPeriod: { '2026-11-01': spent }, unconvertedCount: 0 },
      '2026-11-30',
      statusPeriodsOf(budget, '2026-11-30', null),
    ),
  };
}

/** November 2026's report summary of EUR `expenses` (home currency EUR), against `previous` in October, with `budgets`. */
export function novemberSummary(
  expenses: ExpenseLike[],
  previous: ExpenseLike[],
  budgets: SummaryBudget[],
): ReportSummary {
  return {
    ...summarizeExpenses(expenses, previous, PERIOD, PREVIOUS),
    homeCurrency: 'EUR',
    home: summarizeInCurrency('EUR', expenses, previous, PERIOD, PREVIOUS),
    unconverted: [],
    byTag: [],
    byCustomCategory: [],
    budgetsAsOf: '2026-11-30',
    budgets,
  };
}
