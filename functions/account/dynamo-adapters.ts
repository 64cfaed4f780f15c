import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ChangeRecord } from '../../model/history.ts';
import { IMAGE_EXPIRY_INDEX, type ReceiptItem } from '../../model/receipts.ts';
import { ownerPartitionsOf, type TableDefinition } from '../../model/tables.ts';
import { tableName } from '../shared/config.ts';
import type { Item, UserItems } from './ports.ts';
import type { RetentionDeps } from './retention.ts';
import { isConditionFailure } from '../shared/conditional-put.ts';

const PAGE = 100;
const BATCH = 25;

/** The user's items, by the partitions each table declares (model/tables.ts), a Query page at a time. */
export function createUserItems(db: DynamoDBDocumentClient): UserItems {
  return {
    async *pages(table: TableDefinition, owner: string) {
      for (const partition of ownerPartitionsOf(table, owner)) {
        for await (const out of paginateQuery(
          { client: db },
          {
            TableName: tableName(table.logicalName),
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': table.partitionKey },
            ExpressionAttributeValues: { ':pk': partition },
            Limit: PAGE,
            ConsistentRead: true,
          },
        ))
          yield (out.Items ?? []) as Item[];
      }
    },

    async deleteItems(table, items) {
      const name = tableName(table.logicalName);
      const keyOf = (item: Item) => ({
        [table.partitionKey]: item[table.partitionKey],
        ...(table.sortKey ? { [table.sortKey]: item[table.sortKey] } : {}),
      });
      for (let i = 0; i < items.length; i += BATCH) {
        let requests: Array<Record<string, unknown>> | undefined = items
          .slice(i, i + BATCH)
          .map((item) => ({ DeleteRequest: { Key: keyOf(item) } }));
        // BatchWriteItem may leave some unprocessed (throttling): retried with back-off.
        for (let round = 0; requests?.length; round += 1) {
          if (round === 8) throw new Error(`BatchWriteItem on ${name} kept leaving items unprocessed`);
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [name]: requests } }));
          requests = out.UnprocessedItems?.[name] as typeof requests;
          if (requests?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
        }
      }
      return items.length;
    },
  };
}

/** Receipts' image expiry (the sparse image-expiry-index) and the History entries the retention writes. */
export function createRetentionStore(db: DynamoDBDocumentClient): Pick<RetentionDeps, 'receipts' | 'history'> {
  const receipts = () => tableName('Receipts');
  const key = (item: ReceiptItem) => ({ user_id: item.user_id, receipt_id: item.receipt_id });
  const versionIs = (item: ReceiptItem) =>
    item.version === undefined
      ? { condition: 'attribute_not_exists(version)', values: {} }
      : { condition: 'version = :version', values: { ':version': item.version } };
  return {
    receipts: {
      async *expiringOn(day) {
        for await (const out of paginateQuery(
          { client: db },
          {
            TableName: receipts(),
            IndexName: IMAGE_EXPIRY_INDEX,
            KeyConditionExpression: 'image_expires_on = :day',
            ExpressionAttributeValues: { ':day': day },
            Limit: PAGE,
          },
        ))
          yield (out.Items ?? []) as ReceiptItem[];
      },

      async get(owner, receiptId) {
        const out = await db.send(
          new GetCommand({
            TableName: receipts(),
            Key: { user_id: owner, receipt_id: receiptId },
            ConsistentRead: true,
          }),
        );
        return (out.Item as ReceiptItem | undefined) ?? null;
      },

      async setExpiry(item, day) {
        try {
          await db.send(
            new UpdateCommand({
              TableName: receipts(),
              Key: key(item),
              UpdateExpression: 'SET image_expires_on = :day',
              ConditionExpression: 'attribute_exists(receipt_id) AND attribute_not_exists(imageExpiredAt)',
              ExpressionAttributeValues: { ':day': day },
            }),
          );
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      },

      async markExpired(item, change: ChangeRecord, at) {
        const version = versionIs(item);
        try {
          await db.send(
            new UpdateCommand({
              TableName: receipts(),
              Key: key(item),
              UpdateExpression:
                'SET imageExpiredAt = :at, version = :next, lastChange = :change, updatedAt = :at REMOVE image_expires_on',
              // Not while an OCR run holds it: its outcome would take the same next version (a later sweep marks it).
              ConditionExpression: `attribute_exists(receipt_id) AND attribute_not_exists(leaseId) AND ${version.condition}`,
              ExpressionAttributeValues: { ':at': at, ':next': change.version, ':change': change, ...version.values },
            }),
          );
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      },
    },
    history: {
      async put(owner, record) {
        await db.send(new PutCommand({ TableName: tableName('History'), Item: { ...record, user_id: owner } }));
      },
    },
  };
}
