import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_LEASE_MS } from '../../functions/shared/budgets/alert-delivery.ts';
import { evaluateBudgetsForChange, type BudgetDeps, type ExpenseChange } from '../../functions/shared/budgets/core.ts';
import { budgetDeps } from '../../functions/shared/budgets/deps.ts';
import type { Category } from '../../generated/graphql.ts';
import { readMimeMessage } from '../../local/ses-outbox.ts';
import { categoryDateOf } from '../../model/expenses.ts';
import type { LocalStack } from '../../local/stack.ts';
import {
  eventually,
  givenRunningStack,
  givenSignedInUser,
  graphql,
  stackDynamoDb,
  subscribeOverWebSocket,
  type SignedInUser,
} from '../e2e/steps.ts';

/**
 * Alert delivery through the real parts of the running system (the store on dynalite, the
 * IAM-signed publish to the local AppSync, the WebSocket subscription, SES into the outbox)
 * with a step failing once, or the process dying right after a step; then the retry, as a
 * new process would run it. The user must end with the alert by push and by email, once
 * (or, where a crash fell between a send and its mark, again with the same id).
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let adaSub: string;
let pushes: { socket: { close(): void }; data: unknown[] };
let db: DynamoDBDocumentClient;
const today = new Date().toISOString().slice(0, 10); // new users live in UTC

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('budget-delivery'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  adaSub = JSON.parse(Buffer.from(ada.accessToken.split('.')[1], 'base64url').toString()).sub;
  pushes = await subscribeOverWebSocket(
    stack,
    ada.accessToken,
    'subscription { onBudgetAlert { id threshold spent } }',
  );
  db = stackDynamoDb(stack);
}, 60_000);

afterAll(async () => {
  pushes?.socket.close();
  await stopStack?.();
});

/** The real deps of one process, whose steps can fail once or kill the process (every later call throws). */
function processWith(fault: { failOnce?: string; crashAfter?: string }, clock: { now: Date }): BudgetDeps {
  const real = budgetDeps();
  let dead = false;
  let failOnce = fault.failOnce;
  const step =
    <A extends unknown[], R>(name: string, run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (dead) throw new Error('process is dead');
      if (failOnce === name) {
        failOnce = undefined;
        throw new Error(`${name} failed`);
      }
      const result = await run(...args);
      if (fault.crashAfter === name) {
        dead = true;
        throw new Error(`crashed after ${name}`);
      }
      return result;
    };
  const alerts = real.alerts;
  return {
    ...real,
    alerts: {
      claim: step('claim', alerts.claim),
      lease: step('lease', alerts.lease),
      markDelivered: step('markDelivered', alerts.markDelivered),
      complete: step('complete', alerts.complete),
      release: step('release', alerts.release),
    },
    push: step('push', real.push),
    email: step('email', real.email),
    now: () => clock.now,
  };
}

/** Given a budget (through the API) at 70 % and the expense that takes it to 85 %, written to the table without the API's own evaluation. */
async function givenCrossingExpense(category: Category): Promise<ExpenseChange> {
  const created = await graphql(
    stack.urls.graphql,
    `mutation { createBudget(input: { name: "${category} budget", category: ${category}, period: MONTHLY, amount: 10000, currency: "EUR", thresholds: [80] }) { id } }`,
    {},
    ada.accessToken,
  );
  expect(created.body.errors).toBeUndefined();
  await stack.lambda.drain(); // the new budget's own evaluation (nothing spent yet) is done before the expenses land
  const put = async (id: string, amount: number) => {
    const item = {
      user_id: adaSub,
      expense_id: `${category}-${id}`,
      merchant: 'Shop',
      amount,
      currency: 'EUR',
      date: today,
      category,
      category_date: categoryDateOf(category, today),
    };
    await db.send(new PutCommand({ TableName: 'Expenses', Item: item }));
    return item;
  };
  await put('1', 7000);
  return { before: null, after: await put('2', 1500) };
}

