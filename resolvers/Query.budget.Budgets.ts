import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, notFound } from './lib/errors';
import { toBudget } from './lib/items';

export function request(ctx: Context) {
  return get({ key: { user_id: callerId(ctx), budget_id: ctx.args.id } });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Budget', ctx.args.id);
  return toBudget(ctx.result);
}
