import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { QueryExpenseArgs } from '../generated/graphql';
import type { ExpenseItem, ExpenseObject } from '../model/expenses';
import { callerId, failOnDataSourceError, itemIdOrNotFound, notFound } from './lib/errors';
import { toExpense } from './lib/items';

type ExpenseContext = Context<QueryExpenseArgs, Record<string, never>, undefined, undefined, ExpenseItem | null>;

export function request(ctx: ExpenseContext): DynamoDBGetItemRequest {
  return get<ExpenseItem>({ key: { user_id: callerId(ctx), expense_id: itemIdOrNotFound('Expense', ctx.args.id) } });
}

export function response(ctx: ExpenseContext): ExpenseObject {
  failOnDataSourceError(ctx);
  // Another user's id reads nothing under the caller's key: the same NotFound as a missing one.
  if (!ctx.result) notFound('Expense', ctx.args.id);
  return toExpense(ctx.result);
}
