import type { Context } from '@aws-appsync/utils';
import { remove } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, isConditionFailure, notFound } from './lib/errors';
import { toBudget } from './lib/items';

export function request(ctx: Context) {
  return remove({ key: { user_id: callerId(ctx), budget_id: ctx.args.id }, condition: { budget_id: { attributeExists: true } } });
}

export function response(ctx: Context) {
  if (isConditionFailure(ctx)) notFound('Budget', ctx.args.id);
  failOnDataSourceError(ctx);
  return toBudget(ctx.result);
}
