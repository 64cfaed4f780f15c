import type { Context } from '@aws-appsync/utils';
import { remove } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, isConditionFailure, notFound } from '../lib/errors';
import { toExpense } from '../lib/items';

export function request(ctx: Context) {
  return remove({ key: { user_id: callerId(ctx), expense_id: ctx.args.id }, condition: { expense_id: { attributeExists: true } } });
}

export function response(ctx: Context) {
  if (isConditionFailure(ctx)) notFound('Expense', ctx.args.id);
  failOnDataSourceError(ctx);
  ctx.stash.before = ctx.result;
  return toExpense(ctx.result);
}
