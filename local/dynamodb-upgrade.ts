import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  ScanCommand,
  TagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type GlobalSecondaryIndexDescription,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { keyAttributesOf, type KeySchema, type TableDefinition } from '../model/tables.ts';

/**
 * Bringing the tables of an existing data folder up to model/tables.ts at start.
 *
 * Tables are created when missing; one that exists is compared with the model: its key schema
 * (which cannot change: a table whose key differs stops the start, untouched), its global
 * secondary indexes and their attribute definitions (a missing index is added, one whose keys or
 * projection differ is rebuilt; an index the model does not know is left as it is), and its TTL.
 * The model declares no streams, so there is nothing of streams to add.
 *
 * How an index is added depends on the DynamoDB:
 * - `update-table` (DynamoDB, DynamoDB Local, through AWS_ENDPOINT_URL_DYNAMODB): UpdateTable
 *   with GlobalSecondaryIndexUpdates Create, one index at a time, waiting until it is ACTIVE:
 *   DynamoDB backfills the index from the items already there. TTL through UpdateTimeToLive.
 * - `rewrite` (the built-in stand-in): dynalite refuses a GSI Create (it asks for a provisioned
 *   throughput even on an on-demand table, and with one accepts the request and adds nothing),
 *   and it writes index entries only when an item is written. So the table is rewritten through
 *   the stand-in: every item is copied into `<table>.upgrade` (created as the model says), that
 *   copy is counted and tagged complete, the old table is deleted and created again as the model
 *   says, and the items are copied back (each written, so each lands in the new indexes). A start
 *   cut short anywhere resumes from what it finds: an upgrade copy not tagged complete means the
 *   table was not touched yet (the copy is dropped and made again); a complete one holds every
 *   item, so the table is made again from it. dynalite has no TTL (items are never expired
 *   locally), so TTL is left alone there. The rewrite runs before anything of the stack does; the
 *   API port answers already, so a client writing to DynamoDB from outside during an upgrade (none
 *   of the project's own does) could write to the old table after its copy was made.
 */
export type UpgradeStrategy = 'update-table' | 'rewrite';

/** What reconciling changed: one line per change, empty when the tables already matched. */
export type TableChanges = string[];

const UPGRADE_SUFFIX = '.upgrade';
const COMPLETE_TAG = 'expense-tracker:upgrade-copy';
const WAIT_STEP_MS = 20;
const WAIT_LIMIT_MS = 10 * 60 * 1000;

/** A table the model's key no longer fits: its items cannot be kept, so start stops. */
export class IncompatibleTableError extends Error {
  override name = 'IncompatibleTableError';
}

const keySchemaOf = (k: KeySchema): KeySchemaElement[] => [
  { AttributeName: k.partitionKey, KeyType: 'HASH' },
  ...(k.sortKey ? [{ AttributeName: k.sortKey, KeyType: 'RANGE' as const }] : []),
];

/** The CreateTable request for a table as the model defines it (every key attribute a string). */
export function createTableInputOf(table: TableDefinition, name: string = table.logicalName): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributesOf(table).map((attribute) => ({
      AttributeName: attribute,
      AttributeType: 'S' as const,
    })),
    KeySchema: keySchemaOf(table),
    ...(table.indexes.length ? { GlobalSecondaryIndexes: modelIndexesOf(table) } : {}),
  };
}

function modelIndexesOf(table: TableDefinition): GlobalSecondaryIndex[] {
  return table.indexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keySchemaOf(index),
    Projection: { ProjectionType: 'ALL' as const },
  }));
}

const describeKey = (schema: readonly KeySchemaElement[] | undefined) =>
  (schema ?? []).map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ') || 'none';

const sameKey = (a: readonly KeySchemaElement[] | undefined, b: readonly KeySchemaElement[]) =>
  describeKey(a) === describeKey(b);

