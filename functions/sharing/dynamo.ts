import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ExpenseItem } from '../../model/expenses.ts';
import { quotaKeyOf, type SharingItem } from '../../model/sharing.ts';
import { isSplitIndexItem } from '../../model/splits.ts';
import type { UserItem } from '../../model/users.ts';
import { isConditionFailure, putIfAbsent } from '../shared/conditional-put.ts';
import { userIdByEmail } from '../shared/user-by-email.ts';
import type { SharingPorts } from './core.ts';

export type SharingTables = { sharing: string; expenses: string; users: string };

/** SharingPorts' tables on DynamoDB: GetItem, conditional PutItem and one (strongly consistent) Query per page, never a Scan. */
export function sharingTablesOn(
  db: DynamoDBDocumentClient,
  tables: SharingTables,
): Pick<SharingPorts, 'expenseOf' | 'userIdByEmail' | 'emailOf' | 'items'> {
  const query = async (partition: string, prefix: string, limit: number, after?: string, newestFirst = false) => {
    const out = await db.send(
      new QueryCommand({
        TableName: tables.sharing,
        KeyConditionExpression: 'user_id = :p AND begins_with(item_key, :prefix)',
        ExpressionAttributeValues: { ':p': partition, ':prefix': prefix },
        Limit: limit,
        ScanIndexForward: !newestFirst,
        // A payment reads the balance under its pair's lock: it must see the entries written before it was taken.
        ConsistentRead: true,
        ...(after ? { ExclusiveStartKey: { user_id: partition, item_key: after } } : {}),
      }),
    );
    const items = (out.Items ?? []) as SharingItem[];
    return { items, lastKey: out.LastEvaluatedKey ? String(out.LastEvaluatedKey.item_key) : null };
  };
  /** An update made only when its condition holds: whether it was made. */
  const updateIf = async (
    key: { user_id: string; item_key: string },
    update: string,
    condition: string,
    values: Record<string, string | number>,
    names?: Record<string, string>,
  ): Promise<boolean> => {
    try {
      await db.send(
        new UpdateCommand({
          TableName: tables.sharing,
          Key: key,
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
  return {
    async expenseOf(owner, expenseId) {
      const out = await db.send(
        new GetCommand({ TableName: tables.expenses, Key: { user_id: owner, expense_id: expenseId } }),
      );
      const item = out.Item as ExpenseItem | undefined;
      // A split expense's category index entries share the table (model/splits.ts): they are not expenses.
      return item && !isSplitIndexItem(item) ? item : null;
    },
    userIdByEmail: (email) => userIdByEmail(db, tables.users, email),
    async emailOf(owner) {
      const out = await db.send(
        new GetCommand({ TableName: tables.users, Key: { user_id: owner }, ProjectionExpression: 'email' }),
      );
      return (out.Item as Pick<UserItem, 'email'> | undefined)?.email ?? null;
    },
    items: {
      async get(partition, key) {
        const out = await db.send(
          new GetCommand({
            TableName: tables.sharing,
            Key: { user_id: partition, item_key: key },
            ConsistentRead: true,
          }),
        );
        return (out.Item as SharingItem | undefined) ?? null;
      },
      putNew: (item) => putIfAbsent(db, tables.sharing, item, 'item_key'),
      async replace(item) {
        try {
          await db.send(
            new PutCommand({
              TableName: tables.sharing,
              Item: item,
              ConditionExpression: 'attribute_exists(item_key)',
            }),
          );
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      },
      page: (partition, prefix, { limit, after, newestFirst }) => query(partition, prefix, limit, after, newestFirst),
      async *all(partition, prefix) {
        let after: string | undefined;
        do {
          const page = await query(partition, prefix, 100, after);
          yield page.items;
          after = page.lastKey ?? undefined;
        } while (after);
      },
      async delete(partition, key) {
        await db.send(new DeleteCommand({ TableName: tables.sharing, Key: { user_id: partition, item_key: key } }));
      },
      leaseNotice: (partition, key, at, staleBefore) =>
        updateIf(
          { user_id: partition, item_key: key },
          'SET noticeLeasedAt = :at',
          'attribute_exists(item_key) AND attribute_not_exists(notifiedAt) AND (attribute_not_exists(noticeLeasedAt) OR noticeLeasedAt < :stale)',
          { ':at': at, ':stale': staleBefore },
        ),
      countShare: (owner, day, max, expiresAt) =>
        updateIf(
          { user_id: owner, item_key: quotaKeyOf(day) },
          'SET kind = :quota, expires_at = :expires ADD #count :one',
          'attribute_not_exists(#count) OR #count < :max',
          { ':quota': 'quota', ':expires': expiresAt, ':one': 1, ':max': max },
          { '#count': 'count' },
        ),
      async releaseNotice(partition, key, at) {
        await updateIf({ user_id: partition, item_key: key }, 'REMOVE noticeLeasedAt', 'noticeLeasedAt = :at', {
          ':at': at,
        });
      },
      takeLock: (partition, key, holder, at, staleBefore, expiresAt) =>
        updateIf(
          { user_id: partition, item_key: key },
          'SET kind = :lock, holder = :holder, lockedAt = :at, expires_at = :expires',
          'attribute_not_exists(item_key) OR holder = :holder OR lockedAt < :stale',
          { ':lock': 'lock', ':holder': holder, ':at': at, ':stale': staleBefore, ':expires': expiresAt },
        ),
      async releaseLock(partition, key, holder) {
        try {
          await db.send(
            new DeleteCommand({
              TableName: tables.sharing,
              Key: { user_id: partition, item_key: key },
              ConditionExpression: 'holder = :holder',
              ExpressionAttributeValues: { ':holder': holder },
            }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      },
      async markNotified(partition, key, at) {
        // Gone (moved by a claim, its copy carries what it was): nothing to mark.
        await updateIf({ user_id: partition, item_key: key }, 'SET notifiedAt = :at', 'attribute_exists(item_key)', {
          ':at': at,
        });
      },
    },
  };
}
