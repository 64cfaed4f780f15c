import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { givenRunningStack, givenSignedInUser, graphql, ok, stackDynamoDb, type SignedInUser } from '../e2e/steps.ts';

/**
 * Splitting an expense across categories (splitExpense), through the running local stack: the
 * resolvers, SearchFn keeping the split index entries, BudgetFn and ReportFn. A split expense must
 * count each part in its own category (summary, category budgets, listExpenses by category) and
 * the whole once in all spending; another user can neither split it nor see it.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let bob: SignedInUser;
let adaSub: string;
let db: DynamoDBDocumentClient;
const today = new Date().toISOString().slice(0, 10); // new users live in UTC
const monthStart = `${today.slice(0, 7)}-01`;

const EXPENSE =
  'id amount currency category customCategoryId version splits { amount category customCategoryId description lineItems converted }';
const SPLIT = `mutation ($input: ExpenseSplitInput!) { splitExpense(input: $input) { ${EXPENSE} } }`;

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, user.accessToken);
const spend = async (input: Record<string, unknown>) =>
  (
    await ok(stack, ada, `mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { ${EXPENSE} } }`, {
      input: { merchant: 'Hypermarket', currency: 'EUR', date: today, ...input },
    })
  ).createExpense;
const split = (user: SignedInUser, id: string, expectedVersion: number, parts: unknown[]) =>
  call(user, SPLIT, { input: { id, expectedVersion, parts } });
const splitOk = async (id: string, expectedVersion: number, parts: unknown[]) =>
  (await ok(stack, ada, SPLIT, { input: { id, expectedVersion, parts } })).splitExpense;
const idsIn = async (user: SignedInUser, category: string, range: { from?: string; to?: string } = {}) =>
  (
    await ok(
      stack,
      user,
      'query ($c: Category, $from: AWSDate, $to: AWSDate) { listExpenses(category: $c, from: $from, to: $to, limit: 100) { items { id } } }',
      { c: category, ...range },
    )
  ).listExpenses.items.map((e: { id: string }) => e.id);
const errorOf = (answer: { body: { errors?: Array<Record<string, unknown>> } }) => {
  const [error] = answer.body.errors ?? [];
  return { errorType: error?.errorType, errorInfo: error?.errorInfo };
};
const splitIndexItems = async (id: string) =>
  (
    await db.send(
      new QueryCommand({
        TableName: 'Expenses',
        KeyConditionExpression: 'user_id = :u AND begins_with(expense_id, :id)',
        ExpressionAttributeValues: { ':u': adaSub, ':id': `${id}#` },
      }),
    )
  ).Items ?? [];

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('expense-splits'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  bob = await givenSignedInUser(stack, 'bob@example.com');
  adaSub = JSON.parse(Buffer.from(ada.accessToken.split('.')[1], 'base64url').toString()).sub;
  for (const user of [ada, bob])
    await ok(stack, user, 'mutation { updateProfile(input: { homeCurrency: "EUR" }) { id } }');
  db = stackDynamoDb(stack);
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

describe('splitting by amounts', () => {
  it('given a 100.00 grocery bill, when split 60/40 with household, then parts, summary, budgets and listExpenses count each part in its own category', async () => {
    const hh = await ok(
      stack,
      ada,
      'mutation { createBudget(input: { category: HOUSEHOLD, period: MONTHLY, amount: 100000, currency: "EUR" }) { id } }',
    );
    const all = await ok(
      stack,
      ada,
      'mutation { createBudget(input: { period: MONTHLY, amount: 100000, currency: "EUR" }) { id } }',
    );
    const expense = await spend({ amount: 10000, category: 'GROCERIES' });

    const out = await splitOk(expense.id, 1, [
      { category: 'GROCERIES', amount: 6000, description: 'Food' },
      { category: 'HOUSEHOLD', amount: 4000, description: 'Detergent' },
    ]);
    expect(out).toEqual({
      ...expense,
      version: 2,
      splits: [
        {
          amount: 6000,
          category: 'GROCERIES',
          customCategoryId: null,
          description: 'Food',
          lineItems: null,
          converted: 6000,
        },
        {
          amount: 4000,
          category: 'HOUSEHOLD',
          customCategoryId: null,
          description: 'Detergent',
          lineItems: null,
          converted: 4000,
        },
      ],
    });

    // Found by each of its categories, once, by one Query on the category index.
    expect(await idsIn(ada, 'HOUSEHOLD')).toEqual([expense.id]);
    expect(await idsIn(ada, 'GROCERIES')).toEqual([expense.id]);
    expect(await idsIn(ada, 'DINING')).toEqual([]);

    const summary = (
      await ok(
        stack,
        ada,
        'query ($from: AWSDate!, $to: AWSDate!) { expenseSummary(from: $from, to: $to) { home { total count byCategory { category amount count } } } }',
        { from: monthStart, to: today },
      )
    ).expenseSummary.home;
    expect(summary.total).toBe(10000);
    expect(summary.count).toBe(1);
    expect(summary.byCategory).toEqual([
      { category: 'GROCERIES', amount: 6000, count: 1 },
      { category: 'HOUSEHOLD', amount: 4000, count: 1 },
    ]);

    const spent = async (id: string) =>
      (await ok(stack, ada, 'query ($id: ID!) { budget(id: $id) { status { spent } } }', { id })).budget.status.spent;
    expect(await spent(hh.createBudget.id)).toBe(4000);
    expect(await spent(all.createBudget.id)).toBe(10000);

    // The change is in the expense's history.
    const history = (
      await ok(
        stack,
        ada,
        'query ($id: ID!) { history(itemId: $id, itemType: EXPENSE) { items { version changes { field } } } }',
        {
          id: expense.id,
        },
      )
    ).history.items;
    expect(history.at(-1)).toEqual({ version: 2, changes: [{ field: 'splits' }] });
  });

  it('given a split expense, when its day changes, then its part is found at the new day; when its split is taken away, not at all', async () => {
    const expense = await spend({ amount: 3000, category: 'DINING', date: '2026-01-10' });
    await splitOk(expense.id, 1, [
      { category: 'DINING', amount: 2000 },
      { category: 'ENTERTAINMENT', amount: 1000 },
    ]);
    expect(await idsIn(ada, 'ENTERTAINMENT', { from: '2026-01-10', to: '2026-01-10' })).toEqual([expense.id]);

    await ok(
      stack,
      ada,
      'mutation ($id: ID!) { updateExpense(input: { id: $id, expectedVersion: 2, date: "2026-01-20" }) { id } }',
      {
        id: expense.id,
      },
    );
    expect(await idsIn(ada, 'ENTERTAINMENT', { from: '2026-01-10', to: '2026-01-10' })).toEqual([]);
    expect(await idsIn(ada, 'ENTERTAINMENT', { from: '2026-01-20', to: '2026-01-20' })).toEqual([expense.id]);

    // A new amount keeps the parts' proportions, summing exactly.
    const rescaled = (
      await ok(
        stack,
        ada,
        `mutation ($id: ID!) { updateExpense(input: { id: $id, expectedVersion: 3, amount: 1001 }) { ${EXPENSE} } }`,
        {
          id: expense.id,
        },
      )
    ).updateExpense;
    expect(rescaled.splits.map((p: { amount: number }) => p.amount)).toEqual([667, 334]);

    const tooSmall = await call(
      ada,
      'mutation ($id: ID!) { updateExpense(input: { id: $id, expectedVersion: 4, amount: 1 }) { id } }',
      { id: expense.id },
    );
    expect(errorOf(tooSmall)).toEqual({ errorType: 'ValidationError', errorInfo: { field: 'amount', parts: 2 } });

    const cleared = await splitOk(expense.id, 4, []);
    expect(cleared.splits).toBeNull();
    expect(await idsIn(ada, 'ENTERTAINMENT', { from: '2026-01-20', to: '2026-01-20' })).toEqual([]);
    expect(await idsIn(ada, 'DINING', { from: '2026-01-20', to: '2026-01-20' })).toEqual([expense.id]);
    expect(await splitIndexItems(expense.id)).toEqual([]);
  });

  it('given a split whose largest part is another category, then the expense is filed under it, and deleting it leaves no index entry', async () => {
    const expense = await spend({ amount: 500, category: 'TRANSPORT', date: '2026-02-02' });
    const out = await splitOk(expense.id, 1, [
      { category: 'TRANSPORT', amount: 100 },
      { category: 'TRAVEL', amount: 400 },
    ]);
    expect(out.category).toBe('TRAVEL');
    expect(await idsIn(ada, 'TRANSPORT', { from: '2026-02-02', to: '2026-02-02' })).toEqual([expense.id]);
    expect(await idsIn(ada, 'TRAVEL', { from: '2026-02-02', to: '2026-02-02' })).toEqual([expense.id]);
    expect((await splitIndexItems(expense.id)).map((i) => i.expense_id)).toEqual([`${expense.id}#split#TRANSPORT`]);

    await ok(stack, ada, 'mutation ($id: ID!) { deleteExpense(id: $id) { id } }', { id: expense.id });
    expect(await idsIn(ada, 'TRANSPORT', { from: '2026-02-02', to: '2026-02-02' })).toEqual([]);
    expect(await splitIndexItems(expense.id)).toEqual([]);
  });
});

describe('splitting by shares and by line items', () => {
  it('given ¥1000, when split evenly three ways, then 334 + 333 + 333', async () => {
    const expense = await spend({ amount: 1000, currency: 'JPY', category: 'GROCERIES', date: '2026-03-01' });
    const out = await splitOk(expense.id, 1, [
      { category: 'GROCERIES', share: 1 },
      { category: 'HOUSEHOLD', share: 1 },
      { category: 'HEALTH', share: 1 },
    ]);
    expect(out.splits.map((p: { amount: number }) => p.amount)).toEqual([334, 333, 333]);
  });

  it("given a receipt's line items, when split by them, then each part takes its items and the tax in proportion", async () => {
    const id = ulid();
    const now = new Date().toISOString();
    await db.send(
      new PutCommand({
        TableName: 'Receipts',
        Item: {
          user_id: adaSub,
          receipt_id: id,
          status: 'PROCESSED',
          status_key: `PROCESSED#${id}`,
          s3Key: `receipts/${adaSub}/${id}.jpg`,
          contentType: 'image/jpeg',
          size: 1000,
          extraction: {
            lineItems: [
              { description: 'Bread', amount: 500, confidence: 0.9 },
              { description: 'Soap', amount: 300, confidence: 0.9 },
              { description: 'Milk', amount: 200, confidence: 0.9 },
              { description: 'Bag', confidence: 0.5 },
            ],
          },
          expenseId: id,
          createdAt: now,
          updatedAt: now,
        },
      }),
    );
    await db.send(
      new PutCommand({
        TableName: 'Expenses',
        Item: {
          user_id: adaSub,
          expense_id: id,
          merchant: 'Corner Shop',
          amount: 1100,
          currency: 'EUR',
          date: '2026-03-05',
          category: 'GROCERIES',
          category_date: 'GROCERIES#2026-03-05',
          categorySource: 'RULES',
          categoryConfidence: 0.8,
          receiptId: id,
          needsReview: false,
          converted: { amount: 1100, currency: 'EUR', rate: '1', rateDate: '2026-03-05', source: 'SAME', stale: false },
          version: 1,
          createdAt: now,
          updatedAt: now,
        },
      }),
    );
    const out = await splitOk(id, 1, [
      { category: 'GROCERIES', lineItems: [0, 2] },
      { category: 'HOUSEHOLD', lineItems: [1], description: 'Soap' },
    ]);
    // 1000 of items, 1100 paid: the 100 of tax spread 70/30.
    expect(out.splits).toEqual([
      {
        amount: 770,
        category: 'GROCERIES',
        customCategoryId: null,
        description: null,
        lineItems: [0, 2],
        converted: 770,
      },
      {
        amount: 330,
        category: 'HOUSEHOLD',
        customCategoryId: null,
        description: 'Soap',
        lineItems: [1],
        converted: 330,
      },
    ]);

    const unknown = await split(ada, id, 2, [
      { category: 'GROCERIES', lineItems: [0] },
      { category: 'HOUSEHOLD', lineItems: [3] },
    ]);
    expect(errorOf(unknown)).toEqual({
      errorType: 'ValidationError',
      errorInfo: { field: 'parts.1.lineItems', index: 3, lineItemCount: 4 },
    });

    // Deleting the receipt with its expense takes the split's index item with them.
    expect((await splitIndexItems(id)).map((i) => i.expense_id)).toEqual([`${id}#split#HOUSEHOLD`]);
    await ok(stack, ada, 'mutation ($id: ID!) { deleteReceipt(id: $id, deleteExpense: true) { id } }', { id });
    expect(await splitIndexItems(id)).toEqual([]);
    expect(await idsIn(ada, 'HOUSEHOLD', { from: '2026-03-05', to: '2026-03-05' })).toEqual([]);
  });
});

describe('custom categories', () => {
  it("given parts in the caller's custom category, then the part carries it and its parent; another user's custom category is NotFound", async () => {
    const coffee = (
      await ok(
        stack,
        ada,
        'mutation { createCategory(input: { name: "Coffee", colour: "#6F4E37", parent: DINING }) { id } }',
      )
    ).createCategory.id;
    const bobs = (
      await ok(
        stack,
        bob,
        'mutation { createCategory(input: { name: "Tea", colour: "#00AA00", parent: DINING }) { id } }',
      )
    ).createCategory.id;
    const expense = await spend({ amount: 900, category: 'GROCERIES', date: '2026-04-01' });

    const foreign = await split(ada, expense.id, 1, [
      { customCategoryId: bobs, amount: 400 },
      { category: 'GROCERIES', amount: 500 },
    ]);
    expect(errorOf(foreign)).toEqual({ errorType: 'NotFound', errorInfo: { id: bobs } });

    const out = await splitOk(expense.id, 1, [
      { customCategoryId: coffee, amount: 400 },
      { category: 'GROCERIES', amount: 500 },
    ]);
    expect(out.splits[0]).toMatchObject({ category: 'DINING', customCategoryId: coffee, amount: 400 });
    expect(await idsIn(ada, 'DINING', { from: '2026-04-01', to: '2026-04-01' })).toEqual([expense.id]);
  });
});

describe('invalid splits', () => {
  let expense: { id: string };
  beforeAll(async () => {
    expense = await spend({ amount: 1000, category: 'OTHER', date: '2026-05-01' });
  });

  it.each([
    [
      'parts that do not sum to the amount',
      [
        { category: 'OTHER', amount: 600 },
        { category: 'HEALTH', amount: 399 },
      ],
      { field: 'parts', expected: 1000, actual: 999 },
    ],
    ['one part', [{ category: 'OTHER', amount: 1000 }], { field: 'parts', min: 2, max: 20 }],
    [
      '21 parts',
      Array.from({ length: 21 }, () => ({ category: 'OTHER', share: 1 })),
      { field: 'parts', min: 2, max: 20 },
    ],
    [
      'a part of 0',
      [
        { category: 'OTHER', amount: 1000 },
        { category: 'HEALTH', amount: 0 },
      ],
      { field: 'parts.1.amount', min: 1 },
    ],
    [
      'a fractional amount',
      [
        { category: 'OTHER', amount: 999.5 },
        { category: 'HEALTH', amount: 0.5 },
      ],
      { field: 'parts.0.amount', min: 1 },
    ],
    [
      'mixed kinds',
      [
        { category: 'OTHER', amount: 500 },
        { category: 'HEALTH', share: 1 },
      ],
      { field: 'parts.1' },
    ],
    [
      'a part without a category',
      [{ amount: 500 }, { category: 'HEALTH', amount: 500 }],
      { field: 'parts.0.category' },
    ],
    [
      'line items on an expense without a receipt',
      [
        { category: 'OTHER', lineItems: [0] },
        { category: 'HEALTH', lineItems: [1] },
      ],
      { field: 'parts' },
    ],
    [
      'a share that leaves a part empty',
      [
        { category: 'OTHER', share: 1000000 },
        { category: 'HEALTH', share: 1 },
      ],
      { field: 'parts.1', amount: 0 },
    ],
  ])('given %s, then ValidationError and nothing changes', async (_name, parts, errorInfo) => {
    const answer = await split(ada, expense.id, 1, parts);
    expect(errorOf(answer)).toEqual({ errorType: 'ValidationError', errorInfo });
    const current = (await ok(stack, ada, `query ($id: ID!) { expense(id: $id) { ${EXPENSE} } }`, { id: expense.id }))
      .expense;
    expect(current).toMatchObject({ version: 1, splits: null });
  });

  it('given a stale expectedVersion, then Conflict', async () => {
    const answer = await split(ada, expense.id, 7, [
      { category: 'OTHER', amount: 500 },
      { category: 'HEALTH', amount: 500 },
    ]);
    expect(errorOf(answer)).toEqual({ errorType: 'Conflict', errorInfo: { currentVersion: 1 } });
  });

  it('given a retry of a split already written, then it answers the split, not Conflict', async () => {
    const parts = [
      { category: 'OTHER', amount: 500 },
      { category: 'HEALTH', amount: 500 },
    ];
    const first = await splitOk(expense.id, 1, parts);
    const again = await splitOk(expense.id, 1, parts);
    expect(again).toEqual(first);
  });
});

describe('another user', () => {
  it("given ada's split expense, when bob splits it or lists its categories, then NotFound and nothing of hers", async () => {
    const expense = await spend({ amount: 2000, category: 'GROCERIES', date: '2026-06-01' });
    await splitOk(expense.id, 1, [
      { category: 'GROCERIES', amount: 1000 },
      { category: 'EDUCATION', amount: 1000 },
    ]);
    const answer = await split(bob, expense.id, 2, [
      { category: 'GROCERIES', amount: 1000 },
      { category: 'OTHER', amount: 1000 },
    ]);
    expect(errorOf(answer)).toEqual({ errorType: 'NotFound', errorInfo: { id: expense.id } });
    expect(await idsIn(bob, 'EDUCATION')).toEqual([]);
    expect(await idsIn(bob, 'GROCERIES')).toEqual([]);
    expect(await idsIn(ada, 'EDUCATION')).toEqual([expense.id]);
  });
});
