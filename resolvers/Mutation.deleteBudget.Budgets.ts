import type { Context } from '@aws-appsync/utils';
import { remove } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, notFound } from './lib/errors';
import { toBudget } from './lib/items';

export function request(ctx: Context) {
  return remove({ key: { user_id: callerId(ctx), budget_id: ctx.args.id }, condition: { budget_id: { attributeExists: true } } });
}

// AppSync answers a DeleteItem whose condition failed because the item is absent as a success
// with no item (.../js-aws-appsync-resolver-reference-dynamodb-condition-expressions.html):
// a missing (or another user's) id is an empty result, not a condition failure.
export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Budget', ctx.args.id);
  return toBudget(ctx.result);
}