function sameIndex(existing: GlobalSecondaryIndexDescription, wanted: GlobalSecondaryIndex): boolean {
  const projection = (p: GlobalSecondaryIndex['Projection']) =>
    `${p?.ProjectionType ?? 'ALL'}:${[...(p?.NonKeyAttributes ?? [])].sort().join(',')}`;
  return (
    sameKey(existing.KeySchema, wanted.KeySchema ?? []) &&
    projection(existing.Projection) === projection(wanted.Projection)
  );
}

interface Plan {
  /** Model indexes the table lacks or has with other keys or projection. */
  indexes: GlobalSecondaryIndex[];
  /** Indexes on the table the model does not name: kept. */
  extraIndexes: GlobalSecondaryIndex[];
}

/**
 * What the table lacks of the model; throws IncompatibleTableError when its key differs (or a
 * key attribute is not a string), which no upgrade can fix without losing items.
 */
function planFor(table: TableDefinition, current: TableDescription, location: string): Plan {
  const wantedKey = keySchemaOf(table);
  const types = new Map((current.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]));
  const keyTypes = wantedKey.map((k) => types.get(k.AttributeName));
  if (!sameKey(current.KeySchema, wantedKey) || keyTypes.some((type) => type !== 'S')) {
    throw new IncompatibleTableError(
      `The DynamoDB table ${table.logicalName} in ${location} has the key ${describeKey(current.KeySchema)} ` +
        `but this version needs ${describeKey(wantedKey)} (strings): its items cannot be moved to another key, ` +
        `so nothing was changed. Keep that data folder for the version that made it (export what you need ` +
        `with it), and start this version on a new one (DATA_DIR=.data-new npm start, or move the old folder aside).`,
    );
  }
  const existing = new Map((current.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]));
  const wanted = modelIndexesOf(table);
  const names = new Set(wanted.map((index) => index.IndexName));
  return {
    indexes: wanted.filter((index) => {
      const found = existing.get(index.IndexName);
      return !found || !sameIndex(found, index);
    }),
    extraIndexes: [...existing.values()]
      .filter((index) => !names.has(index.IndexName))
      .map((index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection })),
  };
}

const isNamed = (error: unknown, name: string) => (error as { name?: string }).name === name;

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (isNamed(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

/** Until the table (and each of its indexes) is ACTIVE, or gone when `gone`. */
async function waitFor(client: DynamoDBClient, name: string, gone = false): Promise<TableDescription | undefined> {
  const until = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const table = await describe(client, name);
    if (
      gone
        ? !table
        : table?.TableStatus === 'ACTIVE' &&
          (table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')
    )
      return table;
    if (Date.now() > until)
      throw new Error(`The DynamoDB table ${name} did not become ${gone ? 'deleted' : 'ACTIVE'} in time`);
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: name }));
  await waitFor(client, name, true);
}

/**
 * Copies every item of `from` into `to` (a whole-table Scan: an upgrade reads everything once,
 * as DynamoDB's own backfill does); the number of items copied.
 */
async function copyItems(client: DynamoDBClient, from: string, to: string): Promise<number> {
  let copied = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: from, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    const items = page.Items ?? [];
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const written = await client.send(new BatchWriteItemCommand({ RequestItems: { [to]: requests } }));
        requests = (written.UnprocessedItems?.[to] ?? []).map((r) => ({ PutRequest: { Item: r.PutRequest!.Item! } }));
      }
    }
    copied += items.length;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return copied;
}

async function countItems(client: DynamoDBClient, name: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: name, Select: 'COUNT', ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/** The model's table plus the indexes (and their attributes) it already had that the model does not name. */
function targetOf(
  table: TableDefinition,
  plan: Plan,
  current: TableDescription | undefined,
  name: string,
): CreateTableCommandInput {
  const input = createTableInputOf(table, name);
  if (!plan.extraIndexes.length) return input;
  const definitions = new Map((input.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d]));
  const currentTypes = new Map((current?.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d]));
  for (const index of plan.extraIndexes)
    for (const key of index.KeySchema ?? [])
      if (!definitions.has(key.AttributeName)) definitions.set(key.AttributeName, currentTypes.get(key.AttributeName)!);
  return {
    ...input,
    AttributeDefinitions: [...definitions.values()] as AttributeDefinition[],
    GlobalSecondaryIndexes: [...(input.GlobalSecondaryIndexes ?? []), ...plan.extraIndexes],
  };
}

