import { runtime, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError } from '../lib/errors';

// For learning under the name the OCR read: the receipt the expense was made from, when the
// category changes. The caller's own receipt only (the key starts with the caller's id).
export function request(ctx: Context) {
  const after = ctx.stash.after;
  if (!ctx.args.input.category || !after.receiptId) runtime.earlyReturn(null);
  return get({ key: { user_id: callerId(ctx), receipt_id: after.receiptId } });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  return ctx.result || null;
}
