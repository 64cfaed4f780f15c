import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { ExpenseItem, ExpenseObject } from '../model/expenses';
import type { ReceiptObject } from '../model/receipts';
import { callerSub, failOnDataSourceError } from './lib/errors';
import { toExpense } from './lib/items';

type ReceiptExpenseContext = Context<
  Record<string, never>,
  Record<string, never>,
  undefined,
  ReceiptObject,
  ExpenseItem | null
>;

// The parent receipt was read keyed on its owner, so its owner keys the expense too. This
// also serves the IAM publish path, where the caller has no `sub`.
export function request(ctx: ReceiptExpenseContext): DynamoDBGetItemRequest {
  const receipt = ctx.source;
  const sub = callerSub(ctx);
  if (!receipt || !receipt.expenseId || (sub && sub !== receipt.owner)) {
    runtime.earlyReturn(null);
  }
  return get<ExpenseItem>({ key: { user_id: receipt.owner, expense_id: receipt.expenseId } });
}

export function response(ctx: ReceiptExpenseContext): ExpenseObject | null {
  failOnDataSourceError(ctx);
  return ctx.result ? toExpense(ctx.result) : null;
}