async function createAndWait(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  await client.send(new CreateTableCommand(input));
  await waitFor(client, input.TableName!);
}

/** The second half of a rewrite: `name` made again from its complete upgrade copy, then the copy dropped. */
async function restoreFromCopy(client: DynamoDBClient, name: string, target: CreateTableCommandInput): Promise<number> {
  const copy = `${name}${UPGRADE_SUFFIX}`;
  const expected = Number((await tagsOf(client, copy)).get(COMPLETE_TAG));
  const current = await describe(client, name);
  // Its items are all in the copy (tagged complete only once counted).
  if (current && !matchesTarget(current, target)) await deleteTable(client, name);
  if (!current || !matchesTarget(current, target)) await createAndWait(client, { ...target, TableName: name });
  await copyItems(client, copy, name);
  const restored = await countItems(client, name);
  if (restored !== expected)
    throw new Error(
      `The DynamoDB table ${name} holds ${restored} items after its upgrade, ${expected} expected; its copy ${copy} is kept`,
    );
  await deleteTable(client, copy);
  return restored;
}

function matchesTarget(current: TableDescription, target: CreateTableCommandInput): boolean {
  const existing = new Map((current.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]));
  return (
    sameKey(current.KeySchema, target.KeySchema ?? []) &&
    (target.GlobalSecondaryIndexes ?? []).every((index) => {
      const found = existing.get(index.IndexName);
      return found && sameIndex(found, index);
    })
  );
}

async function tagsOf(client: DynamoDBClient, name: string): Promise<Map<string, string>> {
  const table = await describe(client, name);
  const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: table!.TableArn }));
  return new Map((tags.Tags ?? []).map((t) => [t.Key!, t.Value!]));
}

/** Rewrites `name` as `target` through the stand-in, keeping every item (see the module comment). */
async function rewrite(client: DynamoDBClient, name: string, target: CreateTableCommandInput): Promise<number> {
  const copy = `${name}${UPGRADE_SUFFIX}`;
  await createAndWait(client, { ...target, TableName: copy });
  const copied = await copyItems(client, name, copy);
  const counted = await countItems(client, copy);
  const source = await countItems(client, name);
  if (counted !== copied || counted !== source)
    throw new Error(`Upgrading the DynamoDB table ${name}: ${source} items, ${counted} copied; nothing was changed`);
  const arn = (await describe(client, copy))!.TableArn;
  await client.send(
    new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: COMPLETE_TAG, Value: String(counted) }] }),
  );
  return restoreFromCopy(client, name, target);
}

/** An upgrade a previous start left half done: finished (copy complete) or undone (copy incomplete). */
async function resumeUpgrade(client: DynamoDBClient, table: TableDefinition, changes: TableChanges): Promise<void> {
  const copy = `${table.logicalName}${UPGRADE_SUFFIX}`;
  const copyTable = await waitFor(client, copy);
  if (!(await tagsOf(client, copy)).has(COMPLETE_TAG)) {
    // The table itself was not touched yet: start over.
    await deleteTable(client, copy);
    return;
  }
  const target: CreateTableCommandInput = {
    TableName: table.logicalName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: copyTable!.AttributeDefinitions,
    KeySchema: copyTable!.KeySchema,
    ...(copyTable!.GlobalSecondaryIndexes?.length
      ? {
          GlobalSecondaryIndexes: copyTable!.GlobalSecondaryIndexes.map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
          })),
        }
      : {}),
  };
  const items = await restoreFromCopy(client, table.logicalName, target);
  changes.push(`${table.logicalName}: finished the upgrade an earlier start left half done (${items} items kept)`);
}

