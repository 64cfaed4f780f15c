import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenProfile, startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/**
 * Custom categories through the resolvers on dynalite: created, listed, renamed, merged and
 * deleted, and expenses filed under them (their `category` is the parent; `customCategory`
 * follows merges and is null after a delete), with validation errors and another user's ids.
 */
let h: ResolverHarness;
const DAY = '2026-03-14';

type Category = { id: string; name: string; colour: string; icon: string | null; parent: string; version: number };
type Expense = Record<string, unknown> & {
  id: string;
  version: number;
  category: string;
  customCategoryId: string | null;
};

async function call(typeName: string, fieldName: string, args: Record<string, unknown> = {}, sub = 'user-a') {
  return h.call(typeName, fieldName, args, { sub });
}

async function ok<T>(typeName: string, fieldName: string, args: Record<string, unknown> = {}, sub = 'user-a') {
  const out = await call(typeName, fieldName, args, sub);
  expect(out.errors).toEqual([]);
  return out.data as T;
}

async function names(sub = 'user-a'): Promise<string[]> {
  return (await ok<Category[]>('Query', 'listCategories', {}, sub)).map((c) => c.name);
}

async function customCategoryOf(expense: Expense, sub = 'user-a'): Promise<Category | null> {
  const out = await h.call('Expense', 'customCategory', {}, { sub, source: expense });
  expect(out.errors).toEqual([]);
  return out.data as Category | null;
}

async function readExpense(id: string, sub = 'user-a'): Promise<Expense> {
  return ok<Expense>('Query', 'expense', { id }, sub);
}

function expectError(out: { errors: unknown[] }, errorType: string, errorInfo?: Record<string, unknown>) {
  expect(out.errors).toEqual([
    expect.objectContaining({ errorType, ...(errorInfo ? { errorInfo: expect.objectContaining(errorInfo) } : {}) }),
  ]);
}

