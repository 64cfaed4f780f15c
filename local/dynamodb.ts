import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ClassicLevel } from 'classic-level';
import dynalite from 'dynalite';
import { keyAttributesOf, TABLES, type KeySchema } from '../infra/tables.ts';

/**
 * The DynamoDB stand-in: dynalite (the DynamoDB wire protocol over LevelDB) persisted under
 * `DATA_DIR/dynamodb`. Tables appear ACTIVE at once (`createTableMs: 0`) so the stack is ready
 * in a moment. LevelDB appends to its log on every write, so a kill -9 loses nothing that
 * was acknowledged.
 */
export interface LocalDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalDynamoDb(dataDir: string, host = '127.0.0.1'): Promise<LocalDynamoDb> {
  const dbPath = path.join(dataDir, 'dynamodb');
  await assertNotOpenElsewhere(dbPath, dataDir);
  const server = dynalite({ path: dbPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * LevelDB lets one process at a time open a database, and dynalite opens it in the background,
 * so a second `npm start` on the same DATA_DIR would fail only at its first request, with a
 * stack trace. Opening it here first (and closing it again) turns that into a clear refusal.
 */
async function assertNotOpenElsewhere(dbPath: string, dataDir: string): Promise<void> {
  const probe = new ClassicLevel(dbPath);
  try {
    await probe.open();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED') {
      throw new Error(`the data directory ${path.resolve(dataDir)} is in use by another npm start: stop that one, or give this one its own DATA_DIR`);
    }
    throw error;
  }
  await probe.close();
}

/**
 * Creates the tables of infra/tables.ts that do not exist yet (keys and GSIs as infra
 * defines them; every key attribute a string), so restarting on existing data is a no-op.
 */
export async function createLocalDynamoDbTables(endpoint: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region, credentials });
  try {
    const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
    for (const table of TABLES) {
      if (existing.has(table.logicalName)) continue;
      const keySchema = (k: KeySchema) => [
        { AttributeName: k.partitionKey, KeyType: 'HASH' as const },
        ...(k.sortKey ? [{ AttributeName: k.sortKey, KeyType: 'RANGE' as const }] : []),
      ];
      try {
        await client.send(
          new CreateTableCommand({
            TableName: table.logicalName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: keyAttributesOf(table).map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
            KeySchema: keySchema(table),
            ...(table.indexes.length
              ? { GlobalSecondaryIndexes: table.indexes.map((index) => ({ IndexName: index.indexName, KeySchema: keySchema(index), Projection: { ProjectionType: 'ALL' as const } })) }
              : {}),
          }),
        );
      } catch (error) {
        // Another process (or a concurrent start) created it first: fine.
        if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
      }
    }
  } finally {
    client.destroy();
  }
}
