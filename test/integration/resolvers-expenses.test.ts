import { BatchWriteCommand, PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryDateOf } from '../../model/expenses.ts';
import { startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/**
 * The expense resolvers of resolvers/ through the local executor against dynalite: what a
 * client gets from createExpense, expense, listExpenses, updateExpense and deleteExpense.
 */
let h: ResolverHarness;

const profile = (sub: string, homeCurrency = 'EUR') => ({
  user_id: sub,
  email: `${sub}@example.com`,
  homeCurrency,
  timezone: 'Europe/Paris',
  dateOrder: 'DMY',
  reportSchedule: { weekly: false, monthly: false },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

async function create(input: Record<string, unknown>, sub = 'user-a') {
  return h.call(
    'Mutation',
    'createExpense',
    { input: { merchant: 'Corner Cafe', amount: 1250, date: '2026-11-20', ...input } },
    { sub },
  );
}

beforeAll(async () => {
  h = await startResolverHarness();
  for (const sub of ['user-a', 'user-b']) await h.db.send(new PutCommand({ TableName: 'Users', Item: profile(sub) }));
});

afterAll(async () => {
  await h?.stop();
});

describe('createExpense', () => {
  it('given a valid input without currency, when created, then it is stored with the home currency, version 1 and a ULID', async () => {
    const out = await create({ category: 'DINING' });
    expect(out.errors).toEqual([]);
    expect(out.data).toMatchObject({
      merchant: 'Corner Cafe',
      amount: 1250,
      currency: 'EUR',
      date: '2026-11-20',
      category: 'DINING',
      categorySource: 'USER',
      categoryConfidence: 1,
      version: 1,
      needsReview: false,
    });
    const id = (out.data as { id: string }).id;
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const stored = await h.db.send(
      new GetCommand({ TableName: 'Expenses', Key: { user_id: 'user-a', expense_id: id } }),
    );
    expect(stored.Item).toMatchObject({ category_date: 'DINING#2026-11-20', amount: 1250 });
  });

  it('given no category, when the merchant is a known brand, then CategorizeFn files it by the brand index', async () => {
    const out = await create({ merchant: 'SHELL STATION 42', currency: 'USD' });
    expect(out.data).toMatchObject({ category: 'FUEL', categorySource: 'BRAND', currency: 'USD' });
  });

  it('given no category, when the merchant matches a keyword rule, then the rules choose it', async () => {
    const out = await create({ merchant: 'Bäckerei Wunderkorn', currency: 'EUR' });
    expect(out.data).toMatchObject({ category: 'GROCERIES', categorySource: 'RULES' });
  });

  it.each([
    [{ amount: 0 }, 'amount'],
    [{ amount: -5 }, 'amount'],
    [{ amount: 12.5 }, 'amount'],
    [{ currency: 'euro' }, 'currency'],
    [{ date: '2026-02-30' }, 'date'],
    [{ date: '1900-01-01' }, 'date'],
    [{ merchant: '   ' }, 'merchant'],
    [{ merchant: 'x'.repeat(201) }, 'merchant'],
    [{ note: 'n'.repeat(1001) }, 'note'],
  ])('given %o, when created, then ValidationError names %s and nothing is written', async (input, field) => {
    const before = (await h.call('Query', 'listExpenses', { limit: 100 })).data as { items: unknown[] };
    const out = await create(input);
    expect(out.data).toBeNull();
    expect(out.errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field }) }),
    ]);
    const after = (await h.call('Query', 'listExpenses', { limit: 100 })).data as { items: unknown[] };
    expect(after.items.length).toBe(before.items.length);
  });
});

describe('updateExpense', () => {
  it('given the version read, when updated, then the version increases; a stale version gets Conflict with the current one', async () => {
    const id = ((await create({ category: 'DINING' })).data as { id: string }).id;
    const updated = await h.call('Mutation', 'updateExpense', {
      input: { id, expectedVersion: 1, amount: 1400, date: '2026-11-21' },
    });
    expect(updated.errors).toEqual([]);
    expect(updated.data).toMatchObject({ id, amount: 1400, date: '2026-11-21', version: 2, category: 'DINING' });
    const stored = await h.db.send(
      new GetCommand({ TableName: 'Expenses', Key: { user_id: 'user-a', expense_id: id } }),
    );
    expect(stored.Item!.category_date).toBe('DINING#2026-11-21');

    const stale = await h.call('Mutation', 'updateExpense', { input: { id, expectedVersion: 1, amount: 1 } });
    expect(stale.data).toBeNull();
    expect(stale.errors).toEqual([
      expect.objectContaining({ errorType: 'Conflict', errorInfo: { currentVersion: 2 } }),
    ]);
  });

  it('given a new category for a merchant, when updated, then the choice is learned and wins for the next expense there', async () => {
    const id = ((await create({ merchant: 'Chez Marcel', currency: 'EUR' })).data as { id: string }).id;
    const updated = await h.call('Mutation', 'updateExpense', {
      input: { id, expectedVersion: 1, category: 'ENTERTAINMENT' },
    });
    expect(updated.data).toMatchObject({ category: 'ENTERTAINMENT', categorySource: 'USER' });
    const next = await create({ merchant: 'CHEZ MARCEL!', currency: 'EUR' });
    expect(next.data).toMatchObject({ category: 'ENTERTAINMENT', categorySource: 'LEARNED' });
    // Another user learned nothing from it.
    const other = await create({ merchant: 'Chez Marcel', currency: 'EUR' }, 'user-b');
    expect(other.data).toMatchObject({ categorySource: 'RULES' });
  });
});

