import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMimeMessage } from '../../local/ses-outbox.ts';
import type { LocalStack } from '../../local/stack.ts';
import {
  eventually,
  givenSignedInUser,
  graphql,
  subscribeOverWebSocket,
  givenRunningStack,
  type SignedInUser,
} from './steps.ts';

/**
 * Budget alerts as users live them on `npm start`: expenses through the API, BudgetFn run
 * asynchronously by the resolvers, alerts pushed over the real-time WebSocket and emailed —
 * once per threshold per period, even when 20 expenses cross a threshold together; thresholds
 * passed at once are pushed each and emailed once, for the highest.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let bob: SignedInUser;
const today = new Date().toISOString().slice(0, 10); // new users live in UTC

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, user.accessToken);
const spend = (user: SignedInUser, amount: number, category = 'DINING') =>
  call(user, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }', {
    input: { merchant: 'Bistro', amount, currency: 'EUR', date: today, category },
  });
const alertsIn = async (to: string) =>
  (await stack.outbox.list()).filter((m) => m.to.includes(to) && m.subject.startsWith('Eating out'));

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('budget-alerts'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  bob = await givenSignedInUser(stack, 'bob@example.com');
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

describe('budget alerts', () => {
  it('given 70 % spent, when 20 expenses cross 80 % together, then exactly one 80 % alert by push and by email, and the 100 % one exactly when crossed', async () => {
    const created = await call(
      ada,
      'mutation { createBudget(input: { name: "Eating out", category: DINING, period: MONTHLY, amount: 10000, currency: "EUR" }) { id thresholds } }',
    );
    expect(created.body.data.createBudget).toEqual({ id: 'DINING-MONTHLY', thresholds: [50, 80, 100] });
    // Bob has a budget of the same id: ids are per user.
    await call(
      bob,
      'mutation { createBudget(input: { name: "Eating out", category: DINING, period: MONTHLY, amount: 10000, currency: "EUR" }) { id } }',
    );
    const adaAlerts = await subscribeOverWebSocket(
      stack,
      ada.accessToken,
      'subscription { onBudgetAlert { id budgetId threshold spent limit } }',
    );
    const bobAlerts = await subscribeOverWebSocket(
      stack,
      bob.accessToken,
      'subscription { onBudgetAlert { id threshold spent } }',
    );
    const alertId = (threshold: number) => `DINING-MONTHLY:${today.slice(0, 7)}-01:${threshold}`;
    const thresholdsOf = (alerts: { data: unknown[] }) =>
      alerts.data.map((d) => (d as { onBudgetAlert: { threshold: number } }).onBudgetAlert.threshold);

    await spend(ada, 7000);
    await stack.lambda.drain();
    await eventually(
      () => adaAlerts.data.length,
      (n) => n >= 1,
    );
    expect(adaAlerts.data).toEqual([
      { onBudgetAlert: { id: alertId(50), budgetId: 'DINING-MONTHLY', threshold: 50, spent: 7000, limit: 10000 } },
    ]);

    // Bob spends at the same time as Ada: his alerts are his, and his expenses are not in her budget.
    const answers = await Promise.all([...Array.from({ length: 20 }, () => spend(ada, 50)), spend(bob, 9000)]);
    expect(answers.every((a) => !a.body.errors)).toBe(true);
    await stack.lambda.drain();
    await eventually(
      () => adaAlerts.data.length,
      (n) => n >= 2,
      3000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate would arrive in this window
    expect(thresholdsOf(adaAlerts)).toEqual([50, 80]);
    expect(adaAlerts.data[1]).toEqual({
      onBudgetAlert: { id: alertId(80), budgetId: 'DINING-MONTHLY', threshold: 80, spent: 8000, limit: 10000 },
    });
    expect((await alertsIn('ada@example.com')).map((m) => m.subject)).toEqual([
      'Eating out: 50 % of your budget used',
      'Eating out: 80 % of your budget used',
    ]);

    // One cent short of the limit: no 100 % alert; the cent that reaches it: the alert.
    await spend(ada, 1999);
    await stack.lambda.drain();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(thresholdsOf(adaAlerts)).toEqual([50, 80]);
    await spend(ada, 1);
    await stack.lambda.drain();
    await eventually(
      () => adaAlerts.data.length,
      (n) => n >= 3,
    );
    expect(adaAlerts.data.at(-1)).toEqual({
      onBudgetAlert: { id: alertId(100), budgetId: 'DINING-MONTHLY', threshold: 100, spent: 10000, limit: 10000 },
    });
    expect(await alertsIn('ada@example.com')).toHaveLength(3);

    const status = await call(
      ada,
      'query { budget(id: "DINING-MONTHLY") { status { spent limit remaining state percentUsed } } }',
    );
    expect(status.body.data.budget.status).toMatchObject({
      spent: 10000,
      limit: 10000,
      remaining: 0,
      percentUsed: 100,
    });

    // Bob's spending never moved Ada's budget, and each heard only of their own alerts.
    await spend(bob, 99999);
    await stack.lambda.drain();
    const after = await call(ada, 'query { budget(id: "DINING-MONTHLY") { status { spent } } }');
    expect(after.body.data.budget.status.spent).toBe(10000);
    await eventually(
      () => bobAlerts.data.length,
      (n) => n >= 3,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobAlerts.data).toEqual(
      [50, 80, 100].map((threshold) => ({
        onBudgetAlert: { id: alertId(threshold), threshold, spent: threshold === 100 ? 108999 : 9000 },
      })),
    );
    expect(thresholdsOf(adaAlerts)).toEqual([50, 80, 100]);
    // Bob's first expense passed 50 and 80 at once: one email, for 80.
    expect((await alertsIn('bob@example.com')).map((m) => m.subject)).toEqual([
      'Eating out: 80 % of your budget used',
      'Eating out: 100 % of your budget used',
    ]);
    expect(await alertsIn('ada@example.com')).toHaveLength(3);
    adaAlerts.socket.close();
    bobAlerts.socket.close();
  }, 60_000);

  it('given spending already at 85 %, when a budget is created, then its 50 and 80 % alerts come at once (one email); when its amount is lowered, the 100 % one', async () => {
    const carol = await givenSignedInUser(stack, 'carol@example.com');
    const alerts = await subscribeOverWebSocket(
      stack,
      carol.accessToken,
      'subscription { onBudgetAlert { id threshold spent limit } }',
    );
    await spend(carol, 8500, 'FUEL');
    await stack.lambda.drain();
    const created = await call(
      carol,
      'mutation { createBudget(input: { name: "Fuel", category: FUEL, period: MONTHLY, amount: 10000, currency: "EUR" }) { id version } }',
    );
    expect(created.body.errors).toBeUndefined();
    await stack.lambda.drain();
    await eventually(
      () => alerts.data.length,
      (n) => n >= 2,
    );
    const month = `${today.slice(0, 7)}-01`;
    expect(alerts.data).toEqual(
      [50, 80].map((threshold) => ({
        onBudgetAlert: { id: `FUEL-MONTHLY:${month}:${threshold}`, threshold, spent: 8500, limit: 10000 },
      })),
    );

    await call(
      carol,
      'mutation { updateBudget(input: { id: "FUEL-MONTHLY", expectedVersion: 1, amount: 8000 }) { version } }',
    );
    await stack.lambda.drain();
    await eventually(
      () => alerts.data.length,
      (n) => n >= 3,
    );
    expect(alerts.data.at(-1)).toEqual({
      onBudgetAlert: { id: `FUEL-MONTHLY:${month}:100`, threshold: 100, spent: 8500, limit: 8000 },
    });

    // Raised again and lowered again in the same month: each threshold has had its alert.
    await call(
      carol,
      'mutation { updateBudget(input: { id: "FUEL-MONTHLY", expectedVersion: 2, amount: 20000 }) { version } }',
    );
    await call(
      carol,
      'mutation { updateBudget(input: { id: "FUEL-MONTHLY", expectedVersion: 3, amount: 8000 }) { version } }',
    );
    await stack.lambda.drain();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alerts.data).toHaveLength(3);
    expect(
      (await stack.outbox.list())
        .filter((m) => m.to.includes('carol@example.com') && m.subject.startsWith('Fuel'))
        .map((m) => m.subject),
    ).toEqual(['Fuel: 80 % of your budget used', 'Fuel: 100 % of your budget used']);
    alerts.socket.close();
  }, 60_000);

  it('given spending past the limit, when a budget is created, then three pushes and one email, naming 100 % and saying it is over', async () => {
    const dave = await givenSignedInUser(stack, 'dave@example.com');
    const alerts = await subscribeOverWebSocket(
      stack,
      dave.accessToken,
      'subscription { onBudgetAlert { threshold } }',
    );
    await spend(dave, 12000, 'GROCERIES');
    await stack.lambda.drain();
    await call(
      dave,
      'mutation { createBudget(input: { name: "Food", category: GROCERIES, period: MONTHLY, amount: 10000, currency: "EUR" }) { id } }',
    );
    await stack.lambda.drain();
    await eventually(
      () => alerts.data.length,
      (n) => n >= 3,
    );
    expect(alerts.data).toEqual([50, 80, 100].map((threshold) => ({ onBudgetAlert: { threshold } })));
    const emails = (await stack.outbox.list()).filter(
      (m) => m.to.includes('dave@example.com') && m.subject.startsWith('Food'),
    );
    expect(emails.map((m) => m.subject)).toEqual(['Food: 100 % of your budget used']);
    const mime = readMimeMessage(await (await fetch(`${stack.urls.outbox}/${emails[0].id}.eml`)).text());
    expect(mime.text).toContain('You are over your Food budget: €120.00 spent of €100.00');
    alerts.socket.close();
  }, 60_000);
});
