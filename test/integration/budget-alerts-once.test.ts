import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateBudgetsForChange, type BudgetDeps } from '../../functions/shared/budgets/core.ts';
import { createBudgetStore } from '../../functions/shared/budgets/dynamo-adapters.ts';
import { givenLocalDynamoDb, type TestDynamoDb } from '../support/local-dynamodb.ts';
import type { Category } from '../../generated/graphql.ts';
import type { BudgetAlert } from '../../model/budgets.ts';
import { NO_RATES } from '../support/memory-rates.ts';
import { categoryDateOf } from '../../model/expenses.ts';

/**
 * Against a real DynamoDB protocol (dynalite): exactly once under 20 evaluations at the same
 * moment, and exact sums when the index has not caught up with the write being evaluated.
 */
let dynamo: TestDynamoDb;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await givenLocalDynamoDb('budget-once');
  db = dynamo.db;
});

afterAll(async () => {
  await dynamo?.stop();
});

const tables = { budgets: 'Budgets', expenses: 'Expenses', users: 'Users' };

async function givenBudget(owner: string, item: Record<string, unknown>) {
  await db.send(
    new PutCommand({
      TableName: 'Users',
      Item: { user_id: owner, email: `${owner}@example.com`, timezone: 'Asia/Tokyo' },
    }),
  );
  await db.send(
    new PutCommand({
      TableName: 'Budgets',
      Item: {
        user_id: owner,
        name: 'Lunches',
        category: 'DINING',
        period: 'WEEKLY',
        amount: 10000,
        currency: 'JPY',
        thresholds: [50, 80, 100],
        rollover: false,
        fired: {},
        version: 1,
        createdAt: '2026-01-05T00:00:00.000Z',
        ...item,
      },
    }),
  );
}

function expenseItem(
  owner: string,
  id: string,
  date: string,
  amount: number,
  category: Category = 'DINING',
  currency = 'JPY',
) {
  return {
    user_id: owner,
    expense_id: id,
    date,
    amount,
    currency,
    category,
    category_date: categoryDateOf(category, date),
    merchant: 'x',
  };
}
const givenExpense = (item: ReturnType<typeof expenseItem>) =>
  db.send(new PutCommand({ TableName: 'Expenses', Item: item }));

function depsFor(client: DynamoDBDocumentClient, clock: { now: Date }) {
  const pushed: BudgetAlert[] = [];
  const emailed: BudgetAlert[] = [];
  const deps: BudgetDeps = {
    ...createBudgetStore(client, tables),
    recurringRules: async () => [],
    rates: NO_RATES,
    push: async (a) => void pushed.push(a),
    email: async (a) => void emailed.push(a),
    now: () => clock.now,
  };
  return { deps, pushed, emailed };
}

describe('alerts under concurrency', () => {
  it('given 85 % spent, when 20 evaluations run at once, then 50 and 80 are each pushed exactly once, one email for 80; a later period starts fresh', async () => {
    await givenBudget('u1', { budget_id: 'DINING-WEEKLY' });
    const clock = { now: new Date('2026-11-25T03:00:00Z') };
    const { deps, pushed, emailed } = depsFor(db, clock);
    const crossing = expenseItem('u1', 'e1', '2026-11-24', 8500);
    await givenExpense(crossing);
    await givenExpense(expenseItem('u1', 'e2', '2026-11-24', 999999, 'FUEL')); // another category
    await givenExpense(expenseItem('u1', 'e3', '2026-11-24', 999999, 'DINING', 'EUR')); // another currency: excluded

    await Promise.all(
      Array.from({ length: 20 }, () => evaluateBudgetsForChange(deps, 'u1', { before: null, after: crossing })),
    );
    expect(pushed.map((a) => a.id).sort()).toEqual(['DINING-WEEKLY:2026-11-23:50', 'DINING-WEEKLY:2026-11-23:80']);
    expect(emailed.map((a) => a.id)).toEqual(['DINING-WEEKLY:2026-11-23:80']);
    expect(pushed[0]).toMatchObject({ spent: 8500, limit: 10000, periodStart: '2026-11-23', periodEnd: '2026-11-29' });
    // Delivered on both channels: only the fired thresholds stay on the item.
    const item = (
      await db.send(new GetCommand({ TableName: 'Budgets', Key: { user_id: 'u1', budget_id: 'DINING-WEEKLY' } }))
    ).Item!;
    expect(item.fired).toEqual({ '2026-11-23': expect.arrayContaining([50, 80]) });
    expect(Object.keys(item).filter((k) => k.startsWith('pendingAlert:'))).toEqual([]);

    // Next week: the same spending level alerts again, once.
    clock.now = new Date('2026-12-02T03:00:00Z');
    const december = expenseItem('u1', 'e4', '2026-12-01', 5000);
    await givenExpense(december);
    await Promise.all(
      Array.from({ length: 5 }, () => evaluateBudgetsForChange(deps, 'u1', { before: null, after: december })),
    );
    expect(pushed.filter((a) => a.periodStart === '2026-11-30').map((a) => a.id)).toEqual([
      'DINING-WEEKLY:2026-11-30:50',
    ]);
  });
});