describe('isolation', () => {
  it("given user A's expense, when user B reads, updates, deletes or lists, then it is NotFound or absent, exactly like a missing id", async () => {
    const id = ((await create({ category: 'DINING' })).data as { id: string }).id;
    const missing = ulid();
    for (const target of [id, missing]) {
      expect((await h.call('Query', 'expense', { id: target }, { sub: 'user-b' })).errors).toEqual([
        expect.objectContaining({ errorType: 'NotFound' }),
      ]);
      expect(
        (
          await h.call(
            'Mutation',
            'updateExpense',
            { input: { id: target, expectedVersion: 1, amount: 1 } },
            { sub: 'user-b' },
          )
        ).errors,
      ).toEqual([expect.objectContaining({ errorType: 'NotFound' })]);
      expect((await h.call('Mutation', 'deleteExpense', { id: target }, { sub: 'user-b' })).errors).toEqual([
        expect.objectContaining({ errorType: 'NotFound' }),
      ]);
    }
    const listed = (await h.call('Query', 'listExpenses', { limit: 100 }, { sub: 'user-b' })).data as {
      items: Array<{ id: string }>;
    };
    expect(listed.items.map((e) => e.id)).not.toContain(id);
    expect((await h.call('Query', 'expense', { id })).data).toMatchObject({ id, amount: 1250 });
  });
});

describe('budget evaluation', () => {
  it('given create, update and delete, then each asks BudgetFn (async Event) with the expense before and after', async () => {
    const mark = h.lambdaCalls.length;
    const created = (await create({ category: 'DINING', amount: 700 })).data as { id: string };
    await h.call('Mutation', 'updateExpense', { input: { id: created.id, expectedVersion: 1, category: 'GROCERIES' } });
    await h.call('Mutation', 'deleteExpense', { id: created.id });
    // SearchFn's index steps (synchronous) sit beside these; resolvers-search.test.ts covers them.
    const calls = h.lambdaCalls.slice(mark).filter((c) => c.functionName !== 'SearchFn');
    expect(calls.map((c) => [c.functionName, c.invocationType, c.payload.action, c.payload.owner])).toEqual([
      ['BudgetFn', 'Event', 'expenseChanged', 'user-a'],
      ['BudgetFn', 'Event', 'expenseChanged', 'user-a'],
      ['BudgetFn', 'Event', 'expenseChanged', 'user-a'],
    ]);
    expect([calls[0].payload.before, calls[0].payload.after?.category]).toEqual([null, 'DINING']);
    expect([calls[1].payload.before?.category, calls[1].payload.after?.category]).toEqual(['DINING', 'GROCERIES']);
    expect([calls[2].payload.before?.expense_id, calls[2].payload.after]).toEqual([created.id, null]);
  });

  it('given an invalid expense, then no evaluation is asked for', async () => {
    const mark = h.lambdaCalls.length;
    await create({ amount: -1 });
    expect(h.lambdaCalls.length).toBe(mark);
  });
});

describe('deleteExpense', () => {
  it('given an expense, when deleted, then it is returned once and NotFound after', async () => {
    const id = ((await create({ category: 'DINING' })).data as { id: string }).id;
    expect((await h.call('Mutation', 'deleteExpense', { id })).data).toMatchObject({ id });
    expect((await h.call('Mutation', 'deleteExpense', { id })).errors).toEqual([
      expect.objectContaining({ errorType: 'NotFound' }),
    ]);
    expect((await h.call('Query', 'expense', { id })).errors).toEqual([
      expect.objectContaining({ errorType: 'NotFound' }),
    ]);
  });

  it('given ids past the 1,024 bytes of a sort key (in UTF-8, however few characters), then NotFound without a read; ids that fit are looked up', async () => {
    for (const id of ['星'.repeat(342), 'x'.repeat(1025)]) {
      const mark = h.capacity.length;
      expect((await h.call('Query', 'expense', { id })).errors).toEqual([
        expect.objectContaining({ errorType: 'NotFound' }),
      ]);
      expect(h.capacity.length).toBe(mark);
    }
    const mark = h.capacity.length;
    expect((await h.call('Query', 'expense', { id: '星'.repeat(341) })).errors).toEqual([
      expect.objectContaining({ errorType: 'NotFound' }),
    ]);
    expect(h.capacity.slice(mark).map((c) => c.operation)).toEqual(['GetItem']);
  });
});

