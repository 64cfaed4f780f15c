import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { givenRunningStack, givenSignedInUser, graphql, ok, type SignedInUser } from '../e2e/steps.ts';

/**
 * Budgets of a tag or a custom category, and the summary's spending by tag and custom category,
 * through the running local stack: expenses typed in through the API, BudgetFn run by the
 * resolvers, alerts emailed (the outbox); the summary from ReportFn.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let bob: SignedInUser;
const today = new Date().toISOString().slice(0, 10); // new users live in UTC
const monthStart = `${today.slice(0, 7)}-01`;

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, user.accessToken);
const spend = (input: Record<string, unknown>) =>
  ok(stack, ada, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id version } }', {
    input: { merchant: 'Shop', currency: 'EUR', date: today, ...input },
  });
const createBudget = (user: SignedInUser, input: Record<string, unknown>) =>
  call(
    user,
    'mutation ($input: CreateBudgetInput!) { createBudget(input: $input) { id name category tag customCategoryId } }',
    { input: { period: 'MONTHLY', currency: 'EUR', ...input } },
  );
const alertSubjects = async (budgetName: string) => {
  // Let a late send land: a duplicate or a wrong alert would arrive in this window.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return (await stack.outbox.list())
    .filter((m) => m.to.includes('ada@example.com') && m.subject.startsWith(`${budgetName}:`))
    .map((m) => m.subject);
};
const spentOf = async (id: string) =>
  (await ok(stack, ada, 'query ($id: ID!) { budget(id: $id) { status { spent } } }', { id })).budget.status.spent;

let coffeeId: string;

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('budget-scoped'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  bob = await givenSignedInUser(stack, 'bob@example.com');
  for (const user of [ada, bob])
    await ok(stack, user, 'mutation { updateProfile(input: { homeCurrency: "EUR" }) { id } }');
  coffeeId = (
    await ok(
      stack,
      ada,
      'mutation { createCategory(input: { name: "Coffee", colour: "#6F4E37", parent: DINING }) { id } }',
    )
  ).createCategory.id;
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

describe('a tag budget', () => {
  it('given a budget of a tag, when untagged spending passes its limit, then no alert; when tagged spending crosses 80 %, then the 80 % alert', async () => {
    const created = await createBudget(ada, { name: 'Trip', tag: '  Holiday ', amount: 10000 });
    expect(created.body.data.createBudget).toEqual({
      id: 'TAG#holiday-MONTHLY',
      name: 'Trip',
      category: null,
      tag: 'holiday',
      customCategoryId: null,
    });

    await spend({ amount: 20000, category: 'TRAVEL' });
    await spend({ amount: 9000, category: 'DINING', tags: ['work'] });
    expect(await alertSubjects('Trip')).toEqual([]);
    expect(await spentOf('TAG#holiday-MONTHLY')).toBe(0);

    // Tags are matched as stored (lower case), in any category.
    await spend({ amount: 7900, category: 'TRAVEL', tags: ['HOLIDAY', 'kids'] });
    expect(await alertSubjects('Trip')).toEqual(['Trip: 50 % of your budget used']);
    const { createExpense } = await spend({ amount: 200, category: 'DINING', tags: ['holiday'] });
    expect(await alertSubjects('Trip')).toEqual(['Trip: 50 % of your budget used', 'Trip: 80 % of your budget used']);
    expect(await spentOf('TAG#holiday-MONTHLY')).toBe(8100);

    // The tag taken off an expense takes it out of the budget.
    await ok(stack, ada, 'mutation ($input: UpdateExpenseInput!) { updateExpense(input: $input) { id } }', {
      input: { id: createExpense.id, expectedVersion: createExpense.version, tags: [] },
    });
    expect(await spentOf('TAG#holiday-MONTHLY')).toBe(7900);
  }, 30_000);

  it('given a tag with a category or a custom category, or a blank one, then ValidationError naming the field', async () => {
    const errors = async (input: Record<string, unknown>) =>
      (await createBudget(ada, { amount: 100, ...input })).body.errors?.map(
        (e: { errorType?: string; errorInfo?: unknown }) => [
          e.errorType,
          (e.errorInfo as { field?: string } | undefined)?.field,
        ],
      );
    expect(await errors({ tag: 'holiday', category: 'DINING' })).toEqual([['ValidationError', 'tag']]);
    expect(await errors({ tag: 'holiday', customCategoryId: coffeeId })).toEqual([['ValidationError', 'tag']]);
    expect(await errors({ tag: '   ' })).toEqual([['ValidationError', 'tag']]);
    expect(await errors({ tag: 'x'.repeat(41) })).toEqual([['ValidationError', 'tag']]);
    // The same tag and period again: a Conflict naming the tag.
    expect(await errors({ tag: 'HOLIDAY' })).toEqual([['Conflict', 'tag']]);
  });
});

describe('a custom-category budget', () => {
  it('given a budget of a custom category, then only expenses filed under it count, and its category is the parent', async () => {
    const created = await createBudget(ada, { customCategoryId: coffeeId, amount: 5000 });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createBudget).toEqual({
      id: `CUSTOM#${coffeeId}-MONTHLY`,
      name: 'Monthly Coffee',
      category: 'DINING',
      tag: null,
      customCategoryId: coffeeId,
    });
    await spend({ amount: 3000, category: 'DINING' });
    await spend({ amount: 1000, customCategoryId: coffeeId });
    await spend({ amount: 3500, customCategoryId: coffeeId });
    expect(await spentOf(`CUSTOM#${coffeeId}-MONTHLY`)).toBe(4500);
    // 90 % of the limit from the custom category alone (the 3000 of plain DINING would have made it over).
    expect(await alertSubjects('Monthly Coffee')).toEqual(['Monthly Coffee: 80 % of your budget used']);
  }, 30_000);

  it("given another user's custom category id, then NotFound; given another category than its parent, then ValidationError", async () => {
    const bobs = await createBudget(bob, { customCategoryId: coffeeId, amount: 100 });
    expect(bobs.body.errors).toEqual([expect.objectContaining({ errorType: 'NotFound' })]);
    const wrongParent = await createBudget(ada, { customCategoryId: coffeeId, category: 'FUEL', amount: 100 });
    expect(wrongParent.body.errors).toEqual([
      expect.objectContaining({
        errorType: 'ValidationError',
        errorInfo: expect.objectContaining({ field: 'category' }),
      }),
    ]);
  });
});

describe('the summary by tag and custom category', () => {
  it("given this month's expenses, then byTag counts an expense in each of its tags and byCustomCategory sums the filed ones", async () => {
    const data = await ok(
      stack,
      ada,
      `query { expenseSummary(from: "${monthStart}", to: "${today}") {
        byTag { tag amount count } byCustomCategory { customCategoryId amount count }
        budgets { budgetId tag customCategoryId }
      } }`,
    );
    const summary = data.expenseSummary;
    expect(summary.byTag).toEqual([
      { tag: 'work', amount: 9000, count: 1 },
      { tag: 'holiday', amount: 7900, count: 1 },
      { tag: 'kids', amount: 7900, count: 1 },
    ]);
    expect(summary.byCustomCategory).toEqual([{ customCategoryId: coffeeId, amount: 4500, count: 2 }]);
    expect(summary.budgets).toEqual(
      expect.arrayContaining([
        { budgetId: 'TAG#holiday-MONTHLY', tag: 'holiday', customCategoryId: null },
        { budgetId: `CUSTOM#${coffeeId}-MONTHLY`, tag: null, customCategoryId: coffeeId },
      ]),
    );
  }, 30_000);
});