beforeAll(async () => {
  h = await startResolverHarness();
  for (const sub of ['user-a', 'user-b', 'user-c', 'user-d', 'user-e', 'user-f']) await givenProfile(h.db, sub);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('custom categories', () => {
  let coffee: Category;
  let snacks: Category;
  let kids: Category;
  let coffeeExpense: Expense;
  let snackExpense: Expense;

  it('given no categories, when some are created, then they are listed by name with colour upper-cased, and none for another user', async () => {
    expect(await names()).toEqual([]);
    coffee = await ok<Category>('Mutation', 'createCategory', {
      input: { name: ' Coffee ', colour: '#6f4e37', icon: '☕', parent: 'DINING' },
    });
    expect(coffee).toMatchObject({ name: 'Coffee', colour: '#6F4E37', icon: '☕', parent: 'DINING', version: 1 });
    expect(coffee.id).toMatch(/^[0-9A-Z]{26}$/);
    kids = await ok<Category>('Mutation', 'createCategory', {
      input: { name: 'kids', colour: '#FFAA00', parent: 'EDUCATION' },
    });
    expect(kids.icon).toBeNull();
    snacks = await ok<Category>('Mutation', 'createCategory', {
      input: { name: 'Snacks', colour: '#00FF00', parent: 'GROCERIES' },
    });
    expect(await names()).toEqual(['Coffee', 'kids', 'Snacks']);
    expect(await names('user-b')).toEqual([]);
  });

  it.each([
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(41) }, 'name'],
    [{ colour: 'red' }, 'colour'],
    [{ colour: '#12345G' }, 'colour'],
    [{ icon: 'a-very-long-icon-name' }, 'icon'],
  ])('given %o, when creating, then it is a ValidationError on %s and nothing is stored', async (fields, field) => {
    const out = await call('Mutation', 'createCategory', {
      input: { name: 'Valid', colour: '#000000', parent: 'OTHER', ...fields },
    });
    expectError(out, 'ValidationError', { field });
    expect(await names()).toEqual(['Coffee', 'kids', 'Snacks']);
  });

  it('given a category named Coffee, when another is created as COFFEE, then it is a Conflict naming the holder', async () => {
    const out = await call('Mutation', 'createCategory', {
      input: { name: 'COFFEE', colour: '#000000', parent: 'OTHER' },
    });
    expectError(out, 'Conflict', { field: 'name', categoryId: coffee.id });
    // Another user has names of their own.
    await ok('Mutation', 'createCategory', { input: { name: 'Coffee', colour: '#000000', parent: 'OTHER' } }, 'user-b');
  });

  it('given an expense filed under a custom category, then its category is the parent, it is on the parent category index, and customCategory resolves', async () => {
    coffeeExpense = await ok<Expense>('Mutation', 'createExpense', {
      input: { merchant: 'Espresso Bar', amount: 350, date: DAY, customCategoryId: coffee.id },
    });
    expect(coffeeExpense).toMatchObject({ category: 'DINING', categorySource: 'USER', customCategoryId: coffee.id });
    expect(await customCategoryOf(coffeeExpense)).toMatchObject({ id: coffee.id, name: 'Coffee' });
    const dining = await ok<{ items: Expense[] }>('Query', 'listExpenses', { category: 'DINING', from: DAY, to: DAY });
    expect(dining.items.map((e) => e.id)).toEqual([coffeeExpense.id]);
    // An expense typed in without one has none.
    const plain = await ok<Expense>('Mutation', 'createExpense', {
      input: { merchant: 'Hardware', amount: 100, date: DAY, category: 'HOUSEHOLD' },
    });
    expect(plain.customCategoryId).toBeNull();
    expect(await customCategoryOf(plain)).toBeNull();
  });

  it('given a category that is not the parent, or an unknown custom category, when creating an expense, then ValidationError or NotFound', async () => {
    expectError(
      await call('Mutation', 'createExpense', {
        input: { merchant: 'Cafe', amount: 1, date: DAY, category: 'TRAVEL', customCategoryId: coffee.id },
      }),
      'ValidationError',
      { field: 'category', parent: 'DINING' },
    );
    expectError(
      await call('Mutation', 'createExpense', {
        input: { merchant: 'Cafe', amount: 1, date: DAY, customCategoryId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      }),
      'NotFound',
    );
  });

  it('given an expense, when updated into a custom category, then its category becomes the parent on the category index; setting a category alone takes it out again', async () => {
    const made = await ok<Expense>('Mutation', 'createExpense', {
      input: { merchant: 'Bakery', amount: 420, date: DAY, category: 'OTHER' },
    });
    snackExpense = await ok<Expense>('Mutation', 'updateExpense', {
      input: { id: made.id, expectedVersion: made.version, customCategoryId: snacks.id },
    });
    expect(snackExpense).toMatchObject({ category: 'GROCERIES', customCategoryId: snacks.id, version: 2 });
    // Its history records the change (before and after are JSON).
    const history = await ok<{ items: Array<{ version: number; changes: Array<Record<string, unknown>> }> }>(
      'Query',
      'history',
      { itemId: made.id, itemType: 'EXPENSE' },
    );
    expect(history.items.find((e) => e.version === 2)?.changes).toEqual(
      expect.arrayContaining([
        { field: 'category', before: '"OTHER"', after: '"GROCERIES"' },
        { field: 'customCategoryId', before: null, after: JSON.stringify(snacks.id) },
      ]),
    );
    const groceries = await ok<{ items: Expense[] }>('Query', 'listExpenses', { category: 'GROCERIES' });
    expect(groceries.items.map((e) => e.id)).toEqual([made.id]);
    expect((await ok<{ items: Expense[] }>('Query', 'listExpenses', { category: 'OTHER' })).items).toEqual([]);

    const out = await ok<Expense>('Mutation', 'updateExpense', {
      input: { id: made.id, expectedVersion: 2, category: 'SHOPPING' },
    });
    expect(out).toMatchObject({ category: 'SHOPPING', customCategoryId: null });
    expect(await customCategoryOf(out)).toBeNull();
    snackExpense = await ok<Expense>('Mutation', 'updateExpense', {
      input: { id: made.id, expectedVersion: 3, customCategoryId: snacks.id },
    });
    expect(snackExpense).toMatchObject({ category: 'GROCERIES', customCategoryId: snacks.id });
  });

  it('given a category, when renamed and recoloured, then its expenses show the new name, the old name is free, and another category name is a Conflict', async () => {
    const renamed = await ok<Category>('Mutation', 'updateCategory', {
      id: coffee.id,
      input: { name: 'Coffee & tea', colour: '#112233', icon: null },
    });
    expect(renamed).toMatchObject({ id: coffee.id, name: 'Coffee & tea', colour: '#112233', icon: null, version: 2 });
    expect(await customCategoryOf(await readExpense(coffeeExpense.id))).toMatchObject({ name: 'Coffee & tea' });
    expectError(await call('Mutation', 'updateCategory', { id: coffee.id, input: { name: 'SNACKS' } }), 'Conflict', {
      field: 'name',
      categoryId: snacks.id,
    });
    // A change of case alone is no conflict with itself.
    expect(await ok<Category>('Mutation', 'updateCategory', { id: kids.id, input: { name: 'Kids' } })).toMatchObject({
      name: 'Kids',
    });
    // The old name is free again.
    const again = await ok<Category>('Mutation', 'createCategory', {
      input: { name: 'coffee', colour: '#000000', parent: 'OTHER' },
    });
    await ok('Mutation', 'deleteCategory', { id: again.id });
    expect(await names()).toEqual(['Coffee & tea', 'Kids', 'Snacks']);
    expectError(await call('Mutation', 'updateCategory', { id: coffee.id, input: {} }), 'ValidationError', {
      field: 'input',
    });
    expectError(
      await call('Mutation', 'updateCategory', { id: coffee.id, input: { colour: '123456' } }),
      'ValidationError',
      {
        field: 'colour',
      },
    );
  });

  it('given a category whose parent changes, then its expenses keep the category they were filed under until filed again', async () => {
    const moved = await ok<Category>('Mutation', 'updateCategory', { id: kids.id, input: { parent: 'SHOPPING' } });
    expect(moved).toMatchObject({ parent: 'SHOPPING', version: 3 });
    const filed = await ok<Expense>('Mutation', 'createExpense', {
      input: { merchant: 'Toy shop', amount: 999, date: DAY, customCategoryId: kids.id },
    });
    expect(filed.category).toBe('SHOPPING');
    await ok('Mutation', 'updateCategory', { id: kids.id, input: { parent: 'EDUCATION' } });
    expect((await readExpense(filed.id)).category).toBe('SHOPPING');
    const again = await ok<Expense>('Mutation', 'updateExpense', {
      input: { id: filed.id, expectedVersion: filed.version, customCategoryId: kids.id },
    });
    expect(again).toMatchObject({ category: 'EDUCATION', customCategoryId: kids.id });
    const education = await ok<{ items: Expense[] }>('Query', 'listExpenses', {
      category: 'EDUCATION',
      from: DAY,
      to: DAY,
    });
    expect(education.items.map((e) => e.id)).toEqual([filed.id]);
  });

  it('given two categories, when one is merged into the other, then its expenses show the target, keep their category, and it is no longer listed', async () => {
    expectError(await call('Mutation', 'mergeCategory', { from: snacks.id, into: snacks.id }), 'ValidationError', {
      field: 'into',
    });
    const into = await ok<Category>('Mutation', 'mergeCategory', { from: snacks.id, into: coffee.id });
    expect(into).toMatchObject({ id: coffee.id, name: 'Coffee & tea' });
    expect(await names()).toEqual(['Coffee & tea', 'Kids']);
    const expense = await readExpense(snackExpense.id);
    expect(expense).toMatchObject({ category: 'GROCERIES', customCategoryId: snacks.id });
    expect(await customCategoryOf(expense)).toMatchObject({ id: coffee.id, name: 'Coffee & tea' });
    // The merged one is gone as a category: merging, updating or filing under it is NotFound.
    expectError(await call('Mutation', 'mergeCategory', { from: snacks.id, into: kids.id }), 'NotFound', {
      id: snacks.id,
    });
    expectError(await call('Mutation', 'updateCategory', { id: snacks.id, input: { name: 'Back' } }), 'NotFound');
    expectError(
      await call('Mutation', 'updateExpense', {
        input: { id: snackExpense.id, expectedVersion: expense.version, customCategoryId: snacks.id },
      }),
      'NotFound',
    );
    // Its name is free again.
    const fresh = await ok<Category>('Mutation', 'createCategory', {
      input: { name: 'Snacks', colour: '#00FF00', parent: 'GROCERIES' },
    });
    expect(fresh.id).not.toBe(snacks.id);
    // Merges chain: the target merged on again leads there.
    await ok('Mutation', 'mergeCategory', { from: coffee.id, into: fresh.id });
    expect(await customCategoryOf(expense)).toMatchObject({ id: fresh.id, name: 'Snacks' });
    expect(await customCategoryOf(await readExpense(coffeeExpense.id))).toMatchObject({ id: fresh.id });
    coffee = fresh;
  });

  it('given a category with expenses, when deleted, then it is returned as it was, the expenses keep their category and have no custom category', async () => {
    const deleted = await ok<Category>('Mutation', 'deleteCategory', { id: coffee.id });
    expect(deleted).toMatchObject({ id: coffee.id, name: 'Snacks' });
    expect(await names()).toEqual(['Kids']);
    for (const id of [coffeeExpense.id, snackExpense.id]) {
      const expense = await readExpense(id);
      expect(expense.category).toBe(id === coffeeExpense.id ? 'DINING' : 'GROCERIES');
      expect(await customCategoryOf(expense)).toBeNull();
    }
    expectError(await call('Mutation', 'deleteCategory', { id: coffee.id }), 'NotFound', { id: coffee.id });
  });

  it("given another user's category id, when they use it, then it is NotFound everywhere, and nothing of hers changes", async () => {
    for (const [field, args] of [
      ['updateCategory', { id: kids.id, input: { name: 'Mine' } }],
      ['updateCategory', { id: kids.id, input: {} }],
      ['deleteCategory', { id: kids.id }],
      ['mergeCategory', { from: kids.id, into: kids.id + 'X' }],
      ['createExpense', { input: { merchant: 'School', amount: 1, date: DAY, customCategoryId: kids.id } }],
    ] as const) {
      expectError(await call('Mutation', field, args, 'user-b'), 'NotFound');
    }
    // Her category merged into his: NotFound too.
    const his = await ok<Category>(
      'Mutation',
      'createCategory',
      {
        input: { name: 'Kids', colour: '#000000', parent: 'OTHER' },
      },
      'user-b',
    );
    expectError(await call('Mutation', 'mergeCategory', { from: his.id, into: kids.id }, 'user-b'), 'NotFound', {
      id: kids.id,
    });
    expect(await names()).toEqual(['Kids']);
    // An expense of his read as if it named her category shows none.
    expect(await customCategoryOf({ ...coffeeExpense, customCategoryId: kids.id }, 'user-b')).toBeNull();
  });

  it('given the same name created five times at once in different cases, then exactly one is made and the others are Conflicts', async () => {
    const outs = await Promise.all(
      ['Race', 'RACE', 'race', 'rAce', 'racE'].map((name) =>
        call('Mutation', 'createCategory', { input: { name, colour: '#000000', parent: 'OTHER' } }, 'user-d'),
      ),
    );
    expect(outs.filter((o) => o.errors.length === 0)).toHaveLength(1);
    for (const out of outs.filter((o) => o.errors.length > 0)) expectError(out, 'Conflict');
    expect(await names('user-d')).toHaveLength(1);
  });

  it('given 100 categories, when another is created, then it is LimitExceeded; after a delete there is room again', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const made = await ok<Category>(
        'Mutation',
        'createCategory',
        { input: { name: `Category ${i}`, colour: '#000000', parent: 'OTHER' } },
        'user-c',
      );
      ids.push(made.id);
    }
    const out = await call(
      'Mutation',
      'createCategory',
      { input: { name: 'One more', colour: '#000000', parent: 'OTHER' } },
      'user-c',
    );
    expectError(out, 'LimitExceeded', { limit: 100 });
    await ok('Mutation', 'deleteCategory', { id: ids[0] }, 'user-c');
    await ok(
      'Mutation',
      'createCategory',
      { input: { name: 'One more', colour: '#000000', parent: 'OTHER' } },
      'user-c',
    );
    expect(await names('user-c')).toHaveLength(100);
  });
});

