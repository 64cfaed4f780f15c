import type { Context } from '@aws-appsync/utils';
import { remove } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, notFound } from '../lib/errors';
import { toExpense } from '../lib/items';

export function request(ctx: Context) {
  return remove({ key: { user_id: callerId(ctx), expense_id: ctx.args.id }, condition: { expense_id: { attributeExists: true } } });
}

// AppSync answers a DeleteItem whose condition failed because the item is absent as a success
// with no item (.../js-aws-appsync-resolver-reference-dynamodb-condition-expressions.html):
// a missing (or another user's) id is an empty result, not a condition failure.
export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Expense', ctx.args.id);
  ctx.stash.before = ctx.result;
  return toExpense(ctx.result);
}
