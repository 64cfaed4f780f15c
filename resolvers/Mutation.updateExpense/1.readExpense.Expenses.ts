import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import type { ExpenseItem } from '../../model/expenses';
import { conflict, failOnDataSourceError, given, notFound } from '../lib/errors';
import { getCallerExpense } from '../lib/expense-writes';
import type { UpdateExpenseStash } from './index';

type ReadExpenseContext = Context<
  MutationUpdateExpenseArgs,
  UpdateExpenseStash,
  undefined,
  undefined,
  ExpenseItem | null
>;

/**
 * The current item, read consistently: the caller's, or NotFound. Conflict is decided here,
 * before anything is written. A retry of a change that was already written (the same fields,
 * one version on) is no conflict: the pipeline finishes it, so a call that failed after its
 * write completes when retried instead of answering Conflict.
 */
export function request(ctx: ReadExpenseContext): DynamoDBGetItemRequest {
  return getCallerExpense(ctx, ctx.args.input.id);
}

function alreadyApplied(item: ExpenseItem, input: MutationUpdateExpenseArgs['input']): boolean {
  if (item.version !== input.expectedVersion + 1) return false;
  if (given(input.merchant) && item.merchant !== input.merchant.trim()) return false;
  if (given(input.amount) && item.amount !== input.amount) return false;
  if (given(input.currency) && item.currency !== input.currency) return false;
  if (given(input.date) && item.date !== input.date) return false;
  if (given(input.category) && (item.category !== input.category || item.categorySource !== 'USER')) return false;
  if (given(input.customCategoryId) && (item.customCategoryId || '') !== input.customCategoryId) return false;
  if (input.note !== undefined && (item.note || null) !== (input.note || null)) return false;
  if (input.reviewed === true && item.needsReview) return false;
  return true;
}

export function response(ctx: ReadExpenseContext): ExpenseItem {
  failOnDataSourceError(ctx);
  const input = ctx.args.input;
  const current = ctx.result;
  if (!current) notFound('Expense', input.id);
  if (current.version === input.expectedVersion) {
    ctx.stash.before = current;
    ctx.stash.applied = false;
  } else if (alreadyApplied(current, input)) {
    // The item before the first attempt's write is gone: budgets count the item as it is.
    ctx.stash.before = null;
    ctx.stash.after = current;
    ctx.stash.applied = true;
  } else {
    conflict('expense', current.version);
  }
  // The merchant the expense has once changed: what learning records it under.
  ctx.stash.merchantAfter = given(input.merchant) ? input.merchant.trim() : current.merchant;
  return current;
}
