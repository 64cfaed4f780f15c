import { describe, expect, it } from 'vitest';
import {
  amountIn,
  budgetStatusOf,
  reachedThresholds,
  spendingOf as spendingOfWithRates,
  statusPeriodsOf,
  touches,
  ROLLOVER_LOOKBACK_PERIODS,
  type ExpenseChange,
  type ExpenseSnapshot,
  type PeriodSpending,
  type StatusPeriods,
} from '../../../../../functions/shared/budgets/core.ts';
import { createRateBook } from '../../../../../functions/shared/currency/rate-book.ts';
import { memoryRateStore } from '../../../../support/memory-rates.ts';
import { periodOf, previousPeriodOf, todayIn } from '../../../../../functions/shared/periods.ts';
import type { BudgetItem } from '../../../../../model/budgets.ts';
import { budgetItem } from '../../../../support/budget-items.ts';

const budget = (over: Partial<BudgetItem> = {}): BudgetItem => budgetItem({ fired: {}, ...over });
const spending = (byPeriod: Record<string, number>, unconvertedCount = 0): PeriodSpending => ({
  byPeriod,
  unconvertedCount,
});
const statusOn = (
  b: BudgetItem,
  byPeriod: Record<string, number>,
  today: string,
  createdOn: string | null = '2026-01-10',
) => budgetStatusOf(b, spending(byPeriod), today, statusPeriodsOf(b, today, createdOn));
const expense = (id: string, date: string, amount: number, over: Partial<ExpenseSnapshot> = {}): ExpenseSnapshot => ({
  expense_id: id,
  date,
  category: 'DINING',
  amount,
  currency: 'EUR',
  ...over,
});
async function* pagesOf(...pages: ExpenseSnapshot[][]) {
  yield* pages;
}

describe('periods', () => {
  it.each([
    ['WEEKLY', '2026-12-31', '2026-12-28', '2027-01-03'], // a week across the year end
    ['WEEKLY', '2020-12-31', '2020-12-28', '2021-01-03'], // ISO week 53 of 2020
    ['WEEKLY', '2021-01-04', '2021-01-04', '2021-01-10'], // week 1 of 2021 starts on a Monday
    ['WEEKLY', '2024-02-29', '2024-02-26', '2024-03-03'], // a leap day mid-week
    ['MONTHLY', '2024-02-29', '2024-02-01', '2024-02-29'], // leap day
    ['MONTHLY', '2025-02-15', '2025-02-01', '2025-02-28'],
    ['MONTHLY', '2100-02-10', '2100-02-01', '2100-02-28'], // a century that is not a leap year
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
    const status = budgetStatusOf(
      budget(),
      spending({ '2026-11-01': 4000 }, 2),
      '2026-11-10',
      statusPeriodsOf(budget(), '2026-11-10', '2026-01-10'),
    );
    expect(status).toMatchObject({
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      spent: 4000,
      limit: 10000,
      remaining: 6000,
      percentUsed: 40,
      forecast: 12000,
      state: 'AT_RISK',
      rolloverAmount: 0,
      unconvertedCount: 2,
      excludedCount: 2,
    });
  });

  it('given spending over the limit, then OVER with a negative remainder', () => {
    expect(statusOn(budget(), { '2026-11-01': 10001 }, '2026-11-30')).toMatchObject({
      state: 'OVER',
      remaining: -1,
      percentUsed: 100,
    });
  });

  it('given February of a leap year, then the forecast runs over its 29 days', () => {
    expect(statusOn(budget(), { '2024-02-01': 2900 }, '2024-02-10', '2024-01-01')).toMatchObject({
      periodEnd: '2024-02-29',
      forecast: 8410,
    });
  });

  it('given a jump from nothing to 110 %, then 50, 80 and 100 are all reached', () => {
    expect(reachedThresholds(budget(), statusOn(budget(), { '2026-11-01': 11000 }, '2026-11-15'))).toEqual([
      50, 80, 100,
    ]);
    expect(reachedThresholds(budget(), statusOn(budget(), { '2026-11-01': 7999 }, '2026-11-15'))).toEqual([50]);
  });
});

