import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, notFound } from './lib/errors';
import { toExpense } from './lib/items';

export function request(ctx: Context) {
  return get({ key: { user_id: callerId(ctx), expense_id: ctx.args.id } });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  // Another user's id reads nothing under the caller's key: the same NotFound as a missing one.
  if (!ctx.result) notFound('Expense', ctx.args.id);
  return toExpense(ctx.result);
}