describe('alerts when the index lags behind the table', () => {
  /** A client whose index Queries answer as a GSI that has not caught up yet: `stale` decides what each page shows. */
  function laggingIndex(
    stale: (items: Record<string, unknown>[]) => Record<string, unknown>[],
  ): DynamoDBDocumentClient {
    const lagging = Object.create(db) as DynamoDBDocumentClient;
    lagging.send = (async (command: unknown) => {
      const out = await db.send(command as QueryCommand);
      if (command instanceof QueryCommand && command.input.IndexName)
        return { ...out, Items: stale((out as { Items?: Record<string, unknown>[] }).Items ?? []) };
      return out;
    }) as DynamoDBDocumentClient['send'];
    return lagging;
  }
  const clock = { now: new Date('2026-11-25T03:00:00Z') };

  it('given the expense that crosses 80 % is not in the index yet, then the alert fires with the exact sum', async () => {
    await givenBudget('u2', { budget_id: 'DINING-WEEKLY' });
    await givenExpense(expenseItem('u2', 'e1', '2026-11-23', 7000));
    const crossing = expenseItem('u2', 'e2', '2026-11-24', 1500);
    await givenExpense(crossing);
    const { deps, pushed } = depsFor(
      laggingIndex((items) => items.filter((i) => i.expense_id !== 'e2')),
      clock,
    );
    await evaluateBudgetsForChange(deps, 'u2', { before: null, after: crossing });
    expect(pushed.map((a) => [a.threshold, a.spent])).toEqual([
      [50, 8500],
      [80, 8500],
    ]);
  });

  it('given an update the index still shows in its old version, then the new version counts', async () => {
    await givenBudget('u3', { budget_id: 'ALL-WEEKLY', category: null, name: 'Everything' });
    const before = expenseItem('u3', 'e1', '2026-11-24', 2000, 'FUEL');
    const after = expenseItem('u3', 'e1', '2026-11-24', 8000, 'DINING');
    await givenExpense(after);
    const { deps, pushed } = depsFor(
      laggingIndex((items) => items.map((i) => (i.expense_id === 'e1' ? { ...i, amount: 2000, category: 'FUEL' } : i))),
      clock,
    );
    await evaluateBudgetsForChange(deps, 'u3', { before, after });
    expect(pushed.map((a) => [a.threshold, a.spent])).toEqual([
      [50, 8000],
      [80, 8000],
    ]);
  });

  it('given a deleted expense the index still shows, then its delete alerts nothing', async () => {
    // Recorded before the budget existed, so no alert counted it; deleted now.
    await givenBudget('u4', { budget_id: 'DINING-WEEKLY' });
    await givenExpense(expenseItem('u4', 'e1', '2026-11-23', 4000));
    const deleted = expenseItem('u4', 'e2', '2026-11-24', 5000);
    const { deps, pushed } = depsFor(
      laggingIndex((items) => [...items, deleted]),
      clock,
    );
    await evaluateBudgetsForChange(deps, 'u4', { before: deleted, after: null });
    expect(pushed).toEqual([]);
    // Control: the older form, without the items, trusts the same lagging index and alerts on the ghost.
    await evaluateBudgetsForChange(deps, 'u4', { dates: ['2026-11-24'], categories: ['DINING'] });
    expect(pushed.map((a) => [a.threshold, a.spent])).toEqual([
      [50, 9000],
      [80, 9000],
    ]);
  });
});
