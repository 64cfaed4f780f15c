import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { DateOrder } from '../../generated/graphql.ts';
import { IN_FLIGHT, statusKeyOf } from '../../model/receipts.ts';
import { expensePages } from '../shared/expense-pages.ts';
import { isKnownTimeZone } from '../shared/periods.ts';
import type { ExpenseItem } from '../../model/expenses.ts';
import type { LeasedReceipt, OwnerProfile, ProcessReceiptDeps, ReceiptLeases } from './core.ts';
import { isConditionFailure } from '../shared/conditional-put.ts';

const FINAL_STATUSES = ['PROCESSED', 'NEEDS_REVIEW', 'FAILED'] as const;

export function createReceiptLeases(db: DynamoDBDocumentClient, receiptsTable: string): ReceiptLeases {
  // One conditional update; null when the condition fails. DynamoDB refuses values an
  // expression does not use, so only the ones the expressions name are sent.
  const update = async (
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<Record<string, unknown> | null> => {
    const expressions = `${input.UpdateExpression} ${input.ConditionExpression ?? ''}`;
    const used = Object.entries(input.ExpressionAttributeValues ?? {}).filter(([name]) =>
      new RegExp(`${name}(?![A-Za-z0-9_])`).test(expressions),
    );
    try {
      const out = await db.send(
        new UpdateCommand({ TableName: receiptsTable, ...input, ExpressionAttributeValues: Object.fromEntries(used) }),
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  };
  const key = (owner: string, receiptId: string) => ({ user_id: owner, receipt_id: receiptId });

  return {
    async acquire(owner, receiptId, lease) {
      const current = (
        await db.send(new GetCommand({ TableName: receiptsTable, Key: key(owner, receiptId), ConsistentRead: true }))
      ).Item as LeasedReceipt | undefined;
      if (!current) return null;
      const values: Record<string, unknown> = {
        ':lease': lease.id,
        ':until': lease.until,
        ':nowMs': lease.now,
        ':one': 1,
        ':zero': 0,
      };
      // A lease is free once it has run out, or when it was taken before the void-before instant.
      let leaseFree = '(attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)';
      if (lease.voidBefore !== null) {
        leaseFree = '(attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs OR leasedAt < :voidBefore)';
        values[':voidBefore'] = lease.voidBefore;
      }
      const takeLease = 'leaseId = :lease, leaseUntil = :until, leasedAt = :nowMs';
      const names = { '#s': 'status' };

      if (current.status === 'PENDING_UPLOAD' || current.status === 'UPLOADED') {
        // A fresh start (an upload, or a reprocess): nothing of an earlier processing carries over.
        const taken = await update({
          Key: key(owner, receiptId),
          UpdateExpression: `SET #s = :processing, status_key = :key, inflight = :inflight, updatedAt = :now, attempts = :one, ${takeLease} REMOVE lastError, followUpsPending, expenseBefore`,
          ConditionExpression: '#s IN (:pending, :uploaded)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ...values,
            ':processing': 'PROCESSING',
            ':pending': 'PENDING_UPLOAD',
            ':uploaded': 'UPLOADED',
            ':key': statusKeyOf('PROCESSING', receiptId),
            ':inflight': IN_FLIGHT,
            ':now': new Date(lease.now).toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        });
        return taken as LeasedReceipt | null;
      }
      if (current.status === 'PROCESSING') {
        const taken = await update({
          Key: key(owner, receiptId),
          UpdateExpression: `SET updatedAt = :now, attempts = if_not_exists(attempts, :zero) + :one, ${takeLease}`,
          ConditionExpression: `#s = :processing AND ${leaseFree}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ...values,
            ':processing': 'PROCESSING',
            ':now': new Date(lease.now).toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        });
        return taken as LeasedReceipt | null;
      }
      if (current.followUpsPending && (FINAL_STATUSES as readonly string[]).includes(current.status)) {
        // updatedAt stays: the receipt pushed again must be the same receipt.
        const taken = await update({
          Key: key(owner, receiptId),
          UpdateExpression: `SET attempts = if_not_exists(attempts, :zero) + :one, ${takeLease}`,
          ConditionExpression: `#s = :status AND followUpsPending = :true AND ${leaseFree}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':status': current.status, ':true': true },
          ReturnValues: 'ALL_NEW',
        });
        return taken as LeasedReceipt | null;
      }
      return null;
    },

    async renew(owner, receiptId, leaseId, until) {
      const renewed = await update({
        Key: key(owner, receiptId),
        UpdateExpression: 'SET leaseUntil = :until',
        ConditionExpression: 'leaseId = :lease',
        ExpressionAttributeValues: { ':lease': leaseId, ':until': until },
      });
      return renewed !== null;
    },

    async recordOutcome(owner, receiptId, leaseId, { result, expenseBefore }, now, change) {
      const values: Record<string, unknown> = {
        ':status': result.status,
        ':key': statusKeyOf(result.status, receiptId),
        ':lease': leaseId,
        ':processing': 'PROCESSING',
        ':now': now.toISOString(),
        ':extraction': result.extraction,
        ':expenseId': result.expenseId,
        ':dup': result.possibleDuplicateOf,
        ':error': result.error,
        ':true': true,
        ':one': 1,
        ':version': change.version,
        ':change': change,
      };
      const set = [
        '#s = :status',
        'status_key = :key',
        'updatedAt = :now',
        'extraction = :extraction',
        'expenseId = :expenseId',
        'possibleDuplicateOf = :dup',
        '#e = :error',
        'followUpsPending = :true',
        'attempts = :one',
        // The change it makes, in the same write (model/history.ts).
        'version = :version',
        'lastChange = :change',
      ];
      const remove = ['lastError'];
      if (result.sha256) {
        set.push('sha256 = :sha');
        values[':sha'] = result.sha256;
      }
      if (expenseBefore) {
        set.push('expenseBefore = :before');
        values[':before'] = expenseBefore;
      } else remove.push('expenseBefore');
      const recorded = await update({
        Key: key(owner, receiptId),
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        ConditionExpression: 'leaseId = :lease AND #s = :processing',
        ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
        ExpressionAttributeValues: values,
      });
      return recorded !== null;
    },

    async finish(owner, receiptId, leaseId) {
      // updatedAt stays, as in acquire: only bookkeeping changes here.
      const finished = await update({
        Key: key(owner, receiptId),
        UpdateExpression:
          'REMOVE inflight, leaseId, leaseUntil, leasedAt, followUpsPending, attempts, lastError, expenseBefore',
        ConditionExpression: 'leaseId = :lease',
        ExpressionAttributeValues: { ':lease': leaseId },
      });
      return finished !== null;
    },

    async release(owner, receiptId, leaseId, reason) {
      // Without leaseId, a renewal still in flight from this run cannot take the lease back.
      await update({
        Key: key(owner, receiptId),
        UpdateExpression: 'SET leaseUntil = :zero, lastError = :reason REMOVE leaseId',
        ConditionExpression: 'leaseId = :lease',
        ExpressionAttributeValues: { ':lease': leaseId, ':zero': 0, ':reason': reason.slice(0, 1000) },
      });
    },
  };
}

export function createExpenseWriter(
  db: DynamoDBDocumentClient,
  expensesTable: string,
  merchantKeyOf: (merchant: string) => string,
  historyTable: string,
): ProcessReceiptDeps['expenses'] {
  return {
    async get(owner, expenseId) {
      const out = await db.send(
        new GetCommand({
          TableName: expensesTable,
          Key: { user_id: owner, expense_id: expenseId },
          ConsistentRead: true,
        }),
      );
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
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
      // The expense carries its change (lastChange): a crash before this put loses no history
      // (the next change of the expense, or an export, puts it); a retry puts the same key again.
      if (item.lastChange)
        await db.send(new PutCommand({ TableName: historyTable, Item: { ...item.lastChange, user_id: item.user_id } }));
      return true;
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

export function createProfileReader(
  db: DynamoDBDocumentClient,
  usersTable: string,
  log: ProcessReceiptDeps['log'],
): ProcessReceiptDeps['profiles'] {
  return {
    async get(owner) {
      const out = await db.send(new GetCommand({ TableName: usersTable, Key: { user_id: owner } }));
      const item = out.Item ?? {};
      let timezone = (item.timezone as string | undefined) ?? DEFAULT_PROFILE.timezone;
      if (!isKnownTimeZone(timezone)) {
        // The resolvers check zone names by shape only: a wrong one must not date receipts silently.
        log.warn('profile timezone unknown to the runtime; using UTC', { timezone });
        timezone = 'UTC';
      }
      return {
        dateOrder: (item.dateOrder as DateOrder) ?? DEFAULT_PROFILE.dateOrder,
        homeCurrency: (item.homeCurrency as string) ?? DEFAULT_PROFILE.homeCurrency,
        timezone,
      };
    },
  };
}

/** In-flight receipts whose last change is older than `olderThan`: the sweep's work list, one Query per page. */
export async function* stuckReceipts(
  db: DynamoDBDocumentClient,
  receiptsTable: string,
  olderThan: Date,
): AsyncGenerator<LeasedReceipt> {
  for await (const page of paginateQuery(
    { client: db },
    {
      TableName: receiptsTable,
      IndexName: 'inflight-index',
      KeyConditionExpression: 'inflight = :y AND updatedAt < :before',
      ExpressionAttributeValues: { ':y': IN_FLIGHT, ':before': olderThan.toISOString() },
    },
  ))
    for (const item of page.Items ?? []) yield item as LeasedReceipt;
}
