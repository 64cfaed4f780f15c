import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateBudgetsForChange, type BudgetAlert, type BudgetDeps } from '../../functions/budgets/core.ts';
import { createBudgetStore } from '../../functions/budgets/dynamo-adapters.ts';
import { createLocalDynamoDbTables, startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynamodb.ts';

/** Exactly once, against a real DynamoDB protocol: 20 evaluations at the same moment, one alert per threshold. */
const credentials = { accessKeyId: 'AKIATEST', secretAccessKey: 'test' };
let dir: string;
let dynamo: LocalDynamoDb;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'budget-once-'));
  dynamo = await startLocalDynamoDb(dir);
  await createLocalDynamoDbTables(dynamo.endpoint, 'us-east-1', credentials);
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials }));
});

afterAll(async () => {
  await dynamo?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('alerts under concurrency', () => {
  it('given 85 % spent, when 20 evaluations run at once, then 50 and 80 each alert exactly once; a later period starts fresh', async () => {
    await db.send(new PutCommand({ TableName: 'Users', Item: { user_id: 'u1', email: 'u1@example.com', timezone: 'Asia/Tokyo' } }));
    await db.send(
      new PutCommand({
        TableName: 'Budgets',
        Item: { user_id: 'u1', budget_id: 'DINING-WEEKLY', name: 'Lunches', category: 'DINING', period: 'WEEKLY', amount: 10000, currency: 'JPY', thresholds: [50, 80, 100], rollover: false, fired: {}, version: 1 },
      }),
    );
    const store = createBudgetStore(db, { budgets: 'Budgets', expenses: 'Expenses', users: 'Users' });
    let now = new Date('2026-11-25T03:00:00Z');
    const alerts: BudgetAlert[] = [];
    const deps: BudgetDeps = { ...store, notify: async (a) => void alerts.push(a), now: () => now };
    const expense = (id: string, date: string, amount: number, category = 'DINING', currency = 'JPY') =>
      db.send(new PutCommand({ TableName: 'Expenses', Item: { user_id: 'u1', expense_id: id, date, amount, currency, category, category_date: `${category}#${date}`, merchant: 'x' } }));
    await expense('e1', '2026-11-24', 8500);
    await expense('e2', '2026-11-24', 999999, 'FUEL'); // another category
    await expense('e3', '2026-11-24', 999999, 'DINING', 'EUR'); // another currency: excluded

    await Promise.all(Array.from({ length: 20 }, () => evaluateBudgetsForChange(deps, 'u1', { dates: ['2026-11-24'], categories: ['DINING'] })));
    expect(alerts.map((a) => a.threshold).sort()).toEqual([50, 80]);
    expect(alerts[0]).toMatchObject({ spent: 8500, limit: 10000, periodStart: '2026-11-23', periodEnd: '2026-11-29' });

    // Next week: the same spending level alerts again, once.
    now = new Date('2026-12-02T03:00:00Z');
    await expense('e4', '2026-12-01', 5000);
    await Promise.all(Array.from({ length: 5 }, () => evaluateBudgetsForChange(deps, 'u1', { dates: ['2026-12-01'], categories: ['DINING'] })));
    expect(alerts.filter((a) => a.periodStart === '2026-11-30').map((a) => a.threshold)).toEqual([50]);
  });
});