describe('custom categories of a page of expenses', () => {
  const sub = 'user-e';
  type Page = { items: Expense[]; nextToken: string | null };
  /** What AppSync runs for `items { id customCategory { id name } }`: the list, then the field on each expense. */
  async function pageWithCategories(field: 'listExpenses' | 'searchExpenses', args: Record<string, unknown>) {
    const mark = h.capacity.length;
    const page = await ok<Page>('Query', field, args, sub);
    const shown: Array<string | null> = [];
    for (const expense of page.items) shown.push((await customCategoryOf(expense, sub))?.name ?? null);
    const categoryReads = h.capacity.slice(mark).filter((c) => c.operation === 'GetItem').length;
    return { page, shown, categoryReads };
  }

  it('given a page of 20 expenses under live, merged and deleted categories, when listed or searched with their custom categories, then the categories are read once for the page (one read per expense before), with the same answers', async () => {
    const made = async (name: string) =>
      ok<Category>('Mutation', 'createCategory', { input: { name, colour: '#123456', parent: 'DINING' } }, sub);
    const [lunch, brunch, gone, none] = [await made('Lunch'), await made('Brunch'), await made('Gone'), null];
    const filings = [lunch, brunch, gone, none];
    for (let i = 0; i < 20; i++) {
      const filing = filings[i % filings.length];
      await ok(
        'Mutation',
        'createExpense',
        {
          input: {
            merchant: `Canteen ${i}`,
            amount: 100 + i,
            date: '2026-03-01',
            category: 'DINING',
            ...(filing ? { customCategoryId: filing.id } : {}),
          },
        },
        sub,
      );
    }
    await ok('Mutation', 'mergeCategory', { from: brunch.id, into: lunch.id }, sub);
    await ok('Mutation', 'deleteCategory', { id: gone.id }, sub);

    // One read per expense filed under a custom category, as each expense alone is resolved.
    const { page: listed } = await pageWithCategories('listExpenses', { limit: 20 });
    expect(listed.items).toHaveLength(20);
    const mark = h.capacity.length;
    const alone: Array<string | null> = [];
    for (const expense of listed.items) {
      const { customCategoryOfPage: _resolved, ...bare } = expense as Expense & { customCategoryOfPage?: unknown };
      alone.push((await customCategoryOf(bare as Expense, sub))?.name ?? null);
    }
    expect(h.capacity.slice(mark).filter((c) => c.operation === 'GetItem')).toHaveLength(15);

    for (const [field, args] of [
      ['listExpenses', { limit: 20 }],
      ['searchExpenses', { text: 'canteen', limit: 20 }],
    ] as const) {
      const { page, shown, categoryReads } = await pageWithCategories(field, args);
      expect(page.items).toHaveLength(20);
      expect(categoryReads).toBe(1);
      // Merged follows the target, deleted is none, as resolved alone.
      const byId = new Map(listed.items.map((e, i) => [e.id, alone[i]]));
      expect(shown).toEqual(page.items.map((e) => byId.get(e.id)));
      expect(shown.filter((name) => name === 'Lunch')).toHaveLength(10);
      expect(shown.filter((name) => name === null)).toHaveLength(10);
    }
    // A page with no expense under a custom category reads no categories.
    expect((await pageWithCategories('listExpenses', { limit: 5, category: 'GROCERIES' })).categoryReads).toBe(0);
  });
});

