import { runtime, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { failOnDataSourceError } from './lib/errors';
import { toExpense } from './lib/items';

// The parent receipt was read keyed on its owner, so its owner keys the expense too. This
// also serves the IAM publish path, where the caller has no `sub`.
export function request(ctx: Context) {
  const receipt = ctx.source;
  const sub = ctx.identity && (ctx.identity as { sub?: string }).sub;
  if (!receipt.expenseId || (sub && sub !== receipt.owner)) {
    runtime.earlyReturn(null);
  }
  return get({ key: { user_id: receipt.owner, expense_id: receipt.expenseId } });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  return ctx.result ? toExpense(ctx.result) : null;
}
