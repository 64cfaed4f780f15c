import type { BudgetItem } from '../../model/budgets.ts';

/** A Budgets table item for unit tests: a monthly EUR 100.00 "Eating out" budget on DINING alerting at 50/80/100 %. */
export const budgetItem = (over: Partial<BudgetItem> = {}): BudgetItem => ({
  user_id: 'u',
  budget_id: 'DINING-MONTHLY',
  name: 'Eating out',
  category: 'DINING',
  period: 'MONTHLY',
  amount: 10000,
  currency: 'EUR',
  thresholds: [50, 80, 100],
  rollover: false,
  createdAt: '2026-01-10T08:00:00.000Z',
  updatedAt: '2026-01-10T08:00:00.000Z',
  version: 1,
  ...over,
});
