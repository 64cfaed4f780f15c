import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { MutationSplitExpenseArgs } from '../../generated/graphql';
import type { ExpenseItem } from '../../model/expenses';
import { conflict, failOnDataSourceError, notFound } from '../lib/errors';
import { getCallerExpense } from '../lib/expense-writes';
import type { SplitExpenseStash } from './index';

type ReadExpenseContext = Context<
  MutationSplitExpenseArgs,
  SplitExpenseStash,
  undefined,
  undefined,
  ExpenseItem | null
>;

// The current item, read consistently: the caller's, or NotFound (another user's id alike). A
// version one past `expectedVersion` may be this very split written by a lost attempt: step 3
// decides once the parts are known; any other version is a Conflict now.
export function request(ctx: ReadExpenseContext): DynamoDBGetItemRequest {
  return getCallerExpense(ctx, ctx.args.input.id);
}

export function response(ctx: ReadExpenseContext): ExpenseItem {
  failOnDataSourceError(ctx);
  const input = ctx.args.input;
  const current = ctx.result;
  if (!current) notFound('Expense', input.id);
  if (current.version !== input.expectedVersion && current.version !== input.expectedVersion + 1)
    conflict('expense', current.version);
  ctx.stash.current = current;
  return current;
}
