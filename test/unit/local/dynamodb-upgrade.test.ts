import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTableInputOf, reconcileTables } from '../../../local/dynamodb-upgrade.ts';
import { IMAGE_EXPIRY_INDEX } from '../../../model/receipts.ts';
import { tableByLogicalName, type TableDefinition } from '../../../model/tables.ts';

/**
 * Against a DynamoDB that adds indexes itself (the `update-table` strategy, for
 * AWS_ENDPOINT_URL_DYNAMODB): a missing index is added with UpdateTable Create (its key attributes
 * defined), one at a time, each waited for until DynamoDB has backfilled it (ACTIVE), and TTL is
 * switched on where the model has it; a table already as the model asks for nothing. A fake
 * DynamoDB records the requests: it answers as DynamoDB does, an index CREATING for a while.
 */
function fakeDynamoDb(tables: TableDescription[], ttl: Record<string, string> = {}) {
  const requests: Array<{ command: string; input: Record<string, unknown> }> = [];
  const byName = new Map(tables.map((t) => [t.TableName!, structuredClone(t)]));
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, '');
      const input = command.input;
      requests.push({ command: name, input });
      const table = byName.get(input.TableName as string);
      switch (name) {
        case 'DescribeTable': {
          if (!table) throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
          const answer = structuredClone(table);
          for (const index of table.GlobalSecondaryIndexes ?? []) index.IndexStatus = 'ACTIVE';
          return { Table: answer };
        }
        case 'UpdateTable': {
          const create = (input.GlobalSecondaryIndexUpdates as Array<{ Create?: Record<string, unknown> }>)[0].Create!;
          table!.GlobalSecondaryIndexes = [
            ...(table!.GlobalSecondaryIndexes ?? []),
            { ...create, IndexStatus: 'CREATING' },
          ];
          return {};
        }
        case 'DescribeTimeToLive':
          return { TimeToLiveDescription: { TimeToLiveStatus: ttl[input.TableName as string] ?? 'DISABLED' } };
        case 'UpdateTimeToLive':
          return {};
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  };
  return { client: client as unknown as DynamoDBClient, requests };
}

const describedAs = (table: TableDefinition): TableDescription => {
  const input = createTableInputOf(table);
  return {
    TableName: input.TableName,
    TableStatus: 'ACTIVE',
    KeySchema: input.KeySchema,
    AttributeDefinitions: input.AttributeDefinitions,
    GlobalSecondaryIndexes: input.GlobalSecondaryIndexes?.map((i) => ({ ...i, IndexStatus: 'ACTIVE' })),
  };
};

describe('bringing tables up to the model on a DynamoDB that adds indexes (UpdateTable)', () => {
  const receipts = tableByLogicalName('Receipts');
  const jobs = tableByLogicalName('Jobs');
  const oldReceipts = { ...receipts, indexes: receipts.indexes.filter((i) => i.indexName !== IMAGE_EXPIRY_INDEX) };

  it('given Receipts without its image-expiry index and Jobs without TTL, then the index is created (backfilled, waited for) and TTL switched on', async () => {
    const { client, requests } = fakeDynamoDb([describedAs(oldReceipts), describedAs(jobs)]);
    const changes = await reconcileTables(client, [receipts, jobs], {
      strategy: 'update-table',
      location: 'http://dynamodb.test',
      existing: new Set(['Receipts', 'Jobs']),
    });

    const update = requests.find((r) => r.command === 'UpdateTable')!;
    expect(update.input).toEqual({
      TableName: 'Receipts',
      AttributeDefinitions: [
        { AttributeName: 'image_expires_on', AttributeType: 'S' },
        { AttributeName: 'receipt_id', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: IMAGE_EXPIRY_INDEX,
            KeySchema: [
              { AttributeName: 'image_expires_on', KeyType: 'HASH' },
              { AttributeName: 'receipt_id', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        },
      ],
    });
    // Waited for: described again after the UpdateTable (CREATING, then ACTIVE).
    const after = requests.slice(requests.indexOf(update) + 1);
    expect(
      after.filter((r) => r.command === 'DescribeTable' && r.input.TableName === 'Receipts').length,
    ).toBeGreaterThan(0);
    expect(requests.filter((r) => r.command === 'UpdateTimeToLive').map((r) => r.input)).toEqual([
      { TableName: 'Jobs', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' } },
    ]);
    expect(changes).toEqual([
      `Receipts: index ${IMAGE_EXPIRY_INDEX} added (UpdateTable; DynamoDB backfilled it)`,
      'Jobs: TTL on expires_at',
    ]);
  });

  it('given tables already as the model says, then nothing is asked of DynamoDB but to describe them', async () => {
    const { client, requests } = fakeDynamoDb([describedAs(receipts), describedAs(jobs)], { Jobs: 'ENABLED' });
    const changes = await reconcileTables(client, [receipts, jobs], {
      strategy: 'update-table',
      location: 'http://dynamodb.test',
      existing: new Set(['Receipts', 'Jobs']),
    });
    expect(changes).toEqual([]);
    expect([...new Set(requests.map((r) => r.command))].sort()).toEqual(['DescribeTable', 'DescribeTimeToLive']);
  });
});
