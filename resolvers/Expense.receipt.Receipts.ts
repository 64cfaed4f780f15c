import { runtime, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';

export function request(ctx: Context) {
  if (!ctx.source.receiptId) {
    runtime.earlyReturn(null);
  }
  return get({ key: { user_id: (ctx.identity as { sub: string }).sub, receipt_id: ctx.source.receiptId } });
}

export function response(ctx: Context) {
  const item = ctx.result;
  if (!item) return null;
  return { ...item, id: item.receipt_id, owner: item.user_id };
}