async function emailsFor(alertId: string) {
  const found = [];
  for (const message of await stack.outbox.list()) {
    const mime = readMimeMessage(await (await fetch(`${stack.urls.outbox}/${message.id}.eml`)).text());
    if (mime.headers['x-budget-alert-id'] === alertId)
      found.push({ messageId: mime.headers['message-id'], subject: message.subject, text: mime.text ?? '' });
  }
  return found;
}
const pushesOf = (alertId: string) =>
  pushes.data
    .map((d) => (d as { onBudgetAlert: { id: string; spent: number } }).onBudgetAlert)
    .filter((a) => a.id === alertId);

describe('alert delivery despite failures', () => {
  it.each([
    ['the push failing once', 1, 1, 'TRANSPORT', { failOnce: 'push' }],
    ['the email failing once', 1, 1, 'FUEL', { failOnce: 'email' }],
    ['a crash after the claim', 1, 1, 'GROCERIES', { crashAfter: 'claim' }],
    ['a crash after the push, before its mark', 2, 1, 'SHOPPING', { crashAfter: 'push' }],
    ['a crash after the push was marked', 1, 1, 'TRAVEL', { crashAfter: 'markDelivered' }],
    ['a crash after the email, before its mark', 1, 2, 'LODGING', { crashAfter: 'email' }],
  ] as const)(
    'given %s, when the change is evaluated again, then the alert arrives by push and email (%i push, %i email, one id)',
    async (_name, pushCount, emailCount, category, fault) => {
      const change = await givenCrossingExpense(category);
      const alertId = `${category}-MONTHLY:${today.slice(0, 7)}-01:80`;
      const clock = { now: new Date() };
      await expect(evaluateBudgetsForChange(processWith(fault, clock), adaSub, change)).rejects.toThrow();

      // Lambda's retry, a new process; after a crash the dead process's lease has to lapse first.
      if ('crashAfter' in fault) clock.now = new Date(clock.now.getTime() + DELIVERY_LEASE_MS + 1);
      await evaluateBudgetsForChange(processWith({}, clock), adaSub, change);

      await eventually(
        () => pushesOf(alertId).length,
        (n) => n >= pushCount,
      );
      await new Promise((resolve) => setTimeout(resolve, 200)); // a further duplicate would arrive in this window
      expect(pushesOf(alertId)).toEqual(
        Array.from({ length: pushCount }, () => ({ id: alertId, threshold: 80, spent: 8500 })),
      );
      const emails = await emailsFor(alertId);
      expect(emails).toHaveLength(emailCount);
      expect(new Set(emails.map((e) => e.messageId)).size).toBe(1);
      expect(emails[0]).toMatchObject({ subject: `${category} budget: 80 % of your budget used` });
      expect(emails[0].text).toContain('€85.00 spent of €100.00');
      const item = (
        await db.send(
          new GetCommand({ TableName: 'Budgets', Key: { user_id: adaSub, budget_id: `${category}-MONTHLY` } }),
        )
      ).Item!;
      expect(Object.keys(item).filter((k) => k.startsWith('pendingAlert:'))).toEqual([]);
    },
    20_000,
  );

  it('given 20 evaluations at once, each failing its first push, then after the retry one push and one email', async () => {
    const change = await givenCrossingExpense('ELECTRONICS');
    const alertId = `ELECTRONICS-MONTHLY:${today.slice(0, 7)}-01:80`;
    const clock = { now: new Date() };
    await Promise.all(
      Array.from({ length: 20 }, () =>
        evaluateBudgetsForChange(processWith({ failOnce: 'push' }, clock), adaSub, change).catch(() => null),
      ),
    );
    await evaluateBudgetsForChange(processWith({}, clock), adaSub, change);
    await eventually(
      () => pushesOf(alertId).length,
      (n) => n >= 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pushesOf(alertId)).toHaveLength(1);
    expect(await emailsFor(alertId)).toHaveLength(1);
  }, 20_000);
});
