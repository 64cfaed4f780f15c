/**
 * `npm run bench:report`: a monthly report for a user with 10,000 expenses in the year,
 * against the raw DynamoDB Query time for the same pages, side by side in one run (dynalite
 * in-process). The report reads the month and the month before, the profile, the budgets and
 * their spending (three budgets, one with rollover), so its floor is those same reads.
 */
import '../local/sdk-warnings.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createBudgetStore } from '../functions/shared/budgets/dynamo-adapters.ts';
import { csvText, expensesCsv } from '../functions/report/csv.ts';
import { composeReportEmail } from '../functions/report/email.ts';
import { periodReport, type ReportDeps } from '../functions/report/core.ts';
import { createReportStore } from '../functions/report/dynamo-adapters.ts';
import { expensePages } from '../functions/shared/expense-pages.ts';
import { createLocalDynamoDbTables, startLocalDynamoDb } from '../local/dynamodb.ts';
import { serveRoutes } from '../local/server/serve-routes.ts';
import type { Category } from '../generated/graphql.ts';
import { categoryDateOf } from '../model/expenses.ts';

const EXPENSES = Number(process.env.BENCH_EXPENSES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const credentials = { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' };
const dir = await mkdtemp(path.join(tmpdir(), 'bench-report-'));
const dynamo = await startLocalDynamoDb({ dataDir: dir, region: 'us-east-1', credentials });
const served = await serveRoutes([dynamo]);
await createLocalDynamoDbTables(served.endpoint, 'us-east-1', credentials);
const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: served.endpoint, region: 'us-east-1', credentials }),
);
const owner = 'bench-user';

const categories: Category[] = ['GROCERIES', 'DINING', 'TRANSPORT', 'FUEL', 'SHOPPING', 'OTHER'];
const items = Array.from({ length: EXPENSES }, (_, i) => {
  const date = new Date(Date.UTC(2026, 0, 1) + Math.floor((i * 365) / EXPENSES) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const category = categories[i % categories.length];
  return {
    user_id: owner,
    expense_id: ulid(),
    merchant: `Shop ${i % 97}`,
    amount: 100 + ((i * 7919) % 20000),
    currency: 'EUR',
    date,
    category,
    category_date: categoryDateOf(category, date),
  };
});
for (let i = 0; i < items.length; i += 25) {
  await db.send(
    new BatchWriteCommand({
      RequestItems: { Expenses: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
    }),
  );
}
// A profile and three budgets (one with rollover): the report's budget section reads them too.
await db.send(
  new PutCommand({
    TableName: 'Users',
    Item: { user_id: owner, email: 'bench@example.test', timezone: 'Europe/Paris' },
  }),
);
const budgetItems = [
  {
    budget_id: 'DINING-MONTHLY',
    name: 'Eating out',
    category: 'DINING',
    period: 'MONTHLY',
    amount: 30000,
    rollover: true,
  },
  { budget_id: 'ALL-MONTHLY', name: 'Everything', category: null, period: 'MONTHLY', amount: 200000, rollover: false },
  { budget_id: 'FUEL-WEEKLY', name: 'Fuel', category: 'FUEL', period: 'WEEKLY', amount: 5000, rollover: false },
];
for (const b of budgetItems)
  await db.send(
    new PutCommand({
      TableName: 'Budgets',
      Item: { user_id: owner, currency: 'EUR', thresholds: [80, 100], fired: {}, ...b },
    }),
  );

const reports = createReportStore(db, { users: 'Users', receipts: 'Receipts' });
const budgets = createBudgetStore(db, { budgets: 'Budgets', expenses: 'Expenses', users: 'Users' });
const deps = {
  expensePages: (o: string, from: string, to: string) => expensePages(db, 'Expenses', o, from, to),
  profile: reports.profile,
  budgets: { budgets: budgets.budgets, expensePages: budgets.expensePages },
  now: () => new Date('2026-07-15T10:00:00Z'),
} as unknown as ReportDeps;

async function time(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  await run(); // warm-up
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

// The report reads both months, the profile, the budgets and each budget's spending at once; so does the floor.
const drain = async (pages: AsyncIterable<unknown>) => {
  for await (const page of pages) void page;
};
const rawPages = async () => {
  const list = await budgets.budgets(owner);
  await Promise.all([
    drain(expensePages(db, 'Expenses', owner, '2026-06-01', '2026-06-30')),
    drain(expensePages(db, 'Expenses', owner, '2026-05-01', '2026-05-31')),
    reports.profile(owner),
    ...list.map((b) =>
      drain(
        budgets.expensePages(
          owner,
          b,
          b.period === 'WEEKLY'
            ? { start: '2026-06-29', end: '2026-06-30' }
            : { start: '2026-06-01', end: '2026-06-30' },
        ),
      ),
    ),
  ]);
};
const floor = await time(rawPages);
const report = await time(() => periodReport(deps, owner, 'MONTHLY', '2026-06-15'));
const email = await time(async () => {
  const r = await periodReport(deps, owner, 'MONTHLY', '2026-06-15');
  const csv = await csvText(expensesCsv(expensePages(db, 'Expenses', owner, r.periodStart, r.periodEnd)));
  return composeReportEmail({
    from: 'a@b.c',
    to: 'd@e.f',
    name: null,
    title: 'Report',
    heading: 'Report',
    summary: r.summary,
    csv,
    csvFileName: 'e.csv',
  });
});
const monthRows = items.filter((e) => e.date.startsWith('2026-06') || e.date.startsWith('2026-05')).length;

console.log(
  `Monthly report, ${EXPENSES} expenses in the year (${monthRows} in the two months read), median of ${RUNS} runs`,
);
console.log(`  raw Query pages (floor)             ${floor.toFixed(1)} ms   1.00x`);
console.log(`  report (summary)                    ${report.toFixed(1)} ms   ${(report / floor).toFixed(2)}x`);
console.log(`  report email (+ CSV, 3 charts, MIME) ${email.toFixed(1)} ms   ${(email / floor).toFixed(2)}x`);
await served.close();
await dynamo.stop();
await rm(dir, { recursive: true, force: true });
