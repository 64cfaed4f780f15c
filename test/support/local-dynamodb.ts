import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLocalDynamoDbTables, startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynamodb.ts';
import { serveRoutes } from '../../local/server/serve-routes.ts';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'AKIATEST', secretAccessKey: 'test' };

export interface TestDynamoDb {
  endpoint: string;
  /** A document client on it (undefined attributes dropped, as the functions' client does). */
  db: DynamoDBDocumentClient;
  /** The same DynamoDB called in-process, as npm start's resolvers call it. */
  call: LocalDynamoDb['call'];
  stop(): Promise<void>;
}

/** Given dynalite on a fresh temp dir, with the tables of model/tables.ts: a test's own DynamoDB. */
export async function givenLocalDynamoDb(name: string): Promise<TestDynamoDb> {
  const dir = await mkdtemp(path.join(tmpdir(), `${name}-`));
  const dynamo = await startLocalDynamoDb({ dataDir: dir, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  const served = await serveRoutes([dynamo]);
  await createLocalDynamoDbTables(served.endpoint, TEST_REGION, TEST_CREDENTIALS);
  const client = new DynamoDBClient({ endpoint: served.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  return {
    endpoint: served.endpoint,
    call: dynamo.call,
    db: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    async stop() {
      client.destroy();
      await served.close();
      await dynamo.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
