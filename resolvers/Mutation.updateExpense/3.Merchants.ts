import { runtime, util, type Context } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError } from '../lib/errors';
import { merchantKeyOf } from '../lib/merchant-key';

// Learning: a category the user sets is remembered for the merchant (as the expense now names
// it) and wins next time. 5.Merchants also remembers it under the name the OCR read.
export function request(ctx: Context) {
  const after = ctx.stash.after;
  if (!ctx.args.input.category) runtime.earlyReturn(after);
  return put<Record<string, unknown>>({
    key: { user_id: callerId(ctx), merchant_key: merchantKeyOf(after.merchant) },
    item: { category: after.category, merchant: after.merchant, updatedAt: util.time.nowISO8601() },
  });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  return ctx.stash.after;
}
