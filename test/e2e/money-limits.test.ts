import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import {
  eventually,
  givenRunningStack,
  givenSignedInUser,
  graphql,
  subscribeOverWebSocket,
  type SignedInUser,
} from './steps.ts';

/**
 * Money past 2^31 − 1 minor units (issue 14.7), through the GraphQL API as clients see it:
 * 150 million rupiah is 15,000,000,000 sen, far past GraphQL's 32-bit Int. Amounts, sums,
 * budgets and the alert push stay exact up to 2^53 − 1, and nothing rounds on the way.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let siti: SignedInUser;
let kenji: SignedInUser;
const today = new Date().toISOString().slice(0, 10); // new users live in UTC
const MAX = 9007199254740991; // 2^53 − 1

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, user.accessToken);
const spend = (user: SignedInUser, amount: number, currency: string) =>
  call(user, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id amount currency } }', {
    input: { merchant: 'Toko Besar', amount, currency, date: today, category: 'HOUSEHOLD' },
  });

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('money-limits'));
  siti = await givenSignedInUser(stack, 'siti@example.com');
  kenji = await givenSignedInUser(stack, 'kenji@example.com');
  await call(siti, 'mutation { updateProfile(input: { homeCurrency: "IDR" }) { id } }');
  await call(kenji, 'mutation { updateProfile(input: { homeCurrency: "JPY" }) { id } }');
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

describe('money past 2^31 − 1 minor units', () => {
  it('given rupiah expenses summing past 2^31, then createBudget, listBudgets, report and the alert push carry the exact sums', async () => {
    const created = await call(
      siti,
      'mutation { createBudget(input: { name: "Renovation", period: MONTHLY, amount: 40000000000 }) { id amount currency } }',
    );
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createBudget).toEqual({ id: 'ALL-MONTHLY', amount: 40000000000, currency: 'IDR' });
    const alerts = await subscribeOverWebSocket(
      stack,
      siti.accessToken,
      'subscription { onBudgetAlert { id threshold spent limit currency } }',
    );

    for (const amount of [15000000000, 15000000001, 15000000003]) {
      const answer = await spend(siti, amount, 'IDR');
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.createExpense.amount).toBe(amount);
    }
    await stack.lambda.drain();
    const total = 45000000004;

    const budgets = await call(
      siti,
      'query { listBudgets { items { id status { spent limit remaining forecast } } } }',
    );
    expect(budgets.body.errors).toBeUndefined();
    expect(budgets.body.data.listBudgets.items[0].status).toMatchObject({
      spent: total,
      limit: 40000000000,
      remaining: 40000000000 - total,
    });
    expect(Number.isInteger(budgets.body.data.listBudgets.items[0].status.forecast)).toBe(true);

    const report = await call(
      siti,
      'query ($date: AWSDate!) { report(period: MONTHLY, date: $date) { summary { currencies { currency total count average median byCategory { category amount } } budgets { status { spent } } } } }',
      { date: today },
    );
    expect(report.body.errors).toBeUndefined();
    const idr = report.body.data.report.summary.currencies.find((c: { currency: string }) => c.currency === 'IDR');
    expect(idr).toMatchObject({
      total,
      count: 3,
      average: 15000000001, // 45000000004 / 3 = 15000000001.33…, rounded
      median: 15000000001,
      byCategory: [{ category: 'HOUSEHOLD', amount: total }],
    });
    expect(report.body.data.report.summary.budgets[0].status.spent).toBe(total);

    await eventually(
      () => alerts.data.length,
      (n) => n >= 3,
    );
    expect(alerts.data.map((d) => (d as { onBudgetAlert: unknown }).onBudgetAlert)).toEqual(
      [50, 80, 100].map((threshold) => ({
        id: `ALL-MONTHLY:${today.slice(0, 7)}-01:${threshold}`,
        threshold,
        // 50 % was crossed by the second expense; 80 and 100 % by the third.
        spent: threshold === 50 ? 30000000001 : total,
        limit: 40000000000,
        currency: 'IDR',
      })),
    );
    const mails = (await stack.outbox.list()).filter((m) => m.to.includes('siti@example.com'));
    // The alert email states the exact sum (Intl puts a no-break space after the code).
    expect(mails.some((m) => /IDR\s450,000,000\.04/.test(`${m.text} ${m.html}`))).toBe(true);
  });

  it('given yen (no minor digits), then amounts up to 2^53 − 1 round-trip exactly and one past it, or a fraction, is a ValidationError', async () => {
    const largest = await spend(kenji, MAX, 'JPY');
    expect(largest.body.errors).toBeUndefined();
    expect(largest.body.data.createExpense).toMatchObject({ amount: MAX, currency: 'JPY' });
    const read = await call(kenji, 'query ($id: ID!) { expense(id: $id) { amount } }', {
      id: largest.body.data.createExpense.id,
    });
    expect(read.body.data.expense.amount).toBe(MAX);

    for (const amount of [MAX + 1, 12.5, 0]) {
      const refused = await spend(kenji, amount, 'JPY');
      expect(refused.body.errors?.[0]).toMatchObject({
        errorType: 'ValidationError',
        errorInfo: { field: 'amount', min: 1, max: MAX },
      });
    }
    // A second one would make the month's sum pass 2^53 − 1: refused as LimitExceeded, never rounded.
    await spend(kenji, MAX, 'JPY');
    await stack.lambda.drain();
    const report = await call(
      kenji,
      'query ($date: AWSDate!) { report(period: MONTHLY, date: $date) { summary { currencies { total } } } }',
      { date: today },
    );
    expect(report.body.errors?.[0]).toMatchObject({ errorType: 'LimitExceeded', errorInfo: { limit: MAX } });
  });
});
