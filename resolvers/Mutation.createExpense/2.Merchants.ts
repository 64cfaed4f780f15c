import { runtime, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError } from '../lib/errors';
import { merchantKeyOf } from '../lib/merchant-key';

// What the user chose before for this merchant wins over the rules; a given category needs neither.
export function request(ctx: Context) {
  if (ctx.args.input.category) runtime.earlyReturn(null);
  return get({ key: { user_id: callerId(ctx), merchant_key: merchantKeyOf(ctx.args.input.merchant) } });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  ctx.stash.learned = ctx.result ? ctx.result.category : null;
  return ctx.result;
}
