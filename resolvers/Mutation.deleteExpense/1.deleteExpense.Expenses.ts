import type { Context, DynamoDBDeleteItemRequest } from '@aws-appsync/utils';
import { remove } from '@aws-appsync/utils/dynamodb';
import type { MutationDeleteExpenseArgs } from '../../generated/graphql';
import type { ExpenseItem, ExpenseObject } from '../../model/expenses';
import type { ExpenseChangeStash } from '../lib/budget-evaluation';
import { callerId, failOnDataSourceError, itemIdOrNotFound, notFound } from '../lib/errors';
import { apiChange } from '../lib/history';
import { toExpense } from '../lib/items';

type DeleteExpenseContext = Context<
  MutationDeleteExpenseArgs,
  ExpenseChangeStash,
  undefined,
  undefined,
  ExpenseItem | null
>;

export function request(ctx: DeleteExpenseContext): DynamoDBDeleteItemRequest {
  return remove<ExpenseItem>({
    key: { user_id: callerId(ctx), expense_id: itemIdOrNotFound('Expense', ctx.args.id) },
    condition: { expense_id: { attributeExists: true } },
  });
}

// AppSync answers a DeleteItem whose condition failed because the item is absent as a success
// with no item (.../js-aws-appsync-resolver-reference-dynamodb-condition-expressions.html):
// a missing (or another user's) id is an empty result, not a condition failure.
export function response(ctx: DeleteExpenseContext): ExpenseObject {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Expense', ctx.args.id);
  (ctx.stash as { before?: unknown }).before = ctx.result;
  apiChange(ctx, 'EXPENSE', ctx.args.id, 'DELETED', ctx.result, null);
  return toExpense(ctx.result);
}
