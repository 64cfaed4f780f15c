import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { ExpenseObject } from '../model/expenses';
import type { ReceiptItem, ReceiptObject } from '../model/receipts';
import { callerId, failOnDataSourceError } from './lib/errors';
import { toReceipt } from './lib/items';

type ExpenseReceiptContext = Context<
  Record<string, never>,
  Record<string, never>,
  undefined,
  ExpenseObject,
  ReceiptItem | null
>;

export function request(ctx: ExpenseReceiptContext): DynamoDBGetItemRequest {
  const receiptId = ctx.source && ctx.source.receiptId;
  if (!receiptId) {
    runtime.earlyReturn(null);
  }
  return get<ReceiptItem>({ key: { user_id: callerId(ctx), receipt_id: receiptId } });
}

export function response(ctx: ExpenseReceiptContext): ReceiptObject | null {
  failOnDataSourceError(ctx);
  return ctx.result ? toReceipt(ctx.result) : null;
}