async function addIndexesInPlace(
  client: DynamoDBClient,
  table: TableDefinition,
  current: TableDescription,
  plan: Plan,
): Promise<void> {
  const existing = new Set((current.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of plan.indexes) {
    if (existing.has(index.IndexName)) {
      await client.send(
        new UpdateTableCommand({
          TableName: table.logicalName,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.IndexName } }],
        }),
      );
      await waitFor(client, table.logicalName);
    }
    const attributes = new Set((index.KeySchema ?? []).map((k) => k.AttributeName!));
    await client.send(
      new UpdateTableCommand({
        TableName: table.logicalName,
        AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    // ACTIVE once DynamoDB has backfilled it from the items already there.
    await waitFor(client, table.logicalName);
  }
}

async function addTimeToLive(client: DynamoDBClient, table: TableDefinition, changes: TableChanges): Promise<void> {
  if (!table.timeToLiveAttribute) return;
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table.logicalName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: table.logicalName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: table.timeToLiveAttribute },
    }),
  );
  changes.push(`${table.logicalName}: TTL on ${table.timeToLiveAttribute}`);
}

/**
 * Every table of `tables` exists and has the model's indexes (and TTL with `update-table`) once
 * this resolves; the changes it made. `location` names the data in error messages.
 */
export async function reconcileTables(
  client: DynamoDBClient,
  tables: readonly TableDefinition[],
  options: { strategy: UpgradeStrategy; location: string; existing: ReadonlySet<string> },
): Promise<TableChanges> {
  const changes: TableChanges = [];
  const described = await Promise.all(
    tables.map(async (table) => ({
      table,
      current: options.existing.has(table.logicalName) ? await describe(client, table.logicalName) : undefined,
      halfDone: options.existing.has(`${table.logicalName}${UPGRADE_SUFFIX}`),
    })),
  );
  // Every key is checked before anything is changed: an incompatible table stops the start untouched.
  const plans = described.map((entry) => ({
    ...entry,
    plan: entry.current && !entry.halfDone ? planFor(entry.table, entry.current, options.location) : undefined,
  }));
  for (const { table, halfDone } of plans) {
    if (!halfDone) continue;
    await resumeUpgrade(client, table, changes);
  }
  for (const entry of plans) {
    const { table, halfDone } = entry;
    let { current, plan } = entry;
    if (halfDone) {
      current = await describe(client, table.logicalName);
      plan = current ? planFor(table, current, options.location) : undefined;
    }
    if (!current) {
      try {
        await client.send(new CreateTableCommand(createTableInputOf(table)));
        changes.push(`${table.logicalName}: created`);
        if (options.strategy === 'update-table' && table.timeToLiveAttribute) await waitFor(client, table.logicalName);
      } catch (error) {
        // Another process (or a concurrent start) created it first: fine.
        if (!isNamed(error, 'ResourceInUseException')) throw error;
      }
    } else if (plan?.indexes.length) {
      const names = plan.indexes.map((index) => index.IndexName).join(', ');
      if (options.strategy === 'update-table') {
        await addIndexesInPlace(client, table, current, plan).catch((error: Error) => {
          throw new Error(
            `The DynamoDB at ${options.location} could not add the index ${names} to the table ${table.logicalName} ` +
              `(UpdateTable: ${error.message}); no item was changed`,
          );
        });
        changes.push(`${table.logicalName}: index ${names} added (UpdateTable; DynamoDB backfilled it)`);
      } else {
        const items = await rewrite(client, table.logicalName, targetOf(table, plan, current, table.logicalName));
        changes.push(`${table.logicalName}: index ${names} added (${items} items rewritten through the stand-in)`);
      }
    }
    // dynalite has no TTL (UpdateTimeToLive is an unknown operation there).
    if (options.strategy === 'update-table') await addTimeToLive(client, table, changes);
  }
  return changes;
}
