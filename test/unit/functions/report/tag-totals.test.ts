import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customCategoryTotalsOf, tagTotalsOf, type ExpenseLike } from '../../../../functions/report/summary.ts';

/** A summary's spending by tag and by custom category (ExpenseSummary.byTag / byCustomCategory). */
const expense = (id: string, amount: number, over: Partial<ExpenseLike> = {}): ExpenseLike => ({
  expense_id: id,
  merchant: 'Shop',
  amount,
  currency: 'EUR',
  date: '2026-11-10',
  category: 'OTHER',
  ...over,
});

const TAGS = ['holiday', 'work', 'kids', 'car'];
const anyExpenses = (tagsOf: fc.Arbitrary<string[] | null>) =>
  fc.array(
    fc.record({
      amount: fc.integer({ min: 1, max: 10_000_000 }),
      tags: tagsOf,
      customCategoryId: fc.option(fc.constantFrom('c1', 'c2', 'c3')),
    }),
    { maxLength: 60 },
  );
const toExpenses = (rows: Array<{ amount: number; tags: string[] | null; customCategoryId: string | null }>) =>
  rows.map((r, i) => expense(`e${i}`, r.amount, { tags: r.tags, customCategoryId: r.customCategoryId }));
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('spending by tag and by custom category', () => {
  it('given expenses with at most one tag each, then the tag totals sum to the tagged spending and count the tagged expenses', () => {
    fc.assert(
      fc.property(anyExpenses(fc.option(fc.constantFrom(...TAGS).map((t) => [t]))), (rows) => {
        const expenses = toExpenses(rows);
        const tagged = expenses.filter((e) => (e.tags ?? []).length > 0);
        const totals = tagTotalsOf(expenses);
        expect(sum(totals.map((t) => t.amount))).toBe(sum(tagged.map((e) => e.amount)));
        expect(sum(totals.map((t) => t.count))).toBe(tagged.length);
        // Largest first, every tag once.
        expect(totals.map((t) => t.amount)).toEqual([...totals.map((t) => t.amount)].sort((a, b) => b - a));
        expect(new Set(totals.map((t) => t.tag)).size).toBe(totals.length);
      }),
    );
  });

  it('given expenses with several tags, then each tag’s total is the spending of the expenses carrying it', () => {
    fc.assert(
      fc.property(anyExpenses(fc.option(fc.subarray(TAGS))), (rows) => {
        const expenses = toExpenses(rows);
        const totals = tagTotalsOf(expenses);
        for (const tag of TAGS) {
          const carrying = expenses.filter((e) => (e.tags ?? []).includes(tag));
          const line = totals.find((t) => t.tag === tag);
          if (!carrying.length) expect(line).toBeUndefined();
          else expect(line).toEqual({ tag, amount: sum(carrying.map((e) => e.amount)), count: carrying.length });
        }
      }),
    );
  });

  it('given an expense with two tags, then it counts in each; untagged expenses are in none', () => {
    const totals = tagTotalsOf([
      expense('a', 1000, { tags: ['holiday', 'kids'] }),
      expense('b', 500, { tags: ['holiday'] }),
      expense('c', 9999),
      expense('d', 9999, { tags: [] }),
    ]);
    expect(totals).toEqual([
      { tag: 'holiday', amount: 1500, count: 2 },
      { tag: 'kids', amount: 1000, count: 1 },
    ]);
  });

  it('given expenses filed under custom categories, then each category sums its own; the others are not listed', () => {
    fc.assert(
      fc.property(anyExpenses(fc.constant(null)), (rows) => {
        const expenses = toExpenses(rows);
        const totals = customCategoryTotalsOf(expenses);
        const filed = expenses.filter((e) => e.customCategoryId);
        expect(sum(totals.map((t) => t.amount))).toBe(sum(filed.map((e) => e.amount)));
        for (const t of totals)
          expect(t.amount).toBe(
            sum(filed.filter((e) => e.customCategoryId === t.customCategoryId).map((e) => e.amount)),
          );
      }),
    );
  });
});
