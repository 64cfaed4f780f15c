import { runtime, util, type Context } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError } from '../lib/errors';
import { merchantKeyOf } from '../lib/merchant-key';

/**
 * Learning under the old name too: the next receipt from this shop reads the same name as
 * this one did, so a category the user sets while also fixing the merchant is remembered under
 * what the OCR read (the receipt's extraction), or for a typed-in expense under the name it had
 * before this change. Nothing to do when that is the new name already.
 */
function nameAsRead(ctx: Context): string | null {
  const after = ctx.stash.after;
  if (!after.receiptId) return ctx.stash.before.merchant || null;
  const receipt = ctx.prev.result;
  const read = receipt && receipt.extraction && receipt.extraction.merchant ? receipt.extraction.merchant.value : null;
  return read || null;
}

export function request(ctx: Context) {
  const after = ctx.stash.after;
  const asRead = ctx.args.input.category ? nameAsRead(ctx) : null;
  if (!asRead || merchantKeyOf(asRead) === merchantKeyOf(after.merchant)) runtime.earlyReturn(after);
  return put<Record<string, unknown>>({
    key: { user_id: callerId(ctx), merchant_key: merchantKeyOf(asRead as string) },
    item: { category: after.category, merchant: asRead, updatedAt: util.time.nowISO8601() },
  });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  return ctx.stash.after;
}
