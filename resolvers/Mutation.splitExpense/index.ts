import type { Context } from '@aws-appsync/utils';
import type { MutationSplitExpenseArgs } from '../../generated/graphql';
import type { ExpenseItem, ExpenseObject } from '../../model/expenses';
import { checkSplitRequest, isSplitProblem, type SplitKind } from '../../model/splits';
import type { ExpenseChangeStash } from '../lib/budget-evaluation';
import { invalid } from '../lib/errors';
import { toExpense } from '../lib/items';
import { checkVersion } from '../lib/validation';

/**
 * What the steps hand on. The request: how the parts are given (null: the split taken away);
 * step 0: each part's category (a custom category's parent); step 1: the item before (null when a
 * retry finishes a split already written, `applied`); step 2: the receipt's line item amounts
 * (split by line items); step 3: the item after the write.
 */
export type SplitExpenseStash = ExpenseChangeStash & {
  kind: SplitKind | null;
  partCategories: string[];
  lineItemAmounts: Array<number | null | undefined> | null;
  current: ExpenseItem;
  after: ExpenseItem;
  applied: boolean;
};

type SplitExpenseContext = Context<MutationSplitExpenseArgs, SplitExpenseStash, { result: ExpenseItem }>;

/**
 * splitExpense: check the parts' shape → with custom categories, read the caller's (NotFound when
 * one is not theirs) → read the expense (the caller's, or NotFound) → by line items, read its
 * receipt → derive the parts (model/splits.ts) and write them, only if the version is still
 * `expectedVersion` (a retry of a split already written is finished, not refused) → its history →
 * the index entries of its part categories and its search entries (SearchFn) → budgets
 * (asynchronous). One conditional write of the expense; everything after it is idempotent.
 */
export function request(ctx: SplitExpenseContext): Record<string, never> {
  const input = ctx.args.input;
  checkVersion('expectedVersion', input.expectedVersion);
  const checked = checkSplitRequest(input.parts);
  if (isSplitProblem(checked)) invalid(checked.field, checked.message, checked.info);
  ctx.stash.kind = (checked as { kind: SplitKind | null }).kind;
  return {};
}

export function response(ctx: SplitExpenseContext): ExpenseObject {
  return toExpense(ctx.stash.after);
}