describe('rollover', () => {
  const rolling = (over: Partial<BudgetItem> = {}) => budget({ rollover: true, ...over });

  it('given a new budget with rollover and no history, then its first period has just its amount', () => {
    // Spending before the budget existed does not carry: October is not one of its periods.
    expect(statusOn(rolling(), { '2026-10-01': 0, '2026-11-01': 1000 }, '2026-11-15', '2026-11-14')).toMatchObject({
      limit: 10000,
      rolloverAmount: 0,
    });
    expect(statusPeriodsOf(rolling(), '2026-11-15', '2026-11-14').carriedFrom).toEqual([]);
  });

  it('given one period of history, then its leftover carries, and spending before creation in that period counts in it', () => {
    // Created on 14 October: the whole of October is its first period.
    expect(statusOn(rolling(), { '2026-10-01': 7000, '2026-11-01': 1000 }, '2026-11-15', '2026-10-14')).toMatchObject({
      rolloverAmount: 3000,
      limit: 13000,
      state: 'ON_TRACK',
    });
  });

  it("given two and three periods of history, then carries chain through each period's own limit", () => {
    // Sep: limit 10000, spent 4000 → carries 6000. Oct: limit 16000, spent 16000 → carries 0 (the surplus was used, not counted twice).
    expect(statusOn(rolling(), { '2026-09-01': 4000, '2026-10-01': 16000 }, '2026-11-15', '2026-09-01')).toMatchObject({
      rolloverAmount: 0,
      limit: 10000,
    });
    // Aug 9000 (→ +1000), Sep 4000 (limit 11000 → +7000), Oct 12000 (limit 17000 → +5000).
    expect(
      statusOn(rolling(), { '2026-08-01': 9000, '2026-09-01': 4000, '2026-10-01': 12000 }, '2026-11-15', '2026-08-20'),
    ).toMatchObject({ rolloverAmount: 5000, limit: 15000 });
  });

  it('given an overspend, then it carries negative, and a limit can go to zero and below', () => {
    expect(statusOn(rolling(), { '2026-10-01': 12500, '2026-11-01': 1000 }, '2026-11-15', '2026-10-01')).toMatchObject({
      rolloverAmount: -2500,
      limit: 7500,
    });
    const broke = statusOn(
      rolling(),
      { '2026-09-01': 30000, '2026-10-01': 0, '2026-11-01': 100 },
      '2026-11-15',
      '2026-09-01',
    );
    expect(broke).toMatchObject({ rolloverAmount: -10000, limit: 0, state: 'OVER', percentUsed: 100 });
    expect(reachedThresholds(rolling(), broke)).toEqual([50, 80, 100]);
  });

  it('given rollover off, then nothing carries', () => {
    expect(statusOn(budget(), { '2026-10-01': 12500, '2026-11-01': 1000 }, '2026-11-15', '2026-10-01')).toMatchObject({
      rolloverAmount: 0,
      limit: 10000,
    });
  });

  it('given a budget older than the lookback, then the chain starts that many periods back', () => {
    const periods = statusPeriodsOf(rolling({ period: 'WEEKLY' }), '2026-11-18', '2020-01-01');
    expect(periods.carriedFrom).toHaveLength(ROLLOVER_LOOKBACK_PERIODS);
    expect(periods.carriedFrom.at(-1)).toEqual({ start: '2026-11-09', end: '2026-11-15' });
    expect(periods.carriedFrom[0].start).toBe('2026-08-24');
  });

  it('given a weekly budget across the year end, then the ISO weeks before carry', () => {
    const weekly = rolling({ period: 'WEEKLY', budget_id: 'DINING-WEEKLY' });
    const periods = statusPeriodsOf(weekly, '2027-01-05', '2026-12-22');
    expect(periods.carriedFrom).toEqual([
      { start: '2026-12-21', end: '2026-12-27' },
      { start: '2026-12-28', end: '2027-01-03' },
    ]);
    expect(
      budgetStatusOf(weekly, spending({ '2026-12-21': 10000, '2026-12-28': 8000 }), '2027-01-05', periods),
    ).toMatchObject({ periodStart: '2027-01-04', rolloverAmount: 2000, limit: 12000 });
  });
});

