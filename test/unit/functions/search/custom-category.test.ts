import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  listByCustomCategory,
  type CustomCategoryPorts,
  type StreamKey,
} from '../../../../functions/search/custom-category.ts';
import type { ExpenseItem } from '../../../../model/expenses.ts';
import { categoriesItemOf, categoryEntry } from '../../../support/category-entries.ts';

const OWNER = 'owner';

/** C live; M1 merged into C; M2 merged into M1 (a chain); X another live category; D deleted. */
const CATEGORIES = categoriesItemOf(
  OWNER,
  categoryEntry('C'),
  categoryEntry('M1', { status: 'MERGED', mergedInto: 'C' }),
  categoryEntry('M2', { status: 'MERGED', mergedInto: 'M1' }),
  categoryEntry('X'),
  categoryEntry('D', { status: 'DELETED' }),
);

function expenseOf(i: number, category: string, day: number): ExpenseItem {
  return {
    user_id: OWNER,
    expense_id: `E${String(i).padStart(4, '0')}`,
    merchant: 'm',
    amount: 1,
    currency: 'EUR',
    date: `2026-01-${String(day).padStart(2, '0')}`,
    category: 'DINING',
    category_date: '',
    categorySource: 'USER',
    categoryConfidence: 1,
    receiptId: null,
    needsReview: false,
    customCategoryId: category,
    version: 1,
    createdAt: '',
    updatedAt: '',
  };
}

/** The index in memory (newest first, ties by id descending), counting what each page reads. */
function portsOn(expenses: ExpenseItem[]) {
  const reads = { queries: 0, items: 0 };
  const ports: CustomCategoryPorts = {
    categories: async () => CATEGORIES,
    async streamPage(id, range, limit, startKey: StreamKey | null) {
      const stream = expenses
        .filter((e) => e.customCategoryId === id && e.date >= range.from && e.date <= range.to)
        .sort((a, b) => b.date.localeCompare(a.date) || b.expense_id.localeCompare(a.expense_id));
      const start = startKey ? stream.findIndex((e) => e.expense_id === startKey.expense_id) + 1 : 0;
      const items = stream.slice(start, start + limit);
      reads.queries += 1;
      reads.items += items.length;
      return { items, more: start + limit < stream.length };
    },
  };
  return { ports, reads };
}

describe('listByCustomCategory', () => {
  it('given expenses under a category, categories merged into it and others, when paged to the end, then each of the family comes once, newest first, a page reading at most limit + 1 items of each stream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('C', 'M1', 'M2', 'X', 'D'), fc.integer({ min: 1, max: 9 })), {
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 7 }),
        async (rows, limit) => {
          const expenses = rows.map(([category, day], i) => expenseOf(i, category, day));
          const { ports, reads } = portsOn(expenses);
          const listed: ExpenseItem[] = [];
          let nextToken: string | null = null;
          let pages = 0;
          do {
            const before = { ...reads };
            const page = await listByCustomCategory(OWNER, { customCategoryId: 'C', limit, nextToken }, ports);
            pages += 1;
            expect(page.items.length).toBeLessThanOrEqual(limit);
            expect(page.items.length > 0 || (pages === 1 && page.nextToken === null)).toBe(true);
            expect(reads.queries - before.queries).toBeLessThanOrEqual(3);
            expect(reads.items - before.items).toBeLessThanOrEqual(3 * (limit + 1));
            listed.push(...page.items);
            nextToken = page.nextToken;
          } while (nextToken);
          const family = expenses.filter((e) => ['C', 'M1', 'M2'].includes(e.customCategoryId!));
          expect(listed.map((e) => e.expense_id).sort()).toEqual(family.map((e) => e.expense_id).sort());
          const dates = listed.map((e) => e.date);
          expect(dates).toEqual([...dates].sort().reverse());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('given a category nothing was merged into, then each page is one Query of limit + 1 items at most', async () => {
    const expenses = Array.from({ length: 25 }, (_, i) => expenseOf(i, 'X', 1 + (i % 9)));
    const { ports, reads } = portsOn(expenses);
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page = await listByCustomCategory(OWNER, { customCategoryId: 'X', limit: 10, nextToken }, ports);
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(3);
    // 11 + 11 + 5: each page reads one item past itself, so the last page is known to be the last.
    expect(reads).toEqual({ queries: 3, items: 27 });
  });

  it('given a token whose resume key is not of the owner and the category it stands for, then ValidationError on nextToken', async () => {
    const expenses = Array.from({ length: 5 }, (_, i) => expenseOf(i, 'X', 1 + i));
    const { ports } = portsOn(expenses);
    const first = await listByCustomCategory(OWNER, { customCategoryId: 'X', limit: 2 }, ports);
    const cursor = JSON.parse(Buffer.from(first.nextToken!, 'base64url').toString('utf8'));
    for (const key of [{ ...cursor.k.X, user_id: 'someone-else' }, { ...cursor.k.X, customCategoryId: 'C' }, 'X']) {
      const forged = Buffer.from(JSON.stringify({ ...cursor, k: { X: key } })).toString('base64url');
      await expect(
        listByCustomCategory(OWNER, { customCategoryId: 'X', limit: 2, nextToken: forged }, ports),
      ).rejects.toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'nextToken' } });
    }
  });

  it.each(['M1', 'D', 'nope'])('given %s (merged, deleted, unknown), then NotFound', async (id) => {
    const { ports } = portsOn([]);
    await expect(listByCustomCategory(OWNER, { customCategoryId: id, limit: 5 }, ports)).rejects.toMatchObject({
      errorType: 'NotFound',
    });
  });
});
