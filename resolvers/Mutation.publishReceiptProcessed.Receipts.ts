import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { failOnDataSourceError, notFound } from './lib/errors';
import { toReceipt } from './lib/items';

// Called by the OCR function over IAM once a receipt is done: the stored receipt (not what the
// caller claims) is what onReceiptProcessed subscribers of its owner receive.
export function request(ctx: Context) {
  return get({ key: { user_id: ctx.args.owner, receipt_id: ctx.args.id }, consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Receipt', ctx.args.id);
  return toReceipt(ctx.result);
}