describe('listExpenses by custom category', () => {
  const sub = 'user-f';
  type Page = { items: Expense[]; nextToken: string | null };
  const list = (args: Record<string, unknown>, who = sub) => call('Query', 'listExpenses', args, who);

  async function all(args: Record<string, unknown>): Promise<Expense[]> {
    const out: Expense[] = [];
    let nextToken: string | null = null;
    do {
      const page: Page = await ok<Page>('Query', 'listExpenses', { ...args, nextToken }, sub);
      expect(page.items.length).toBeGreaterThan(0);
      out.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }

  it('given expenses under a category, one merged into it, another category and none, when listed by the category page by page, then exactly its expenses and the merged ones come, newest first, within from/to', async () => {
    const made = async (name: string, parent = 'DINING') =>
      ok<Category>('Mutation', 'createCategory', { input: { name, colour: '#123456', parent } }, sub);
    const [lunch, brunch, gifts] = [await made('Lunch'), await made('Brunch'), await made('Gifts', 'SHOPPING')];
    const expected: Array<{ id: string; date: string }> = [];
    for (let i = 0; i < 30; i++) {
      const filing = [lunch, brunch, gifts, null][i % 4];
      const date = `2026-02-${String(1 + ((i * 7) % 28)).padStart(2, '0')}`;
      const created = await ok<Expense>(
        'Mutation',
        'createExpense',
        {
          input: {
            merchant: `Shop ${i}`,
            amount: 100 + i,
            date,
            category: filing ? filing.parent : 'DINING',
            ...(filing ? { customCategoryId: filing.id } : {}),
          },
        },
        sub,
      );
      if (filing === lunch || filing === brunch) expected.push({ id: created.id, date });
    }
    await ok('Mutation', 'mergeCategory', { from: brunch.id, into: lunch.id }, sub);
    const datesOf = (rows: Expense[]) => rows.map((r) => String(r.date));

    const listed = await all({ customCategoryId: lunch.id, limit: 4 });
    expect(listed.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(datesOf(listed)).toEqual(datesOf(listed).sort().reverse());
    expect(listed.every((e) => e.category === 'DINING')).toBe(true);
    // Each shows Lunch, Brunch's merged into it, resolved with the page: the field reads nothing.
    const mark = h.capacity.length;
    for (const expense of listed) expect((await customCategoryOf(expense, sub))?.name).toBe('Lunch');
    expect(h.capacity.length).toBe(mark);

    const bounded = await all({ customCategoryId: lunch.id, from: '2026-02-08', to: '2026-02-20', limit: 3 });
    expect(bounded.map((e) => e.id).sort()).toEqual(
      expected
        .filter((e) => e.date >= '2026-02-08' && e.date <= '2026-02-20')
        .map((e) => e.id)
        .sort(),
    );
    const onlyGifts = await all({ customCategoryId: gifts.id, limit: 2 });
    expect(onlyGifts).toHaveLength(7);
    expect(onlyGifts.every((e) => e.customCategoryId === gifts.id)).toBe(true);
  });

  it("given a merged, deleted or another user's category, or category beside it, or a foreign nextToken, then NotFound or ValidationError", async () => {
    const mine = await ok<Category>(
      'Mutation',
      'createCategory',
      { input: { name: 'Mine', colour: '#000000', parent: 'OTHER' } },
      'user-a',
    );
    expectError(await list({ customCategoryId: mine.id }), 'NotFound');
    const gone = await ok<Category>(
      'Mutation',
      'createCategory',
      { input: { name: 'Gone', colour: '#000000', parent: 'OTHER' } },
      sub,
    );
    await ok('Mutation', 'deleteCategory', { id: gone.id }, sub);
    expectError(await list({ customCategoryId: gone.id }), 'NotFound');
    const [lunch] = (await ok<Category[]>('Query', 'listCategories', {}, sub)).filter((c) => c.name === 'Lunch');
    expectError(await list({ customCategoryId: lunch.id, category: 'DINING' }), 'ValidationError', {
      field: 'customCategoryId',
    });
    const first = await ok<Page>('Query', 'listExpenses', { customCategoryId: lunch.id, limit: 2 }, sub);
    expect(first.nextToken).toBeTruthy();
    expectError(await list({ customCategoryId: lunch.id, limit: 2, nextToken: first.nextToken }, 'user-a'), 'NotFound');
    expectError(await list({ customCategoryId: lunch.id, limit: 2, nextToken: 'garbage' }), 'ValidationError', {
      field: 'nextToken',
    });
  });
});
