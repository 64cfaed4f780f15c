import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, notFound } from '../lib/errors';

// The budget as it is now, read consistently: NotFound, or the version Conflict is decided on.
export function request(ctx: Context) {
  return get({ key: { user_id: callerId(ctx), budget_id: ctx.args.input.id }, consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Budget', ctx.args.input.id);
  ctx.stash.before = ctx.result;
  return ctx.result;
}
