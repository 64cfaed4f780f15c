import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { MutationPublishReceiptProcessedArgs } from '../generated/graphql';
import type { ReceiptItem, ReceiptObject } from '../model/receipts';
import { failOnDataSourceError, itemIdOrNotFound, notFound } from './lib/errors';
import { toReceipt } from './lib/items';

type PublishReceiptContext = Context<
  MutationPublishReceiptProcessedArgs,
  Record<string, never>,
  undefined,
  undefined,
  ReceiptItem | null
>;

// Called by the OCR function over IAM once a receipt is done: the stored receipt (not what the
// caller claims) is what onReceiptProcessed subscribers of its owner receive.
export function request(ctx: PublishReceiptContext): DynamoDBGetItemRequest {
  return get<ReceiptItem>({
    key: { user_id: itemIdOrNotFound('Receipt', ctx.args.owner), receipt_id: itemIdOrNotFound('Receipt', ctx.args.id) },
    consistentRead: true,
  });
}

export function response(ctx: PublishReceiptContext): ReceiptObject {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Receipt', ctx.args.id);
  return toReceipt(ctx.result);
}
