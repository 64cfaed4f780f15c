import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import type { ExpenseItem } from '../../model/expenses';
import type { ReceiptItem } from '../../model/receipts';
import { callerId, failOnDataSourceError } from '../lib/errors';
import { filingTaught } from '../lib/merchant-learning';
import type { UpdateExpenseStash } from './index';

type ReadReceiptContext = Context<
  MutationUpdateExpenseArgs,
  UpdateExpenseStash,
  { result: ExpenseItem },
  undefined,
  ReceiptItem | null
>;

// The receipt the expense was made from: for learning under the name the OCR read when the
// category changes, and to confirm its review (`reviewed`, step 8: its change, from this state,
// also when a retry finishes a change already written). The caller's own receipt only (the key
// starts with the caller's id).
export function request(ctx: ReadReceiptContext): DynamoDBGetItemRequest {
  const expense = ctx.prev.result;
  ctx.stash.receipt = null;
  const learning = !ctx.stash.applied && !!filingTaught(ctx.args.input, ctx.stash.customCategory, expense);
  if (!(learning || ctx.args.input.reviewed === true) || !expense.receiptId) runtime.earlyReturn(null);
  return get<ReceiptItem>({ key: { user_id: callerId(ctx), receipt_id: expense.receiptId }, consistentRead: true });
}

export function response(ctx: ReadReceiptContext): ReceiptItem | null {
  failOnDataSourceError(ctx);
  ctx.stash.receipt = ctx.result || null;
  return ctx.stash.receipt;
}
