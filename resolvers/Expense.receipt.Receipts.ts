import { runtime, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError } from './lib/errors';
import { toReceipt } from './lib/items';

export function request(ctx: Context) {
  if (!ctx.source.receiptId) {
    runtime.earlyReturn(null);
  }
  return get({ key: { user_id: callerId(ctx), receipt_id: ctx.source.receiptId } });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  return ctx.result ? toReceipt(ctx.result) : null;
}
