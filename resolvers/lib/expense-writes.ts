import type { Context, DynamoDBGetItemRequest, DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { get, operations, update, type DynamoDBUpdateObject } from '@aws-appsync/utils/dynamodb';
import type { ExpenseItem } from '../../model/expenses';
import { callerId, itemIdOrNotFound } from './errors';
import { apiChange } from './history';

/** The caller's expense, read consistently before a change (another user's id reads nothing: NotFound). */
export function getCallerExpense(ctx: Context<any, any>, id: string): DynamoDBGetItemRequest {
  return get<ExpenseItem>({
    key: { user_id: callerId(ctx), expense_id: itemIdOrNotFound('Expense', id) },
    consistentRead: true,
  });
}

/**
 * The one write of an expense change: `changes`, with the change's history record (before →
 * after) on the item, only if it is still at `expectedVersion` (optimistic concurrency).
 */
export function versionedExpenseUpdate(
  ctx: Context<any, any>,
  before: ExpenseItem,
  after: ExpenseItem,
  changes: DynamoDBUpdateObject<ExpenseItem>,
  expectedVersion: number,
): DynamoDBUpdateItemRequest {
  const change = apiChange(ctx, 'EXPENSE', before.expense_id, 'UPDATED', before, after);
  // The whole record: update() would otherwise merge it key by key into the previous one (or fail where there is none).
  (changes as Record<string, unknown>).lastChange = operations.replace(change);
  return update<ExpenseItem>({
    key: { user_id: callerId(ctx), expense_id: before.expense_id },
    update: changes,
    condition: { version: { eq: expectedVersion } },
  });
}
