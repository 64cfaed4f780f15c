import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableInputOf } from '../../local/dynamodb-upgrade.ts';
import { startLocalDynamoDb } from '../../local/dynamodb.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { createCognito, createExtraRoutes, createResolvers } from '../../local/wiring.ts';
import { IMAGE_EXPIRY_INDEX } from '../../model/receipts.ts';
import { IMPORT_PENDING_INDEX } from '../../model/statements.ts';
import { tableByLogicalName, TABLES, type TableDefinition } from '../../model/tables.ts';

/**
 * A data folder made by an older version, whose Receipts and StatementImports tables predate
 * their image-expiry and pending indexes: `npm start`'s stack brings it up to model/tables.ts
 * (the indexes exist and answer with the items written before), keeps every item as it was, and
 * a second start changes nothing. A table whose key changed stops the start, untouched. The
 * stack runs no functions here, so no sweep touches the items between the writes and the reads.
 */
const dirs: string[] = [];
const stacks: LocalStack[] = [];

afterAll(async () => {
  for (const stack of stacks) await stack.stop().catch(() => undefined);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dynamodb-upgrade-'));
  dirs.push(dir);
  return dir;
}

const withoutIndex = (name: TableDefinition['logicalName'], index: string): TableDefinition => {
  const table = tableByLogicalName(name);
  return { ...table, indexes: table.indexes.filter((i) => i.indexName !== index) };
};

type Item = Record<string, AttributeValue>;

/** Given a data folder written through the stand-in with `tables` (older definitions) holding `items`. */
async function givenOldDataFolder(dir: string, tables: TableDefinition[], items: Record<string, Item[]>) {
  const dynamo = await startLocalDynamoDb({
    dataDir: dir,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAOLD', secretAccessKey: 'old' },
  });
  const call = async (operation: string, body: unknown) => {
    const answer = await dynamo.call(operation, JSON.stringify(body));
    if (answer.status !== 200) throw new Error(`${operation}: ${answer.body}`);
    return JSON.parse(answer.body) as { Table?: { TableStatus?: string } };
  };
  for (const table of tables) {
    await call('CreateTable', createTableInputOf(table));
    while ((await call('DescribeTable', { TableName: table.logicalName })).Table?.TableStatus !== 'ACTIVE')
      await new Promise((resolve) => setTimeout(resolve, 5));
  }
  for (const [table, list] of Object.entries(items))
    for (const Item of list) await call('PutItem', { TableName: table, Item });
  await dynamo.stop();
}

async function startStack(dataDir: string, log: string[] = []): Promise<LocalStack> {
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    env: {},
    functions: [],
    log: (line) => log.push(line),
    createResolvers,
    createCognito,
    extraRoutes: createExtraRoutes,
  });
  stacks.push(stack);
  return stack;
}

async function stopStack(stack: LocalStack): Promise<void> {
  await stack.stop();
  stacks.splice(stacks.indexOf(stack), 1);
}

const clientOf = (stack: LocalStack) =>
  new DynamoDBClient({
    endpoint: stack.urls.dynamodb,
    region: stack.config.region,
    credentials: stack.config.credentials,
  });

/** Every item of a table, in key order (a test's look at the whole table). */
async function allItems(client: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return sortedByKey(items);
}

