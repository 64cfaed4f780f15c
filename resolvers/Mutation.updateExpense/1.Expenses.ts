import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, notFound } from '../lib/errors';

export function request(ctx: Context) {
  return get({ key: { user_id: callerId(ctx), expense_id: ctx.args.input.id }, consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Expense', ctx.args.input.id);
  ctx.stash.before = ctx.result;
  return ctx.result;
}
