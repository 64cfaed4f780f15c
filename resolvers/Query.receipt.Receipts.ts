import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { QueryReceiptArgs } from '../generated/graphql';
import type { ReceiptItem, ReceiptObject } from '../model/receipts';
import { callerId, failOnDataSourceError, itemIdOrNotFound, notFound } from './lib/errors';
import { toReceipt } from './lib/items';

type ReceiptContext = Context<QueryReceiptArgs, Record<string, never>, undefined, undefined, ReceiptItem | null>;

export function request(ctx: ReceiptContext): DynamoDBGetItemRequest {
  return get<ReceiptItem>({ key: { user_id: callerId(ctx), receipt_id: itemIdOrNotFound('Receipt', ctx.args.id) } });
}

export function response(ctx: ReceiptContext): ReceiptObject {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Receipt', ctx.args.id);
  return toReceipt(ctx.result);
}
