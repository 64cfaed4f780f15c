import { runtime, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError } from './errors';

/**
 * A pipeline step on Users: the caller's profile into `ctx.stash.profile`, whose home currency
 * is the default of `ctx.args.input.currency`. Skipped when the input names a currency.
 */
export function request(ctx: Context) {
  if (ctx.args.input.currency) runtime.earlyReturn(null);
  return get({ key: { user_id: callerId(ctx) } });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  ctx.stash.profile = ctx.result;
  return ctx.result;
}
