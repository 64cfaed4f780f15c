import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { givenSignedInUser, graphql, givenRunningStack, type SignedInUser } from './steps.ts';

/**
 * Reports as a user gets them from `npm start`: summaries and reports over GraphQL, a CSV
 * export downloaded from its presigned URL, and a report email landing in the outbox.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let bob: SignedInUser;

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) => graphql(stack.urls.graphql, query, variables, user.accessToken);

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('reports'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  bob = await givenSignedInUser(stack, 'bob@example.com');
  const expenses = [
    { merchant: 'Tesco', amount: 4120, date: '2026-10-28', category: 'GROCERIES' },
    { merchant: 'Tesco', amount: 3000, date: '2026-11-02', category: 'GROCERIES' },
    { merchant: 'Corner Café', amount: 1850, date: '2026-11-03', category: 'DINING' },
    { merchant: '=cmd|evil', amount: 999, date: '2026-11-05', category: 'OTHER' },
  ];
  for (const input of expenses) {
    const out = await call(ada, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }', { input: { ...input, currency: 'EUR' } });
    expect(out.body.errors).toBeUndefined();
  }
  await call(bob, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }', { input: { merchant: 'Bob shop', amount: 777777, date: '2026-11-04', currency: 'EUR' } });
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

describe('reports through the API', () => {
  it('given expenses, when asking for the weekly report, then totals cover that ISO week only and compare with the week before', async () => {
    const out = await call(ada, `query { report(period: WEEKLY, date: "2026-11-04") { periodStart periodEnd summary { currencies {
      currency total count median previousTotal change byCategory { category amount } byDay { date amount } } } } }`);
    expect(out.body.errors).toBeUndefined();
    const report = out.body.data.report;
    expect([report.periodStart, report.periodEnd]).toEqual(['2026-11-02', '2026-11-08']);
    const eur = report.summary.currencies[0];
    expect(eur).toMatchObject({ currency: 'EUR', total: 5849, count: 3, median: 1850, previousTotal: 4120, change: 1729 });
    expect(eur.byCategory).toEqual([{ category: 'GROCERIES', amount: 3000 }, { category: 'DINING', amount: 1850 }, { category: 'OTHER', amount: 999 }]);
    expect(eur.byDay).toHaveLength(7);
  });

  it('given a bad range, then a ValidationError naming the field', async () => {
    const out = await call(ada, 'query { expenseSummary(from: "2026-11-30", to: "2026-11-01") { from } }');
    expect(out.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'from' } });
  });

  it('given an export, when its URL is downloaded, then it is the CSV of the caller only, formulas neutralised', async () => {
    const out = await call(ada, 'mutation { exportExpenses(from: "2026-10-01", to: "2026-11-30") { rowCount url content expiresAt } }');
    expect(out.body.errors).toBeUndefined();
    const exported = out.body.data.exportExpenses;
    expect(exported.rowCount).toBe(4);
    const downloaded = await (await fetch(exported.url)).text();
    expect(downloaded).toBe(exported.content);
    expect(downloaded.split('\r\n')[0]).toBe('date,merchant,category,amount,currency,note,receipt_id,expense_id');
    expect(downloaded).toContain("'=cmd|evil");
    expect(downloaded).toContain('2026-11-03,Corner Café,DINING,18.50,EUR');
    expect(downloaded).not.toContain('Bob shop');
  });

  it('given sendReport, then the monthly email with charts and the CSV lands in the outbox for the caller', async () => {
    const out = await call(ada, 'mutation { sendReport(period: MONTHLY, date: "2026-11-15") { to periodStart periodEnd reportKey } }');
    expect(out.body.errors).toBeUndefined();
    expect(out.body.data.sendReport).toMatchObject({ to: 'ada@example.com', periodStart: '2026-11-01', periodEnd: '2026-11-30' });
    const messages = (await stack.outbox.list()).filter((m) => m.to.includes('ada@example.com') && m.subject.includes('monthly spending report'));
    expect(messages).toHaveLength(1);
    expect(messages[0].subject).toBe('Your monthly spending report, 2026-11-01 – 2026-11-30');
    expect(messages[0].html).toContain('cid:category-0@report');
    expect(messages[0].text).toContain('Total €58.49 in 3 expenses');
    // The outbox shows the charts: its HTML view turns cid: references into the message's own images.
    const body = await (await fetch(`${stack.urls.outbox}/${messages[0].id}/body`)).text();
    expect(body).toContain('src="data:image/png;base64,');
    expect(body).not.toContain('cid:');

    // Kept in the account: listed, and downloadable as the same email.
    const stored = await call(ada, 'query { listReports { items { period periodStart url } nextToken } }');
    expect(stored.body.data.listReports.items).toMatchObject([{ period: 'MONTHLY', periodStart: '2026-11-01' }]);
    expect(await (await fetch(stored.body.data.listReports.items[0].url)).text()).toContain('Subject: =?UTF-8?Q?Your_monthly_spending_report');
    expect((await call(bob, 'query { listReports { items { period } } }')).body.data.listReports.items).toEqual([]);
  });
});