/** spendingOf with the rates the tests set: 1 EUR = 1.25 USD from 2026-11-02 (made up for the test); none for XOF. */
const rates = createRateBook(memoryRateStore({ '2026-11-02': { USD: '1.25' } }));
const spendingOf = (
  ...args: [Parameters<typeof spendingOfWithRates>[0], BudgetItem, StatusPeriods, ExpenseChange | null]
) => spendingOfWithRates(...args, amountIn(rates, 'owner-1', args[1].currency));

describe('spending with the change folded in', () => {
  const periods = statusPeriodsOf(budget(), '2026-11-20', '2026-01-10');

  it('given an index that has not seen a new expense yet, then the created item still counts', async () => {
    const created = expense('e2', '2026-11-19', 3000);
    const result = await spendingOf(pagesOf([expense('e1', '2026-11-02', 5000)]), budget(), periods, {
      before: null,
      after: created,
    });
    expect(result.byPeriod['2026-11-01']).toBe(8000);
  });

  it('given an index that still shows the old version of an updated expense, then only the new version counts', async () => {
    const stale = expense('e1', '2026-11-02', 5000);
    const result = await spendingOf(pagesOf([stale], [expense('e3', '2026-11-03', 100)]), budget(), periods, {
      before: stale,
      after: { ...stale, amount: 9000 },
    });
    expect(result.byPeriod['2026-11-01']).toBe(9100);
  });

  it('given an index that still shows a deleted expense, then it no longer counts', async () => {
    const gone = expense('e1', '2026-11-02', 5000);
    expect(
      (await spendingOf(pagesOf([gone]), budget(), periods, { before: gone, after: null })).byPeriod['2026-11-01'] ?? 0,
    ).toBe(0);
  });

  it('given an expense moved to another category or out of the period, then it leaves this budget', async () => {
    const before = expense('e1', '2026-11-02', 5000);
    expect(
      (await spendingOf(pagesOf([before]), budget(), periods, { before, after: { ...before, category: 'FUEL' } }))
        .byPeriod['2026-11-01'] ?? 0,
    ).toBe(0);
    expect(
      (await spendingOf(pagesOf([before]), budget(), periods, { before, after: { ...before, date: '2026-10-31' } }))
        .byPeriod['2026-11-01'] ?? 0,
    ).toBe(0);
  });

  it('given an expense in another currency, then it counts converted at the rate of its day (700 USD cents / 1.25 = 560 EUR cents)', async () => {
    const result = await spendingOf(pagesOf([expense('e1', '2026-11-02', 5000)]), budget(), periods, {
      before: null,
      after: expense('e9', '2026-11-05', 700, { currency: 'USD' }),
    });
    expect(result).toEqual({ byPeriod: { '2026-11-01': 5560 }, unconvertedCount: 0 });
  });

  it('given an expense in a currency no rate converts, then it is counted as unconverted, never as spent', async () => {
    const result = await spendingOf(pagesOf([]), budget(), periods, {
      before: null,
      after: expense('e9', '2026-11-05', 70000, { currency: 'XOF' }),
    });
    expect(result).toEqual({ byPeriod: {}, unconvertedCount: 1 });
  });

  it('given an expense whose conversion into the budget currency is stored, then the stored amount counts', async () => {
    const stored = {
      ...expense('e9', '2026-11-05', 70000, { currency: 'XOF' }),
      converted: {
        amount: 10671,
        currency: 'EUR',
        rate: '0.0015244',
        rateDate: '2026-11-05',
        source: 'USER' as const,
        stale: false,
      },
    };
    const result = await spendingOf(pagesOf([stored]), budget(), periods, null);
    expect(result).toEqual({ byPeriod: { '2026-11-01': 10671 }, unconvertedCount: 0 });
  });

  it('given rollover, then the change is folded into the period it belongs to', async () => {
    const rolling = budget({ rollover: true });
    const lastMonth = expense('e1', '2026-10-20', 4000);
    const rp = statusPeriodsOf(rolling, '2026-11-20', '2026-10-01');
    const result = await spendingOf(pagesOf([]), rolling, rp, { before: null, after: lastMonth });
    expect(result.byPeriod).toEqual({ '2026-10-01': 4000 });
  });
});

