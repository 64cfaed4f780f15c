import { describe, expect, it } from 'vitest';
import { reportPeriodOf } from '../../../functions/report/core.ts';
import { addDays, todayIn } from '../../../functions/shared/periods.ts';
import { previousRangeOf, summarizeExpenses, type ExpenseLike } from '../../../functions/report/summary.ts';

/** Summary numbers checked against a brute-force computation on generated data. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const CATEGORIES = ['GROCERIES', 'DINING', 'TRANSPORT', 'FUEL', 'OTHER'];
const MERCHANTS = ['Tesco', 'TESCO', 'Corner Café', 'Shell', 'Uber', 'Bakery 21', 'Cinema', 'Pharmacy', 'Bookshop'];

function generate(seed: number, from: string, days: number, count: number): ExpenseLike[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    expense_id: `e${seed}-${i}`,
    merchant: MERCHANTS[Math.floor(random() * MERCHANTS.length)],
    amount: 1 + Math.floor(random() * 20000),
    currency: random() < 0.8 ? 'EUR' : 'USD',
    date: addDays(from, Math.floor(random() * days)),
    category: CATEGORIES[Math.floor(random() * CATEGORIES.length)],
  }));
}

describe('summarizeExpenses', () => {
  it.each([
    [1, '2024-02-01', '2024-02-29'], // leap month
    [2, '2025-12-15', '2026-01-14'], // across a year end
    [3, '2026-03-30', '2026-04-05'], // a week across a month edge
  ])('given generated expenses (seed %i, %s..%s), when summarized, then every number matches brute force', (seed, from, to) => {
    const range = { from, to };
    const previous = previousRangeOf(range);
    const expenses = generate(seed, addDays(previous.from, -3), 80, 400);
    const summary = summarizeExpenses(expenses, expenses, range, previous);

    for (const currency of ['EUR', 'USD']) {
      const mine = expenses.filter((e) => e.currency === currency && e.date >= from && e.date <= to);
      const before = expenses.filter((e) => e.currency === currency && e.date >= previous.from && e.date <= previous.to);
      const c = summary.currencies.find((x) => x.currency === currency)!;
      const total = mine.reduce((s, e) => s + e.amount, 0);
      expect(c.total).toBe(total);
      expect(c.count).toBe(mine.length);
      expect(c.previousTotal).toBe(before.reduce((s, e) => s + e.amount, 0));
      expect(c.change).toBe(c.total - c.previousTotal);
      const sorted = mine.map((e) => e.amount).sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      expect(c.median).toBe(sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2));
      expect(c.average).toBe(Math.round(total / mine.length));
      expect(c.largest!.amount).toBe(sorted[sorted.length - 1]);
      for (const category of CATEGORIES) {
        const expected = mine.filter((e) => e.category === category).reduce((s, e) => s + e.amount, 0);
        expect(c.byCategory.find((x) => x.category === category)?.amount ?? 0).toBe(expected);
      }
      expect(c.byMerchant.reduce((s, m) => s + m.amount, 0)).toBe(total);
      expect(c.byMerchant.filter((m) => !m.other).length).toBeLessThanOrEqual(5);
      // "Tesco" and "TESCO" are one merchant.
      expect(c.byMerchant.filter((m) => m.merchant.toLowerCase() === 'tesco').length).toBeLessThanOrEqual(1);
      expect(c.byDay.map((d) => d.date)).toEqual(Array.from({ length: c.byDay.length }, (_, i) => addDays(from, i)));
      expect(c.byDay.at(-1)!.date).toBe(to);
      expect(c.byDay.reduce((s, d) => s + d.amount, 0)).toBe(total);
    }
  });

  it('given no expenses, then no currency lines', () => {
    expect(summarizeExpenses([], [], { from: '2026-01-01', to: '2026-01-31' }, { from: '2025-12-01', to: '2025-12-31' }).currencies).toEqual([]);
  });
});

describe('report periods', () => {
  it('given days at week and month edges, then the ISO week (Mon–Sun) and the calendar month contain them', () => {
    expect(reportPeriodOf('WEEKLY', '2026-11-24')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(reportPeriodOf('WEEKLY', '2026-11-23')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(reportPeriodOf('WEEKLY', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(reportPeriodOf('WEEKLY', '2027-01-01')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(reportPeriodOf('MONTHLY', '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(reportPeriodOf('MONTHLY', '2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('given an instant, then today depends on the timezone', () => {
    const instant = new Date('2026-11-30T23:30:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-11-30');
    expect(todayIn('Pacific/Auckland', instant)).toBe('2026-12-01');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-11-30');
  });
});
