import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetDeps } from '../../functions/shared/budgets/deps.ts';
import { budgetHandler } from '../../functions/budgets/handler.ts';
import { periodOf, previousPeriodOf } from '../../functions/shared/periods.ts';
import type { Handler } from '../../local/lambda.ts';
import { PROJECT_ROOT, type LocalStack } from '../../local/stack.ts';
import {
  eventually,
  givenRunningStack,
  givenSignedInUser,
  graphql,
  stackDynamoDb,
  subscribeOverWebSocket,
  type SignedInUser,
} from './steps.ts';

/**
 * Budget periods as users live them: the real API, resolvers and BudgetFn, with BudgetFn's
 * clock set to the moment each case is about (23:30 on the last day of a month in Los
 * Angeles, a Sunday night in Auckland at the end of an ISO week across a year end, a leap
 * day, the months after a rollover budget was created). Everything else runs on real time.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
const clock = { now: new Date() };

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('budget-periods', {
    loadHandler: async (fn) =>
      fn.name === 'BudgetFn'
        ? (budgetHandler(() => ({ ...budgetDeps(), now: () => clock.now })) as Handler)
        : ((await import(pathToFileURL(path.resolve(PROJECT_ROOT, fn.entry)).href)) as { handler: Handler }).handler,
  }));
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

const call = async (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) => {
  const answer = await graphql(stack.urls.graphql, query, variables, user.accessToken);
  expect(answer.body.errors).toBeUndefined();
  await stack.lambda.drain(); // the budget evaluations the mutation asked for
  return answer.body.data;
};
const spend = (user: SignedInUser, date: string, amount: number, category = 'DINING') =>
  call(user, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id version } }', {
    input: { merchant: 'Bistro', amount, currency: 'EUR', date, category },
  }).then((d) => d.createExpense as { id: string });
const statusOf = async (user: SignedInUser, id: string) =>
  (
    await call(
      user,
      `query { budget(id: "${id}") { status { periodStart periodEnd spent limit rolloverAmount forecast } } }`,
    )
  ).budget.status;

async function givenUserIn(email: string, timezone: string) {
  const user = await givenSignedInUser(stack, email);
  await call(user, `mutation { updateProfile(input: { timezone: "${timezone}", homeCurrency: "EUR" }) { id } }`);
  const alerts = await subscribeOverWebSocket(
    stack,
    user.accessToken,
    'subscription { onBudgetAlert { id threshold spent limit periodStart periodEnd } }',
  );
  return { user, alerts };
}
/** The budget as if made at `at` (the API stamps the real time): its carries start in that period. */
async function givenBudgetCreatedAt(user: SignedInUser, budgetId: string, at: Date) {
  const db = stackDynamoDb(stack);
  const sub = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString('utf8')).sub as string;
  await db.send(
    new UpdateCommand({
      TableName: 'Budgets',
      Key: { user_id: sub, budget_id: budgetId },
      UpdateExpression: 'SET createdAt = :at',
      ConditionExpression: 'attribute_exists(budget_id)',
      ExpressionAttributeValues: { ':at': at.toISOString() },
    }),
  );
}
const received = (alerts: { data: unknown[] }) =>
  alerts.data.map((d) => (d as { onBudgetAlert: Record<string, unknown> }).onBudgetAlert);