describe('listExpenses over 1,000 expenses', () => {
  const sub = 'user-pages';
  const days = Array.from({ length: 1000 }, (_, i) =>
    new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
  );

  const small = 'user-ten';
  const itemsOf = (owner: string, dates: string[]) =>
    dates.map((date, i) => ({
      user_id: owner,
      expense_id: ulid(),
      merchant: `Shop ${i}`,
      amount: 100 + i,
      currency: 'EUR',
      date,
      category: i % 2 ? 'GROCERIES' : 'DINING',
      category_date: categoryDateOf(i % 2 ? 'GROCERIES' : 'DINING', date),
      categorySource: 'USER',
      categoryConfidence: 1,
      needsReview: false,
      version: 1,
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    }));

  beforeAll(async () => {
    // The same item shape in a partition of 1,000 and one of 10 (the ten latest days).
    const items = [...itemsOf(sub, days), ...itemsOf(small, days.slice(-10))];
    for (let i = 0; i < items.length; i += 25) {
      await h.db.send(
        new BatchWriteCommand({
          RequestItems: { Expenses: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    }
  }, 60_000);

  it('given a page of 10 from a partition of 10 and from one of 1,000, then each is one Query reading the same capacity', async () => {
    const readsFor = async (owner: string) => {
      const mark = h.capacity.length;
      const out = await h.call('Query', 'listExpenses', { limit: 10 }, { sub: owner });
      expect((out.data as { items: unknown[] }).items).toHaveLength(10);
      expect(h.capacity.slice(mark).map((r) => r.operation)).toEqual(['Query']);
      return h.capacity[mark].units;
    };
    const [ten, thousand] = [await readsFor(small), await readsFor(sub)];
    expect(ten).toBeGreaterThan(0);
    expect(thousand).toBe(ten);
  });

  it("given a garbage nextToken or another user's, then ValidationError naming nextToken", async () => {
    const mine = ((await h.call('Query', 'listExpenses', { limit: 5 }, { sub })).data as { nextToken: string })
      .nextToken;
    expect(mine).toEqual(expect.any(String));
    for (const [token, caller] of [
      ['garbage', sub],
      [mine, small],
      [mine.slice(0, -2), sub],
    ]) {
      const out = await h.call('Query', 'listExpenses', { limit: 5, nextToken: token }, { sub: caller });
      expect(out.data).toBeNull();
      expect(out.errors).toEqual([
        expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'nextToken' } }),
      ]);
    }
  });

  it('given pages of 100, when paged to the end, then every expense comes once, newest first, each page one Query whose reads do not grow', async () => {
    const seen: string[] = [];
    const units: number[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const mark = h.capacity.length;
      const out = await h.call('Query', 'listExpenses', { limit: 100, nextToken }, { sub });
      expect(out.errors).toEqual([]);
      const page = out.data as { items: Array<{ date: string }>; nextToken: string | null };
      const requests = h.capacity.slice(mark);
      expect(requests.map((r) => r.operation)).toEqual(['Query']);
      // No filter: DynamoDB read exactly the items the page returns.
      expect(h.scanned.at(-1)).toBe(page.items.length);
      units.push(requests[0].units);
      seen.push(...page.items.map((e) => e.date));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken && pages < 20);
    expect(seen).toEqual([...days].reverse());
    expect(pages).toBeLessThanOrEqual(11);
    expect(Math.min(...units.slice(0, 10))).toBeGreaterThan(0);
    // One page of 100 items costs the same at the start and at the end of the table.
    expect(Math.max(...units.slice(0, 10))).toBeLessThanOrEqual(Math.min(...units.slice(0, 10)) * 1.5);
  }, 60_000);

  it('given a category and a date range, when listed, then only that category within the range, newest first, in one Query', async () => {
    const mark = h.capacity.length;
    const out = await h.call(
      'Query',
      'listExpenses',
      { category: 'GROCERIES', from: '2025-03-01', to: '2025-03-10', limit: 100 },
      { sub },
    );
    const items = (out.data as { items: Array<{ date: string; category: string }> }).items;
    expect(items.every((e) => e.category === 'GROCERIES' && e.date >= '2025-03-01' && e.date <= '2025-03-10')).toBe(
      true,
    );
    expect(items.map((e) => e.date)).toEqual(
      days.filter((d, i) => i % 2 === 1 && d >= '2025-03-01' && d <= '2025-03-10').reverse(),
    );
    expect(h.capacity.slice(mark).map((r) => r.operation)).toEqual(['Query']);
  });

  it('given only a date range, when listed, then every category within the range', async () => {
    const out = await h.call('Query', 'listExpenses', { from: '2025-02-01', to: '2025-02-28' }, { sub });
    expect((out.data as { items: unknown[] }).items).toHaveLength(20);
    const all = await h.call('Query', 'listExpenses', { from: '2025-02-01', to: '2025-02-28', limit: 100 }, { sub });
    expect((all.data as { items: unknown[] }).items).toHaveLength(28);
  });

  it('given a limit out of range or from after to, then ValidationError', async () => {
    expect((await h.call('Query', 'listExpenses', { limit: 101 }, { sub })).errors[0]).toMatchObject({
      errorType: 'ValidationError',
      errorInfo: { field: 'limit' },
    });
    expect(
      (await h.call('Query', 'listExpenses', { from: '2025-02-02', to: '2025-02-01' }, { sub })).errors[0],
    ).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'from' } });
  });
});
