import { util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';

// Called by the OCR function over IAM once a receipt is done: the stored receipt (not what the
// caller claims) is what onReceiptProcessed subscribers of its owner receive.
export function request(ctx: Context) {
  return get({ key: { user_id: ctx.args.owner, receipt_id: ctx.args.id }, consistentRead: true });
}

export function response(ctx: Context) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  const item = ctx.result;
  if (!item) util.error('Receipt not found', 'NotFound', null, { id: ctx.args.id });
  return { ...item, id: item.receipt_id, owner: item.user_id };
}
