import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { eventually, givenSignedInUser, graphql, subscribeOverWebSocket, givenRunningStack, type SignedInUser } from './steps.ts';

/**
 * Budget alerts as users live them on `npm start`: expenses through the API, BudgetFn run
 * asynchronously by the resolvers, alerts pushed over the real-time WebSocket and emailed —
 * once per threshold per period, even when 20 expenses cross a threshold together.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let bob: SignedInUser;
const today = new Date().toISOString().slice(0, 10); // new users live in UTC

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) => graphql(stack.urls.graphql, query, variables, user.accessToken);
const spend = (user: SignedInUser, amount: number, category = 'DINING') =>
  call(user, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }', { input: { merchant: 'Bistro', amount, currency: 'EUR', date: today, category } });
const alertsIn = async (to: string) => (await stack.outbox.list()).filter((m) => m.to.includes(to) && m.subject.startsWith('Eating out'));

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('budget-alerts'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  bob = await givenSignedInUser(stack, 'bob@example.com');
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

describe('budget alerts', () => {
  it('given 70 % spent, when 20 expenses cross 80 % together, then exactly one 80 % alert by push and by email, and the 100 % one when crossed', async () => {
    const created = await call(ada, 'mutation { createBudget(input: { name: "Eating out", category: DINING, period: MONTHLY, amount: 10000, currency: "EUR" }) { id thresholds } }');
    expect(created.body.data.createBudget).toEqual({ id: 'DINING-MONTHLY', thresholds: [50, 80, 100] });
    const adaAlerts = await subscribeOverWebSocket(stack, ada.accessToken, 'subscription { onBudgetAlert { budgetId threshold spent limit } }');
    const bobAlerts = await subscribeOverWebSocket(stack, bob.accessToken, 'subscription { onBudgetAlert { budgetId threshold } }');

    await spend(ada, 7000);
    await stack.lambda.drain();
    await eventually(() => adaAlerts.data.length, (n) => n >= 1);
    expect(adaAlerts.data).toEqual([{ onBudgetAlert: { budgetId: 'DINING-MONTHLY', threshold: 50, spent: 7000, limit: 10000 } }]);

    const answers = await Promise.all(Array.from({ length: 20 }, () => spend(ada, 50)));
    expect(answers.every((a) => !a.body.errors)).toBe(true);
    await stack.lambda.drain();
    await eventually(() => adaAlerts.data.length, (n) => n >= 2, 3000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate would arrive in this window
    expect(adaAlerts.data.map((d) => (d as { onBudgetAlert: { threshold: number } }).onBudgetAlert.threshold)).toEqual([50, 80]);
    expect((await alertsIn('ada@example.com')).map((m) => m.subject)).toEqual(['Eating out: 50 % of your budget used', 'Eating out: 80 % of your budget used']);

    await spend(ada, 2500);
    await stack.lambda.drain();
    await eventually(() => adaAlerts.data.length, (n) => n >= 3);
    expect(adaAlerts.data.at(-1)).toEqual({ onBudgetAlert: { budgetId: 'DINING-MONTHLY', threshold: 100, spent: 10500, limit: 10000 } });

    const status = await call(ada, 'query { budget(id: "DINING-MONTHLY") { status { spent limit remaining state percentUsed } } }');
    expect(status.body.data.budget.status).toMatchObject({ spent: 10500, limit: 10000, remaining: -500, state: 'OVER', percentUsed: 105 });

    // Bob's spending never moves Ada's budget, and Bob never hears of Ada's alerts.
    await spend(bob, 99999);
    await stack.lambda.drain();
    const after = await call(ada, 'query { budget(id: "DINING-MONTHLY") { status { spent } } }');
    expect(after.body.data.budget.status.spent).toBe(10500);
    expect(bobAlerts.data).toEqual([]);
    expect(await alertsIn('bob@example.com')).toEqual([]);
    adaAlerts.socket.close();
    bobAlerts.socket.close();
  }, 60_000);
});