async function queryAll(client: DynamoDBClient, table: string, index: string, attribute: string, value: string) {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        IndexName: index,
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': attribute },
        ExpressionAttributeValues: { ':v': { S: value } },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** What start logged about upgrading tables, without the time of day. */
const upgradeLines = (log: string[]) => log.flatMap((line) => /DynamoDB upgrade: .*/.exec(line) ?? []);

const sortedByKey = (items: Item[]) =>
  [...items].sort((a, b) =>
    JSON.stringify([a.user_id, a.receipt_id ?? a.import_key]).localeCompare(
      JSON.stringify([b.user_id, b.receipt_id ?? b.import_key]),
    ),
  );

// 300 receipts of ~6 KB (1.8 MB: more than one 1 MB Scan page, many 25-item batches), every
// third with an image kept until a day, and statement imports of which some are pending.
const note = 'x'.repeat(6000);
const receipts: Item[] = Array.from({ length: 300 }, (_, i) => ({
  user_id: { S: `user-${i % 7}` },
  receipt_id: { S: `r-${String(i).padStart(4, '0')}` },
  status_key: { S: `PROCESSED#r-${i}` },
  note: { S: note },
  amount: { N: String(i * 1.5) },
  ...(i % 3 === 0 ? { image_expires_on: { S: i % 2 ? '2099-01-02' : '2099-01-01' } } : {}),
}));
const imports: Item[] = Array.from({ length: 40 }, (_, i) => ({
  user_id: { S: `user-${i % 4}` },
  import_key: { S: `import#${String(i).padStart(3, '0')}` },
  ...(i % 4 === 0 ? { pending: { S: 'Y' }, updatedAt: { S: `2026-12-0${(i % 9) + 1}T00:00:00Z` } } : {}),
  lines: { L: [{ M: { amount: { N: '12.5' }, text: { S: 'café ☕' } } }] },
}));

describe('npm start on a data folder made before some indexes existed', () => {
  let dataDir: string;
  const firstLog: string[] = [];
  let stack: LocalStack;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dataDir = await newDataDir();
    const older = TABLES.map((table) =>
      table.logicalName === 'Receipts'
        ? withoutIndex('Receipts', IMAGE_EXPIRY_INDEX)
        : table.logicalName === 'StatementImports'
          ? withoutIndex('StatementImports', IMPORT_PENDING_INDEX)
          : table,
    );
    await givenOldDataFolder(dataDir, older, { Receipts: receipts, StatementImports: imports });
    stack = await startStack(dataDir, firstLog);
    client = clientOf(stack);
  }, 120_000);

  afterAll(() => client?.destroy());

  it('when it starts, then the missing indexes exist, answer with the items written before, and it says what it did', async () => {
    const expiring = await queryAll(client, 'Receipts', IMAGE_EXPIRY_INDEX, 'image_expires_on', '2099-01-01');
    const expected = receipts.filter((r) => r.image_expires_on?.S === '2099-01-01');
    expect(expected.length).toBeGreaterThan(0);
    expect(sortedByKey(expiring)).toEqual(sortedByKey(expected));

    const pending = await queryAll(client, 'StatementImports', IMPORT_PENDING_INDEX, 'pending', 'Y');
    expect(sortedByKey(pending)).toEqual(sortedByKey(imports.filter((i) => i.pending)));

    expect(upgradeLines(firstLog)).toEqual([
      `DynamoDB upgrade: Receipts: index ${IMAGE_EXPIRY_INDEX} added (300 items rewritten through the stand-in)`,
      `DynamoDB upgrade: StatementImports: index ${IMPORT_PENDING_INDEX} added (40 items rewritten through the stand-in)`,
    ]);
  });

  it('then every item is still there as it was, the indexes that existed still answer, and no upgrade copy is left', async () => {
    expect(await allItems(client, 'Receipts')).toEqual(sortedByKey(receipts));
    expect(await allItems(client, 'StatementImports')).toEqual(sortedByKey(imports));
    const byStatus = await client.send(
      new QueryCommand({
        TableName: 'Receipts',
        IndexName: 'user-status-index',
        KeyConditionExpression: 'user_id = :u',
        ExpressionAttributeValues: { ':u': { S: 'user-3' } },
        Select: 'COUNT',
      }),
    );
    expect(byStatus.Count).toBe(receipts.filter((r) => r.user_id.S === 'user-3').length);
    const names = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    expect(names.filter((name) => name.endsWith('.upgrade'))).toEqual([]);
  });

  it('when it starts a second time, then nothing changes: no upgrade, the same tables (not made again), the same items', async () => {
    const describeAll = async (c: DynamoDBClient) =>
      Promise.all(
        TABLES.map(async (t) => (await c.send(new DescribeTableCommand({ TableName: t.logicalName }))).Table),
      );
    const before = await describeAll(client);
    client.destroy();
    await stopStack(stack);

    const secondLog: string[] = [];
    stack = await startStack(dataDir, secondLog);
    client = clientOf(stack);
    expect(upgradeLines(secondLog)).toEqual([]);
    const after = await describeAll(client);
    expect(
      after.map((t) => [t?.TableName, t?.CreationDateTime, t?.GlobalSecondaryIndexes?.map((i) => i.IndexName)]),
    ).toEqual(
      before.map((t) => [t?.TableName, t?.CreationDateTime, t?.GlobalSecondaryIndexes?.map((i) => i.IndexName)]),
    );
    expect(await allItems(client, 'Receipts')).toEqual(sortedByKey(receipts));
  }, 120_000);
});

