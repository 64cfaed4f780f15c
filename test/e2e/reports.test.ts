import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastCompletePeriod } from '../../functions/report/report-periods.ts';
import { todayIn } from '../../functions/shared/periods.ts';
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
} from './steps.ts';

/**
 * Reports as a user gets them from `npm start`: summaries with budget status and reports over
 * GraphQL, a CSV export (with receipt links) downloaded from its presigned URL, report emails
 * landing in the outbox and kept in the account (listed newest first, page by page), and the
 * operators' `npm run report` command.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let bob: SignedInUser;
let adaId: string;

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, user.accessToken);
const run = promisify(execFile);

const JOB_FIELDS = `id status kind attempts error { errorType message errorInfo }
  export { from to rowCount url content expiresAt } delivery { to periodStart periodEnd reportKey }`;

/** When a job-starting mutation is called: it answers a PENDING job at once; then the job as it ends (read with job(id)). */
async function whenJobRuns(user: SignedInUser, mutation: string) {
  const started = await call(user, `mutation { ${mutation} { ${JOB_FIELDS} } }`);
  expect(started.body.errors).toBeUndefined();
  const job = Object.values(started.body.data as Record<string, { id: string; status: string }>)[0];
  expect(job.status).toBe('PENDING');
  const done = await eventually(
    async () => (await call(user, `query ($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id: job.id })).body,
    (body) => ['SUCCEEDED', 'FAILED'].includes(body.data?.job?.status),
    30_000,
  );
  expect(done.errors).toBeUndefined();
  return { started: job, done: done.data.job };
}

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('reports'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  bob = await givenSignedInUser(stack, 'bob@example.com');
  adaId = (await call(ada, 'query { me { id } }')).body.data.me.id;
  await call(ada, 'mutation { updateProfile(input: { timezone: "Pacific/Kiritimati", homeCurrency: "EUR" }) { id } }');
  const budget = await call(
    ada,
    'mutation { createBudget(input: { name: "Eating out", category: DINING, period: MONTHLY, amount: 1500, currency: "EUR" }) { id } }',
  );
  expect(budget.body.errors).toBeUndefined();
  const expenses = [
    { merchant: 'Tesco', amount: 4120, date: '2026-10-28', category: 'GROCERIES' },
    { merchant: 'Tesco', amount: 3000, date: '2026-11-02', category: 'GROCERIES' },
    { merchant: 'Corner Café', amount: 1850, date: '2026-11-03', category: 'DINING' },
    { merchant: '=cmd|evil', amount: 999, date: '2026-11-05', category: 'OTHER' },
  ];
  for (const input of expenses) {
    const out = await call(ada, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }', {
      input: { ...input, currency: 'EUR' },
    });
    expect(out.body.errors).toBeUndefined();
  }
  await call(bob, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }', {
    input: { merchant: 'Bob shop', amount: 777777, date: '2026-11-04', currency: 'EUR' },
  });
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

/** Given a receipt image in S3 and the expense the OCR made of it (the items the OCR function writes), for ada. */
async function givenReceiptExpense(receiptId: string, date: string) {
  const credentials = stack.config.credentials;
  const s3 = new S3Client({ endpoint: stack.urls.s3, region: stack.config.region, credentials, forcePathStyle: true });
  const db = stackDynamoDb(stack);
  const s3Key = `receipts/${adaId}/${receiptId}.jpg`;
  await s3.send(
    new PutObjectCommand({
      Bucket: stack.config.receiptsBucket,
      Key: s3Key,
      Body: Buffer.from('the receipt image'),
      ContentType: 'image/jpeg',
    }),
  );
  await db.send(
    new PutCommand({
      TableName: 'Receipts',
      Item: { user_id: adaId, receipt_id: receiptId, s3Key, status: 'PROCESSED', contentType: 'image/jpeg' },
    }),
  );
  await db.send(
    new PutCommand({
      TableName: 'Expenses',
      Item: {
        user_id: adaId,
        expense_id: receiptId,
        receiptId,
        merchant: 'Receipt Shop',
        amount: 2500,
        currency: 'EUR',
        date,
        category: 'OTHER',
        category_date: categoryDateOf('OTHER', date),
        version: 1,
      },
    }),
  );
}

describe('reports through the API', () => {
  it('given expenses and a budget, when asking for the weekly report, then totals cover that ISO week only, compare with the week before, and show the budget as of its last day', async () => {
    const out = await call(
      ada,
      `query { report(period: WEEKLY, date: "2026-11-04") { periodStart periodEnd summary { currencies {
      currency total count median previousTotal change byCategory { category amount } byDay { date amount } }
      budgetsAsOf budgets { name category period currency status { periodStart periodEnd spent limit percentUsed state } } } } }`,
    );
    expect(out.body.errors).toBeUndefined();
    const report = out.body.data.report;
    expect([report.periodStart, report.periodEnd]).toEqual(['2026-11-02', '2026-11-08']);
    const eur = report.summary.currencies[0];
    expect(eur).toMatchObject({
      currency: 'EUR',
      total: 5849,
      count: 3,
      median: 1850,
      previousTotal: 4120,
      change: 1729,
    });
    expect(eur.byCategory).toEqual([
      { category: 'GROCERIES', amount: 3000 },
      { category: 'DINING', amount: 1850 },
      { category: 'OTHER', amount: 999 },
    ]);
    expect(eur.byDay).toHaveLength(7);
    // The monthly budget in a weekly report: November up to the report's last day.
    expect(report.summary.budgetsAsOf).toBe('2026-11-08');
    expect(report.summary.budgets).toEqual([
      {
        name: 'Eating out',
        category: 'DINING',
        period: 'MONTHLY',
        currency: 'EUR',
        status: {
          periodStart: '2026-11-01',
          periodEnd: '2026-11-30',
          spent: 1850,
          limit: 1500,
          percentUsed: 123.3,
          state: 'OVER',
        },
      },
    ]);
  });

  it('given a date range, then the summary carries the budgets too, and another user sees none of them', async () => {
    const out = await call(
      ada,
      'query { expenseSummary(from: "2026-10-01", to: "2026-10-31") { budgetsAsOf budgets { name status { spent periodStart } } } }',
    );
    expect(out.body.data.expenseSummary).toEqual({
      budgetsAsOf: '2026-10-31',
      budgets: [{ name: 'Eating out', status: { spent: 0, periodStart: '2026-10-01' } }],
    });
    expect(
      (await call(bob, 'query { expenseSummary(from: "2026-10-01", to: "2026-10-31") { budgets { name } } }')).body.data
        .expenseSummary.budgets,
    ).toEqual([]);
  });

  it('given a bad range, then a ValidationError naming the field', async () => {
    const out = await call(ada, 'query { expenseSummary(from: "2026-11-30", to: "2026-11-01") { from } }');
    expect(out.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'from' } });
  });

  it('given an export, when its URL is downloaded, then it is the CSV of the caller only, formulas neutralised, with a working link to each receipt image', async () => {
    await givenReceiptExpense('01RECEIPTEXPORTTEST0000000', '2026-10-15');
    const { done } = await whenJobRuns(ada, 'exportExpenses(from: "2026-10-01", to: "2026-11-30")');
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      kind: 'EXPORT_EXPENSES',
      attempts: 1,
      delivery: null,
      error: null,
    });
    const exported = done.export;
    expect(exported.rowCount).toBe(5);
    const downloaded = await (await fetch(exported.url)).text();
    expect(downloaded).toBe(exported.content);
    const [header, ...rows] = downloaded.split('\r\n');
    expect(header).toBe(
      'date,merchant,category,amount,currency,note,receipt_id,receipt_link,expense_id,converted_amount,converted_currency,rate,rate_date,split_part,split_description',
    );
    expect(downloaded).toContain("'=cmd|evil");
    expect(downloaded).toContain('2026-11-03,Corner Café,DINING,18.50,EUR,,,,');
    expect(downloaded).not.toContain('Bob shop');
    const receiptRow = rows.find((r) => r.includes('Receipt Shop'))!.split(',');
    expect(receiptRow[6]).toBe('01RECEIPTEXPORTTEST0000000');
    const image = await fetch(receiptRow[7]);
    expect(image.status).toBe(200);
    expect(await image.text()).toBe('the receipt image');
  });

  it('given a subscriber to onJobDone, when an export finishes, then its owner is pushed the finished job and another user is not, and cannot read it', async () => {
    const adaSubscriber = await subscribeOverWebSocket(
      stack,
      ada.accessToken,
      `subscription { onJobDone { ${JOB_FIELDS} } }`,
    );
    const bobSubscriber = await subscribeOverWebSocket(
      stack,
      bob.accessToken,
      `subscription { onJobDone { ${JOB_FIELDS} } }`,
    );
    try {
      const { started, done } = await whenJobRuns(ada, 'exportExpenses(from: "2026-11-01", to: "2026-11-30")');
      const pushed = await eventually(
        () => adaSubscriber.data as Array<{ onJobDone: { id: string; status: string; export: unknown } }>,
        (data) => data.some((d) => d.onJobDone.id === started.id),
      );
      expect(pushed.find((d) => d.onJobDone.id === started.id)!.onJobDone).toMatchObject({
        status: 'SUCCEEDED',
        export: { rowCount: done.export.rowCount },
      });
      expect(bobSubscriber.data).toEqual([]);
      const asBob = await call(bob, 'query ($id: ID!) { job(id: $id) { id } }', { id: started.id });
      expect(asBob.body.errors?.[0]).toMatchObject({ errorType: 'NotFound' });
    } finally {
      adaSubscriber.socket.close();
      bobSubscriber.socket.close();
    }
  });

  it('given a job id no job can have (empty, or past DynamoDB key size), then NotFound as for a missing one', async () => {
    for (const id of ['', 'j'.repeat(2000)]) {
      const answer = await call(ada, 'query ($id: ID!) { job(id: $id) { id } }', { id });
      expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'NotFound' });
    }
  });

  it('given an export over more than 366 days or a report for a day that does not exist, then a ValidationError at once and no job', async () => {
    const tooLong = await call(ada, 'mutation { exportExpenses(from: "2025-01-01", to: "2026-01-02") { id } }');
    expect(tooLong.body.errors?.[0]).toMatchObject({
      errorType: 'ValidationError',
      errorInfo: { field: 'to', limit: 366 },
    });
    expect(tooLong.body.data?.exportExpenses ?? null).toBeNull();
    const reversed = await call(ada, 'mutation { exportExpenses(from: "2026-11-30", to: "2026-11-01") { id } }');
    expect(reversed.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'from' } });
  });

  it('given sendReport, then the monthly email with two charts, each budget once as a bar, and the CSV lands in the outbox for the caller', async () => {
    const { done } = await whenJobRuns(ada, 'sendReport(period: MONTHLY, date: "2026-11-15")');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.delivery).toMatchObject({
      to: 'ada@example.com',
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
    });
    const messages = (await stack.outbox.list()).filter(
      (m) => m.to.includes('ada@example.com') && m.subject === 'Your monthly spending report, 2026-11-01 – 2026-11-30',
    );
    expect(messages).toHaveLength(1);
    expect(messages[0].html?.match(/cid:[^"]+/g)).toEqual(['cid:category-0@report', 'cid:daily-0@report']);
    // Budgets are HTML text and a bar (no chart image), each budget once.
    expect(messages[0].html?.split('€18.50 of €15.00 (123.3 %, over the limit)')).toHaveLength(2);
    expect(messages[0].text).toContain('Total €58.49 in 3 expenses');
    expect(messages[0].text).toContain(
      'Eating out (2026-11-01 – 2026-11-30): €18.50 of €15.00 (123.3 %, over the limit)',
    );
    // The outbox shows the charts: its HTML view turns cid: references into the message's own images.
    const body = await (await fetch(`${stack.urls.outbox}/${messages[0].id}/body`)).text();
    expect(body.match(/src="data:image\/png;base64,/g)).toHaveLength(2);
    expect(body).not.toContain('cid:');
  });

  it('given reports of several weeks and months, when listed two at a time, then they come newest first across pages, and a token only works for its caller', async () => {
    for (const [period, date] of [
      ['WEEKLY', '2026-11-04'],
      ['WEEKLY', '2026-11-25'],
      ['MONTHLY', '2026-10-10'],
      ['WEEKLY', '2026-10-28'],
    ]) {
      expect((await whenJobRuns(ada, `sendReport(period: ${period}, date: "${date}")`)).done.status).toBe('SUCCEEDED');
    }
    // Sent again: the kept copy is replaced, not doubled.
    await whenJobRuns(ada, 'sendReport(period: WEEKLY, date: "2026-11-04")');
    const seen: Array<{ period: string; periodStart: string; periodEnd: string }> = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page: any = await call(
        ada,
        'query ($next: String) { listReports(limit: 2, nextToken: $next) { items { period periodStart periodEnd url } nextToken } }',
        { next: nextToken },
      );
      expect(page.body.errors).toBeUndefined();
      expect(page.body.data.listReports.items.length).toBeLessThanOrEqual(2);
      seen.push(
        ...page.body.data.listReports.items.map(({ period, periodStart, periodEnd }: any) => ({
          period,
          periodStart,
          periodEnd,
        })),
      );
      nextToken = page.body.data.listReports.nextToken;
      if (pages === 0) {
        // Another user's replay of this token is refused like a forged one, not answered with ada's reports.
        const stolen = await call(
          bob,
          'query ($next: String) { listReports(limit: 2, nextToken: $next) { items { period } } }',
          { next: nextToken },
        );
        expect(stolen.body.errors?.[0]).toMatchObject({
          errorType: 'ValidationError',
          errorInfo: { field: 'nextToken' },
        });
        const forged = await call(ada, 'query { listReports(nextToken: "bm90LWEtdG9rZW4") { items { period } } }');
        expect(forged.body.errors?.[0]).toMatchObject({
          errorType: 'ValidationError',
          errorInfo: { field: 'nextToken' },
        });
      }
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(3);
    // By last day, latest first: November's month ends after the week of 23–29 November, the week of 26 Oct–1 Nov after October.
    expect(seen).toEqual([
      { period: 'MONTHLY', periodStart: '2026-11-01', periodEnd: '2026-11-30' },
      { period: 'WEEKLY', periodStart: '2026-11-23', periodEnd: '2026-11-29' },
      { period: 'WEEKLY', periodStart: '2026-11-02', periodEnd: '2026-11-08' },
      { period: 'WEEKLY', periodStart: '2026-10-26', periodEnd: '2026-11-01' },
      { period: 'MONTHLY', periodStart: '2026-10-01', periodEnd: '2026-10-31' },
    ]);
    expect((await call(bob, 'query { listReports { items { period } } }')).body.data.listReports.items).toEqual([]);
  });
});

describe('npm run report', () => {
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'local/cli/send-report.ts', ...args], {
      env: { ...process.env, DATA_DIR: stack.config.dataDir },
      timeout: 60_000,
    }).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string; stderr?: string; code?: number }) =>
        Promise.reject(new Error(`exit ${error.code}: ${error.stderr ?? ''}${error.stdout ?? ''}`)),
    );

  it("given no date, when an operator sends a monthly report, then it is the last complete month in the user's timezone, not the month just begun", async () => {
    const before = lastCompletePeriod('MONTHLY', todayIn('Pacific/Kiritimati', new Date()));
    const stdout = await cli('--email', 'ada@example.com', '--period', 'monthly');
    const after = lastCompletePeriod('MONTHLY', todayIn('Pacific/Kiritimati', new Date()));
    // (Should the month turn in Kiritimati during the call, either answer is right.)
    const expected = [before, after].find((p) => stdout.includes(`${p.from} – ${p.to}`));
    expect(expected, stdout).toBeDefined();
    expect(stdout).toContain('to ada@example.com');
    const subjects = (await stack.outbox.list()).filter((m) => m.to.includes('ada@example.com')).map((m) => m.subject);
    expect(subjects).toContain(`Your monthly spending report, ${expected!.from} – ${expected!.to}`);
  }, 60_000);

  it('given --date, then the period containing it is sent; an unknown address is refused', async () => {
    expect(await cli('--email', 'ada@example.com', '--period', 'weekly', '--date', '2026-11-04')).toContain(
      'Sent the weekly report 2026-11-02 – 2026-11-08 to ada@example.com',
    );
    await expect(cli('--email', 'nobody@example.com', '--period', 'weekly')).rejects.toThrow(
      /exit 1: Report not sent: No user with the email nobody@example.com/,
    );
    await expect(cli('--email', 'ada@example.com', '--period', 'weekly', '--date', '2026-13-45')).rejects.toThrow(
      /date must be a calendar date/,
    );
  }, 60_000);
});
