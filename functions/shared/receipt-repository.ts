import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ReceiptRepository } from './receipt-intake.ts';
import type { ExpenseItem } from '../../model/expenses.ts';
import { syncSearchIndex } from './search/index-writer.ts';
import { syncSplitIndex } from './split-index.ts';
import {
  IN_FLIGHT,
  sha256ClaimPartition,
  statusKeyOf,
  type ReceiptItem,
  type Sha256ClaimItem,
} from '../../model/receipts.ts';
import { isConditionFailure } from './conditional-put.ts';

export function createDynamoReceiptRepository(
  db: DynamoDBDocumentClient,
  /** searchTerms: where a deleted expense's search entries are (functions that delete expenses give it). */
  tables: { receipts: string; expenses: string; history: string; searchTerms?: string },
): ReceiptRepository {
  const { receipts, expenses, history, searchTerms } = tables;
  return {
    async claimSha256(owner, sha256, receiptId) {
      try {
        await db.send(
          new PutCommand({
            TableName: receipts,
            Item: {
              user_id: sha256ClaimPartition(owner),
              receipt_id: sha256,
              firstReceiptId: receiptId,
            } satisfies Sha256ClaimItem,
            ConditionExpression: 'attribute_not_exists(receipt_id)',
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const existing = await db.send(
          new GetCommand({
            TableName: receipts,
            Key: { user_id: sha256ClaimPartition(owner), receipt_id: sha256 },
            ConsistentRead: true,
          }),
        );
        const firstReceiptId = (existing.Item as Sha256ClaimItem | undefined)?.firstReceiptId;
        // Released between the two calls: claim again.
        if (!firstReceiptId) return this.claimSha256(owner, sha256, receiptId);
        return { claimed: false, firstReceiptId };
      }
    },

    async releaseSha256(owner, sha256, receiptId) {
      try {
        await db.send(
          new DeleteCommand({
            TableName: receipts,
            Key: { user_id: sha256ClaimPartition(owner), receipt_id: sha256 },
            ConditionExpression: 'firstReceiptId = :id',
            ExpressionAttributeValues: { ':id': receiptId },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async putNew(item) {
      await db.send(
        new PutCommand({ TableName: receipts, Item: item, ConditionExpression: 'attribute_not_exists(receipt_id)' }),
      );
    },

    async get(owner, receiptId) {
      const out = await db.send(
        new GetCommand({ TableName: receipts, Key: { user_id: owner, receipt_id: receiptId }, ConsistentRead: true }),
      );
      return (out.Item as ReceiptItem | undefined) ?? null;
    },

    async markUploaded(owner, receiptId, now) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: receipts,
            Key: { user_id: owner, receipt_id: receiptId },
            UpdateExpression: 'SET #s = :uploaded, status_key = :key, updatedAt = :now',
            ConditionExpression: '#s = :pending',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':uploaded': 'UPLOADED',
              ':pending': 'PENDING_UPLOAD',
              ':key': statusKeyOf('UPLOADED', receiptId),
              ':now': now,
            },
          }),
        );
      } catch (error) {
        // Already past PENDING_UPLOAD: the S3 event got there first.
        if (!isConditionFailure(error)) throw error;
      }
    },

    async restartUpload(owner, receiptId, upload, now) {
      try {
        const out = await db.send(
          new UpdateCommand({
            TableName: receipts,
            Key: { user_id: owner, receipt_id: receiptId },
            UpdateExpression:
              'SET #s = :pending, status_key = :key, inflight = :inflight, s3Key = :s3Key, contentType = :type, #size = :size, sha256 = :sha256, originalContentType = :originalType, originalSha256 = :originalSha256, fileName = :fileName, correlationId = :correlation, updatedAt = :now REMOVE #e, leaseId, leaseUntil',
            ConditionExpression: '#s = :failed',
            ExpressionAttributeNames: { '#s': 'status', '#e': 'error', '#size': 'size' },
            ExpressionAttributeValues: {
              ':pending': 'PENDING_UPLOAD',
              ':failed': 'FAILED',
              ':key': statusKeyOf('PENDING_UPLOAD', receiptId),
              ':inflight': IN_FLIGHT,
              ':s3Key': upload.s3Key,
              ':type': upload.contentType,
              ':size': upload.size,
              ':sha256': upload.sha256 ?? null,
              ':originalType': upload.originalContentType ?? null,
              ':originalSha256': upload.originalSha256 ?? null,
              ':fileName': upload.fileName ?? null,
              ':correlation': upload.correlationId ?? null,
              ':now': now,
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

    async resetForReprocess(owner, receiptId, now, change) {
      // On the version the change was made from (none: a receipt from before history).
      const previous = change.version - 1;
      try {
        const out = await db.send(
          new UpdateCommand({
            TableName: receipts,
            Key: { user_id: owner, receipt_id: receiptId },
            UpdateExpression:
              'SET #s = :uploaded, status_key = :key, inflight = :inflight, updatedAt = :now, version = :version, lastChange = :change REMOVE #e, leaseId, leaseUntil',
            ConditionExpression: `#s IN (:processed, :review, :failed) AND ${previous === 0 ? 'attribute_not_exists(version)' : 'version = :previous'}`,
            ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
            ExpressionAttributeValues: {
              ':version': change.version,
              ':change': change,
              ...(previous === 0 ? {} : { ':previous': previous }),
              ':uploaded': 'UPLOADED',
              ':key': statusKeyOf('UPLOADED', receiptId),
              ':inflight': IN_FLIGHT,
              ':now': now,
              ':processed': 'PROCESSED',
              ':review': 'NEEDS_REVIEW',
              ':failed': 'FAILED',
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

    async delete(owner, receiptId) {
      await db.send(new DeleteCommand({ TableName: receipts, Key: { user_id: owner, receipt_id: receiptId } }));
    },

    async recordChange(owner, record) {
      await db.send(new PutCommand({ TableName: history, Item: { ...record, user_id: owner } }));
    },

    async deleteExpense(owner, expenseId) {
      const out = await db.send(
        new DeleteCommand({
          TableName: expenses,
          Key: { user_id: owner, expense_id: expenseId },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = out.Attributes as ExpenseItem | undefined;
      // Its search entries go with it (a retry finds the expense gone: searches never answer an entry without one).
      if (old && searchTerms) await syncSearchIndex(db, searchTerms, old, null);
      // And a split expense's category index items (model/splits.ts).
      if (old?.splits) await syncSplitIndex(db, expenses, owner, old, null);
      return old ?? null;
    },

    async unlinkExpense(owner, expenseId, receiptId) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: expenses,
            Key: { user_id: owner, expense_id: expenseId },
            UpdateExpression: 'REMOVE receiptId',
            ConditionExpression: 'receiptId = :receipt',
            ExpressionAttributeValues: { ':receipt': receiptId },
          }),
        );
      } catch (error) {
        // Gone, or already pointing elsewhere: nothing links it to this receipt any more.
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