describe('npm start on a data folder whose table has another key', () => {
  it('when it starts, then it stops with a message naming the table and what to do, and the table and its items are untouched', async () => {
    const dataDir = await newDataDir();
    const budgets = tableByLogicalName('Budgets');
    const oldBudgets: TableDefinition = { ...budgets, sortKey: 'id' };
    const items = [{ user_id: { S: 'u1' }, id: { S: 'b1' }, limit: { N: '100' } }];
    await givenOldDataFolder(dataDir, [oldBudgets, withoutIndex('Receipts', IMAGE_EXPIRY_INDEX)], {
      Budgets: items,
      Receipts: receipts.slice(0, 5),
    });

    const error = await startStack(dataDir).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /^The DynamoDB table Budgets in .*dynamodb has the key user_id \(HASH\), id \(RANGE\) but this version needs user_id \(HASH\), budget_id \(RANGE\)/,
    );
    expect(error?.message).toMatch(/DATA_DIR=\.data-new npm start/);

    // Nothing was changed: not the table with the other key, nor the one that lacked an index.
    const dynamo = await startLocalDynamoDb({
      dataDir,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAOLD', secretAccessKey: 'old' },
    });
    try {
      const scan = JSON.parse((await dynamo.call('Scan', JSON.stringify({ TableName: 'Budgets' }))).body) as {
        Items: Item[];
      };
      expect(scan.Items).toEqual(items);
      const receiptsTable = JSON.parse(
        (await dynamo.call('DescribeTable', JSON.stringify({ TableName: 'Receipts' }))).body,
      ) as { Table: { GlobalSecondaryIndexes: { IndexName: string }[] } };
      expect(receiptsTable.Table.GlobalSecondaryIndexes.map((i) => i.IndexName)).not.toContain(IMAGE_EXPIRY_INDEX);
    } finally {
      await dynamo.stop();
    }
  }, 120_000);
});

describe('npm start on a data folder whose upgrade an earlier start left half done', () => {
  const receiptsCopy = createTableInputOf(tableByLogicalName('Receipts'), 'Receipts.upgrade');

  /** Given the stand-in on `dataDir` (nothing else running): `then` called with its in-process caller. */
  async function withStandIn(
    dataDir: string,
    then: (call: (op: string, body: unknown) => Promise<unknown>) => Promise<void>,
  ) {
    const dynamo = await startLocalDynamoDb({
      dataDir,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAOLD', secretAccessKey: 'old' },
    });
    try {
      await then(async (operation, body) => {
        const answer = await dynamo.call(operation, JSON.stringify(body));
        if (answer.status !== 200) throw new Error(`${operation}: ${answer.body}`);
        return JSON.parse(answer.body || '{}') as unknown;
      });
    } finally {
      await dynamo.stop();
    }
  }

  /** dynalite makes a table ACTIVE a moment after CreateTable answers; on a busy machine, more than a moment. */
  async function untilActive(call: (op: string, body: unknown) => Promise<unknown>, TableName: string) {
    for (;;) {
      const { Table } = (await call('DescribeTable', { TableName })) as { Table: { TableStatus: string } };
      if (Table.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function expectReceiptsUpgradedWithEveryItem(dataDir: string) {
    const stack = await startStack(dataDir);
    const client = clientOf(stack);
    try {
      expect(await allItems(client, 'Receipts')).toEqual(sortedByKey(receipts));
      const expiring = await queryAll(client, 'Receipts', IMAGE_EXPIRY_INDEX, 'image_expires_on', '2099-01-02');
      expect(sortedByKey(expiring)).toEqual(
        sortedByKey(receipts.filter((r) => r.image_expires_on?.S === '2099-01-02')),
      );
      const names = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
      expect(names).not.toContain('Receipts.upgrade');
    } finally {
      client.destroy();
      await stopStack(stack);
    }
  }

  it('given the copy was being made (not tagged complete, half the items) and the table untouched, then the upgrade starts over and keeps every item', async () => {
    const dataDir = await newDataDir();
    await givenOldDataFolder(dataDir, [withoutIndex('Receipts', IMAGE_EXPIRY_INDEX)], { Receipts: receipts });
    await withStandIn(dataDir, async (call) => {
      await call('CreateTable', receiptsCopy);
      await untilActive(call, 'Receipts.upgrade');
      for (const Item of receipts.slice(0, 150)) await call('PutItem', { TableName: 'Receipts.upgrade', Item });
    });
    await expectReceiptsUpgradedWithEveryItem(dataDir);
  }, 120_000);

  it('given the copy was complete and the table deleted, then the table is made again from the copy with every item', async () => {
    const dataDir = await newDataDir();
    await withStandIn(dataDir, async (call) => {
      await call('CreateTable', receiptsCopy);
      await untilActive(call, 'Receipts.upgrade');
      for (const Item of receipts) await call('PutItem', { TableName: 'Receipts.upgrade', Item });
      await call('TagResource', {
        ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Receipts.upgrade',
        Tags: [{ Key: 'expense-tracker:upgrade-copy', Value: String(receipts.length) }],
      });
    });
    await expectReceiptsUpgradedWithEveryItem(dataDir);
  }, 120_000);
});
