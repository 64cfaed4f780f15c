import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Category, DateOrder } from '../../generated/graphql.ts';
import { IN_FLIGHT, statusKeyOf, type ReceiptItem } from '../receipts/receipt-item.ts';
import { expensePages } from '../shared/expense-pages.ts';
import type { ExpenseItem, OwnerProfile, ProcessReceiptDeps } from './core.ts';

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

export function createReceiptLeases(db: DynamoDBDocumentClient, receiptsTable: string): ProcessReceiptDeps['receipts'] {
  return {
    async acquireLease(owner, receiptId, leaseId, now, leaseMs) {
      try {
        const out = await db.send(
          new UpdateCommand({
            TableName: receiptsTable,
            Key: { user_id: owner, receipt_id: receiptId },
            UpdateExpression: 'SET #s = :processing, status_key = :key, inflight = :inflight, leaseId = :lease, leaseUntil = :until, updatedAt = :now',
            // Free to take when waiting, or when a crashed run's lease has run out.
            ConditionExpression: 'attribute_exists(receipt_id) AND (#s IN (:pending, :uploaded) OR (#s = :processing AND leaseUntil < :nowMs))',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':processing': 'PROCESSING',
              ':pending': 'PENDING_UPLOAD',
              ':uploaded': 'UPLOADED',
              ':key': statusKeyOf('PROCESSING', receiptId),
              ':inflight': IN_FLIGHT,
              ':lease': leaseId,
              ':until': now.getTime() + leaseMs,
              ':nowMs': now.getTime(),
              ':now': now.toISOString(),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return out.Attributes as ReceiptItem;
      } catch (error) {
        if (isConditionFailure(error)) return null;
        throw error;
      }
    },

    async complete(owner, receiptId, leaseId, result, now) {
      const values: Record<string, unknown> = {
        ':status': result.status,
        ':key': statusKeyOf(result.status, receiptId),
        ':lease': leaseId,
        ':now': now.toISOString(),
        ':extraction': result.extraction,
        ':expenseId': result.expenseId,
        ':dup': result.possibleDuplicateOf,
        ':error': result.error,
      };
      try {
        await db.send(
          new UpdateCommand({
            TableName: receiptsTable,
            Key: { user_id: owner, receipt_id: receiptId },
            UpdateExpression:
              'SET #s = :status, status_key = :key, updatedAt = :now, extraction = :extraction, expenseId = :expenseId, possibleDuplicateOf = :dup, #e = :error REMOVE leaseId, leaseUntil, inflight',
            ConditionExpression: 'leaseId = :lease',
            ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

export function createExpenseWriter(
  db: DynamoDBDocumentClient,
  expensesTable: string,
  merchantKeyOf: (merchant: string) => string,
): ProcessReceiptDeps['expenses'] {
  return {
    async get(owner, expenseId) {
      const out = await db.send(new GetCommand({ TableName: expensesTable, Key: { user_id: owner, expense_id: expenseId }, ConsistentRead: true }));
      return (out.Item as ExpenseItem | undefined) ?? null;
    },

    async putFromReceipt(item, replaceUnedited) {
      try {
        await db.send(
          new PutCommand({
            TableName: expensesTable,
            Item: item,
            // A user's edit (version > 1) is never overwritten by OCR.
            ConditionExpression: replaceUnedited
              ? 'attribute_not_exists(expense_id) OR (version = :one AND categorySource <> :user)'
              : 'attribute_not_exists(expense_id)',
            ExpressionAttributeValues: replaceUnedited ? { ':one': 1, ':user': 'USER' } : undefined,
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async sameDay(owner, date) {
      // One day of one user's expenses: a bounded Query on the date index.
      const items: ExpenseItem[] = [];
      for await (const page of expensePages(db, expensesTable, owner, date, date)) {
        items.push(...(page as unknown as ExpenseItem[]));
        if (items.length >= 500) break;
      }
      return items;
    },

    merchantKeyOf,
  };
}

const DEFAULT_PROFILE: OwnerProfile = { dateOrder: 'DMY', homeCurrency: 'USD', timezone: 'UTC' };

export function createProfileReader(db: DynamoDBDocumentClient, usersTable: string): ProcessReceiptDeps['profiles'] {
  return {
    async get(owner) {
      const out = await db.send(new GetCommand({ TableName: usersTable, Key: { user_id: owner } }));
      const item = out.Item ?? {};
      return {
        dateOrder: (item.dateOrder as DateOrder) ?? DEFAULT_PROFILE.dateOrder,
        homeCurrency: (item.homeCurrency as string) ?? DEFAULT_PROFILE.homeCurrency,
        timezone: (item.timezone as string) ?? DEFAULT_PROFILE.timezone,
      };
    },
  };
}

export function createLearnedCategoryReader(
  db: DynamoDBDocumentClient,
  merchantsTable: string,
  merchantKeyOf: (merchant: string) => string,
): (owner: string, merchant: string) => Promise<Category | null> {
  return async (owner, merchant) => {
    const key = merchantKeyOf(merchant);
    if (!key) return null;
    const out = await db.send(new GetCommand({ TableName: merchantsTable, Key: { user_id: owner, merchant_key: key } }));
    return (out.Item?.category as Category | undefined) ?? null;
  };
}

/** In-flight receipts whose last change is older than `olderThan`: the sweep's work list, one Query per page. */
export async function* stuckReceipts(db: DynamoDBDocumentClient, receiptsTable: string, olderThan: Date): AsyncGenerator<ReceiptItem> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: receiptsTable,
        IndexName: 'inflight-index',
        KeyConditionExpression: 'inflight = :y AND updatedAt < :before',
        ExpressionAttributeValues: { ':y': IN_FLIGHT, ':before': olderThan.toISOString() },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) yield item as ReceiptItem;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
