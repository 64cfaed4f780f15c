import { util, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { ExpenseItem } from '../../model/expenses';
import type { SearchableExpense, SearchIndexEvent } from '../../model/search';
import { splitsOf, type SplitIndexView } from '../../model/splits';
import type { ExpenseChangeStash } from './budget-evaluation';
import { correlationIdOf } from './correlation';
import { callerId } from './errors';

type IndexContext<Result> = Context<unknown, ExpenseChangeStash, { result: Result }>;

/** The fields the index is made of: not the item's history (`lastChange`) and the rest it carries. */
function searchable(item: ExpenseItem | null | undefined): SearchableExpense | null {
  if (!item) return null;
  return {
    user_id: item.user_id,
    expense_id: item.expense_id,
    merchant: item.merchant,
    amount: item.amount,
    date: item.date,
    note: item.note || null,
    lineItemText: item.lineItemText || null,
    tags: item.tags || null,
  };
}

/** What a split expense's category index entries are made of (model/splits.ts); null when it is not split. */
function splitIndexed(item: ExpenseItem | null | undefined): SplitIndexView | null {
  if (!item || splitsOf(item).length === 0) return null;
  return {
    expense_id: item.expense_id,
    date: item.date,
    category: item.category,
    version: item.version,
    splits: item.splits,
  };
}

/**
 * The step of every expense mutation that keeps the search index (SearchTerms) in step with its
 * write: SearchFn, synchronously, so the expense is found as soon as the mutation answers.
 * `ctx.stash.before` / `ctx.stash.after` are the items before and after the write.
 */
export function request<Result>(ctx: IndexContext<Result>): LambdaRequest {
  const payload: SearchIndexEvent = {
    action: 'indexExpense',
    owner: callerId(ctx),
    before: searchable(ctx.stash.before),
    after: searchable(ctx.stash.after),
    splitIndex:
      splitIndexed(ctx.stash.before) || splitIndexed(ctx.stash.after)
        ? { before: splitIndexed(ctx.stash.before), after: splitIndexed(ctx.stash.after) }
        : null,
    correlationId: correlationIdOf(ctx),
  };
  return { operation: 'Invoke', payload };
}

// The expense is written by now: a failed index write must not make the client retry (a create
// would be made twice), so it is reported beside the result, which stays the previous step's.
export function response<Result>(ctx: IndexContext<Result>): Result {
  if (ctx.error)
    util.appendError('The expense was saved, but search may not find it until it next changes', 'InternalError');
  return ctx.prev.result;
}