describe('a split expense', () => {
  const periods = statusPeriodsOf(budget(), '2026-11-20', '2026-01-10');
  // 100.000 KWD: 40 in dining (20 of them under an own category), 60 in groceries; 325.03 EUR converted.
  const split = expense('s1', '2026-11-05', 100000, {
    currency: 'KWD',
    category: 'GROCERIES',
    converted: { amount: 32503, currency: 'EUR', rate: '3.2503', rateDate: '2026-11-05', source: 'ECB', stale: false },
    splits: [
      { amount: 60000, category: 'GROCERIES' },
      { amount: 20000, category: 'DINING' },
      { amount: 20000, category: 'DINING', customCategoryId: 'coffee' },
    ],
  });

  it('given a category budget, then only its parts count, at their exact share of the converted amount', async () => {
    const dining = await spendingOf(pagesOf([split]), budget(), periods, null);
    const groceries = await spendingOf(pagesOf([split]), budget({ category: 'GROCERIES' }), periods, null);
    const coffee = await spendingOf(pagesOf([split]), budget({ customCategoryId: 'coffee' }), periods, null);
    expect(dining.byPeriod['2026-11-01']).toBe(13001);
    expect(groceries.byPeriod['2026-11-01']).toBe(19502);
    expect(coffee.byPeriod['2026-11-01']).toBe(6500);
    expect(dining.byPeriod['2026-11-01'] + groceries.byPeriod['2026-11-01']).toBe(32503);
  });

  it('given an all-spending or a tag budget, then the whole expense counts once', async () => {
    const all = await spendingOf(pagesOf([split]), budget({ category: null }), periods, null);
    expect(all.byPeriod['2026-11-01']).toBe(32503);
    const tagged = { ...split, tags: ['trip'] };
    const trip = await spendingOf(pagesOf([tagged]), budget({ category: null, tag: 'trip' }), periods, null);
    expect(trip.byPeriod['2026-11-01']).toBe(32503);
  });

  it('given a change to it, then the budgets of every part category are touched, and no other', () => {
    const change = { before: null, after: split };
    expect(touches(budget(), change, periods)).toBe(true);
    expect(touches(budget({ customCategoryId: 'coffee' }), change, periods)).toBe(true);
    expect(touches(budget({ category: 'FUEL' }), change, periods)).toBe(false);
  });
});

describe('which budgets a change touches', () => {
  const today = '2026-11-20';

  it('given another category or a date outside the current period, then the budget is left alone', () => {
    const b = budget();
    const periods = statusPeriodsOf(b, today, '2026-01-10');
    expect(touches(b, { before: null, after: expense('e', '2026-11-19', 1, { category: 'FUEL' }) }, periods)).toBe(
      false,
    );
    expect(touches(b, { before: null, after: expense('e', '2026-10-31', 1) }, periods)).toBe(false);
    expect(touches(b, { before: expense('e', '2026-10-31', 1), after: expense('e', '2026-11-01', 1) }, periods)).toBe(
      true,
    );
    expect(
      touches(
        budget({ category: null }),
        { before: null, after: expense('e', '2026-11-19', 1, { category: 'FUEL' }) },
        periods,
      ),
    ).toBe(true);
  });

  it("given rollover, then a change to last month touches the budget (it moves this month's limit)", () => {
    const b = budget({ rollover: true });
    const lastMonth = { before: null, after: expense('e', '2026-10-31', 1) };
    expect(touches(b, lastMonth, statusPeriodsOf(b, today, '2026-09-01'))).toBe(true);
    // Unless last month is before the budget existed.
    expect(touches(b, lastMonth, statusPeriodsOf(b, today, '2026-11-02'))).toBe(false);
  });

  it('given the days-and-categories form, then the same budgets are touched; given a budget edit, that budget only', () => {
    const b = budget();
    const periods = statusPeriodsOf(b, today, '2026-01-10');
    expect(touches(b, { dates: ['2026-11-19'], categories: ['DINING'] }, periods)).toBe(true);
    expect(touches(b, { dates: ['2026-11-19'], categories: ['FUEL'] }, periods)).toBe(false);
    expect(touches(b, { budgetId: b.budget_id }, periods)).toBe(true);
    expect(touches(b, { budgetId: 'FUEL-MONTHLY' }, periods)).toBe(false);
  });
});