describe("budget periods in the owner's timezone", () => {
  it('given 23:30 in Los Angeles on 30 November (already December in UTC), then an expense of that day alerts in November, and one of 1 December does not count yet', async () => {
    const { user, alerts } = await givenUserIn('lena@example.com', 'America/Los_Angeles');
    await call(
      user,
      'mutation { createBudget(input: { name: "Eating out", category: DINING, period: MONTHLY, amount: 10000 }) { id } }',
    );
    clock.now = new Date('2026-12-01T07:30:00Z');

    await spend(user, '2026-12-01', 9000); // tomorrow where Lena is
    await spend(user, '2026-11-30', 5000);
    await eventually(
      () => alerts.data.length,
      (n) => n >= 1,
    );
    expect(received(alerts)).toEqual([
      {
        id: 'DINING-MONTHLY:2026-11-01:50',
        threshold: 50,
        spent: 5000,
        limit: 10000,
        periodStart: '2026-11-01',
        periodEnd: '2026-11-30',
      },
    ]);
    expect(await statusOf(user, 'DINING-MONTHLY')).toMatchObject({
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      spent: 5000,
    });

    // An hour later it is December in Los Angeles too.
    clock.now = new Date('2026-12-01T08:30:00Z');
    expect(await statusOf(user, 'DINING-MONTHLY')).toMatchObject({
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
      spent: 9000,
    });
    alerts.socket.close();
  }, 30_000);

  it('given Sunday 23:30 in Auckland at the end of ISO week 53, then the week runs Monday 28 December to Sunday 3 January and the Sunday before is another week', async () => {
    const { user, alerts } = await givenUserIn('kiri@example.com', 'Pacific/Auckland');
    await call(user, 'mutation { createBudget(input: { name: "Week", period: WEEKLY, amount: 10000 }) { id } }');
    clock.now = new Date('2021-01-03T10:30:00Z'); // 23:30 NZDT

    await spend(user, '2020-12-27', 9000, 'GROCERIES'); // the week before
    await spend(user, '2020-12-28', 3000, 'GROCERIES');
    await spend(user, '2021-01-03', 2000, 'FUEL');
    await eventually(
      () => alerts.data.length,
      (n) => n >= 1,
    );
    expect(received(alerts)).toEqual([
      {
        id: 'ALL-WEEKLY:2020-12-28:50',
        threshold: 50,
        spent: 5000,
        limit: 10000,
        periodStart: '2020-12-28',
        periodEnd: '2021-01-03',
      },
    ]);
    expect(await statusOf(user, 'ALL-WEEKLY')).toMatchObject({
      periodStart: '2020-12-28',
      periodEnd: '2021-01-03',
      spent: 5000,
      forecast: 5000,
    });
    alerts.socket.close();
  }, 30_000);

  it('given a leap day, then February ends on the 29th and the year has 366 days', async () => {
    const { user, alerts } = await givenUserIn('pia@example.com', 'Europe/Berlin');
    await call(
      user,
      'mutation { createBudget(input: { name: "Food", category: DINING, period: MONTHLY, amount: 10000 }) { id } }',
    );
    await call(user, 'mutation { createBudget(input: { name: "Year", period: YEARLY, amount: 366000 }) { id } }');
    clock.now = new Date('2024-02-29T22:30:00Z'); // 23:30 in Berlin

    await spend(user, '2024-02-29', 8000);
    await eventually(
      () => alerts.data.length,
      (n) => n >= 2,
    );
    expect(received(alerts).map((a) => [a.id, a.periodEnd])).toEqual([
      ['DINING-MONTHLY:2024-02-01:50', '2024-02-29'],
      ['DINING-MONTHLY:2024-02-01:80', '2024-02-29'],
    ]);
    expect(await statusOf(user, 'DINING-MONTHLY')).toMatchObject({
      periodStart: '2024-02-01',
      periodEnd: '2024-02-29',
      spent: 8000,
      forecast: 8000,
    });
    // 8000 over the 60 days to 29 February, run on over 366 days.
    expect(await statusOf(user, 'ALL-YEARLY')).toMatchObject({
      periodEnd: '2024-12-31',
      spent: 8000,
      forecast: Math.round((8000 / 60) * 366),
    });
    alerts.socket.close();
  }, 30_000);
});

describe('rollover across periods', () => {
  it('given a new rollover budget, then it starts at its amount; the next month carries what was left, a change to last month moves this month and alerts, and an overspend carries negative', async () => {
    const { user, alerts } = await givenUserIn('rory@example.com', 'UTC');
    // Three months that are over (expense dates can't be in the future), the budget made in the first.
    const thisMonth = periodOf('MONTHLY', new Date().toISOString().slice(0, 10));
    const third = previousPeriodOf('MONTHLY', thisMonth.start);
    const second = previousPeriodOf('MONTHLY', third.start);
    const first = previousPeriodOf('MONTHLY', second.start);
    clock.now = new Date(`${first.start}T12:00:00Z`);
    await call(
      user,
      'mutation { createBudget(input: { name: "Dining", category: DINING, period: MONTHLY, amount: 10000, rollover: true }) { id } }',
    );
    await givenBudgetCreatedAt(user, 'DINING-MONTHLY', clock.now);
    // No history: nothing from before the budget existed carries in.
    expect(await statusOf(user, 'DINING-MONTHLY')).toMatchObject({
      periodStart: first.start,
      limit: 10000,
      rolloverAmount: 0,
    });
    const firstMonth = await spend(user, first.start, 6000);

    clock.now = new Date(`${second.start}T12:00:00Z`);
    expect(await statusOf(user, 'DINING-MONTHLY')).toMatchObject({
      periodStart: second.start,
      spent: 0,
      limit: 14000,
      rolloverAmount: 4000,
    });
    await spend(user, second.start, 10000); // 71 % of 14000
    await eventually(
      () => alerts.data.length,
      (n) => n >= 2,
    );
    expect(received(alerts).map((a) => [a.threshold, a.periodStart, a.limit])).toEqual([
      [50, first.start, 10000],
      [50, second.start, 14000],
    ]);

    // Last month's expense was 9000, not 6000: this month's limit drops to 11000 and 10000 is 91 % of it.
    await call(
      user,
      `mutation { updateExpense(input: { id: "${firstMonth.id}", expectedVersion: 1, amount: 9000 }) { version } }`,
    );
    await eventually(
      () => alerts.data.length,
      (n) => n >= 3,
    );
    expect(received(alerts).at(-1)).toMatchObject({
      id: `DINING-MONTHLY:${second.start}:80`,
      spent: 10000,
      limit: 11000,
    });

    // The third month: 1000 left of the second carries; then the second turns out overspent by 2000.
    clock.now = new Date(`${third.start}T12:00:00Z`);
    expect(await statusOf(user, 'DINING-MONTHLY')).toMatchObject({
      periodStart: third.start,
      limit: 11000,
      rolloverAmount: 1000,
    });
    await spend(user, second.end, 3000);
    expect(await statusOf(user, 'DINING-MONTHLY')).toMatchObject({
      periodStart: third.start,
      spent: 0,
      limit: 8000,
      rolloverAmount: -2000,
    });
    expect(alerts.data).toHaveLength(3);
    alerts.socket.close();
  }, 30_000);
});
