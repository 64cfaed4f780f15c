import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { MutationSplitExpenseArgs } from '../../generated/graphql';
import type { ExpenseItem } from '../../model/expenses';
import type { ReceiptItem } from '../../model/receipts';
import { callerId, failOnDataSourceError } from '../lib/errors';
import type { SplitExpenseStash } from './index';

type ReadReceiptContext = Context<
  MutationSplitExpenseArgs,
  SplitExpenseStash,
  { result: ExpenseItem },
  undefined,
  ReceiptItem | null
>;

// Split by line items: the amounts of the line items the OCR read from the expense's receipt (the
// caller's own: the key starts with their id). None without a receipt, or by amounts or shares.
export function request(ctx: ReadReceiptContext): DynamoDBGetItemRequest {
  const expense = ctx.stash.current;
  ctx.stash.lineItemAmounts = null;
  if (ctx.stash.kind !== 'LINE_ITEMS' || !expense.receiptId) runtime.earlyReturn(ctx.prev.result);
  return get<ReceiptItem>({ key: { user_id: callerId(ctx), receipt_id: expense.receiptId }, consistentRead: true });
}

export function response(ctx: ReadReceiptContext): ExpenseItem {
  failOnDataSourceError(ctx);
  const extraction = ctx.result ? ctx.result.extraction : null;
  if (extraction) ctx.stash.lineItemAmounts = (extraction.lineItems || []).map((line) => line.amount);
  return ctx.stash.current;
}
