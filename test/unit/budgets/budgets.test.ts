import { describe, expect, it } from 'vitest';
import { budgetStatusOf, evaluateBudgetsForChange, reachedThresholds, type BudgetAlert, type BudgetDeps, type BudgetItem } from '../../../functions/budgets/core.ts';
import { periodOf, previousPeriodOf, todayIn } from '../../../functions/shared/periods.ts';

const budget = (over: Partial<BudgetItem> = {}): BudgetItem => ({
  user_id: 'u', budget_id: 'DINING-MONTHLY', name: 'Eating out', category: 'DINING', period: 'MONTHLY', amount: 10000, currency: 'EUR', thresholds: [50, 80, 100], rollover: false, fired: {}, ...over,
});

describe('periods', () => {
  it.each([
    ['WEEKLY', '2026-12-31', '2026-12-28', '2027-01-03'], // a week across the year end
    ['WEEKLY', '2020-12-31', '2020-12-28', '2021-01-03'], // ISO week 53 of 2020
    ['WEEKLY', '2021-01-04', '2021-01-04', '2021-01-10'], // week 1 of 2021 starts on a Monday
    ['MONTHLY', '2024-02-29', '2024-02-01', '2024-02-29'], // leap day
    ['MONTHLY', '2025-02-15', '2025-02-01', '2025-02-28'],
    ['YEARLY', '2026-07-04', '2026-01-01', '2026-12-31'],
  ] as const)('given %s and %s, then the period runs %s to %s', (kind, date, start, end) => {
    expect(periodOf(kind, date)).toEqual({ start, end });
  });

  it('given a period, then the previous one ends the day before it starts', () => {
    expect(previousPeriodOf('MONTHLY', '2024-03-01')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(previousPeriodOf('WEEKLY', '2027-01-04')).toEqual({ start: '2026-12-28', end: '2027-01-03' });
  });

  it('given 23:30 local time on the last day of a month, then it is still that month where the user is', () => {
    // 2026-11-30 23:30 in Los Angeles is already December 1st in UTC.
    const instant = new Date('2026-12-01T07:30:00Z');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-11-30');
    expect(periodOf('MONTHLY', todayIn('America/Los_Angeles', instant)).start).toBe('2026-11-01');
    expect(periodOf('MONTHLY', todayIn('Pacific/Auckland', new Date('2026-11-30T11:30:00Z'))).start).toBe('2026-12-01');
  });
});

describe('budget status', () => {
  it('given 40 % spent a third into the month, then the run rate forecasts over the limit: AT_RISK', () => {
    const status = budgetStatusOf(budget(), { spent: 4000, excludedCount: 2 }, null, '2026-11-10');
    expect(status).toMatchObject({ periodStart: '2026-11-01', periodEnd: '2026-11-30', spent: 4000, limit: 10000, remaining: 6000, percentUsed: 40, forecast: 12000, state: 'AT_RISK', rolloverAmount: 0, excludedCount: 2 });
  });

  it('given spending over the limit, then OVER with a negative remainder', () => {
    expect(budgetStatusOf(budget(), { spent: 10001, excludedCount: 0 }, null, '2026-11-30')).toMatchObject({ state: 'OVER', remaining: -1, percentUsed: 100 });
  });

  it('given rollover, then the previous period leftover (or overspend) moves the limit', () => {
    expect(budgetStatusOf(budget({ rollover: true }), { spent: 1000, excludedCount: 0 }, 7000, '2026-11-15')).toMatchObject({ rolloverAmount: 3000, limit: 13000, state: 'ON_TRACK' });
    expect(budgetStatusOf(budget({ rollover: true }), { spent: 1000, excludedCount: 0 }, 12500, '2026-11-15')).toMatchObject({ rolloverAmount: -2500, limit: 7500 });
    expect(budgetStatusOf(budget({ rollover: false }), { spent: 1000, excludedCount: 0 }, 12500, '2026-11-15')).toMatchObject({ rolloverAmount: 0, limit: 10000 });
  });

  it('given a jump from nothing to 110 %, then 50, 80 and 100 are all reached', () => {
    expect(reachedThresholds(budget(), budgetStatusOf(budget(), { spent: 11000, excludedCount: 0 }, null, '2026-11-15'))).toEqual([50, 80, 100]);
    expect(reachedThresholds(budget(), budgetStatusOf(budget(), { spent: 7999, excludedCount: 0 }, null, '2026-11-15'))).toEqual([50]);
  });
});

describe('evaluation', () => {
  function memoryDeps(spent: number, items: BudgetItem[]) {
    const fired = new Map<string, Set<number>>();
    const alerts: BudgetAlert[] = [];
    const deps: BudgetDeps = {
      budgets: async () => items,
      spending: async () => ({ spent, excludedCount: 0 }),
      timezone: async () => 'Europe/Paris',
      recordFired: async (_owner, id, start, threshold) => {
        const key = `${id}@${start}`;
        const set = fired.get(key) ?? new Set();
        fired.set(key, set);
        if (set.has(threshold)) return false;
        set.add(threshold);
        return true;
      },
      notify: async (alert) => {
        alerts.push(alert);
      },
      now: () => new Date('2026-11-20T12:00:00Z'),
    };
    return { deps, alerts };
  }

  it('given another category or a date outside the current period, then the budget is left alone', async () => {
    const { deps, alerts } = memoryDeps(9000, [budget()]);
    await evaluateBudgetsForChange(deps, 'u', { dates: ['2026-11-19'], categories: ['FUEL'] });
    await evaluateBudgetsForChange(deps, 'u', { dates: ['2026-10-31'], categories: ['DINING'] });
    expect(alerts).toEqual([]);
  });

  it('given a crossing evaluated twice, then each threshold alerts once', async () => {
    const { deps, alerts } = memoryDeps(8500, [budget(), budget({ budget_id: 'ALL-MONTHLY', category: null, name: 'Everything', amount: 100000 })]);
    await evaluateBudgetsForChange(deps, 'u', { dates: ['2026-11-19'], categories: ['DINING'] });
    await evaluateBudgetsForChange(deps, 'u', { dates: ['2026-11-19'], categories: ['DINING'] });
    expect(alerts.map((a) => `${a.budgetId}@${a.threshold}`)).toEqual(['DINING-MONTHLY@50', 'DINING-MONTHLY@80']);
    expect(alerts[1]).toMatchObject({ owner: 'u', spent: 8500, limit: 10000, currency: 'EUR', periodStart: '2026-11-01', periodEnd: '2026-11-30' });
  });
});
