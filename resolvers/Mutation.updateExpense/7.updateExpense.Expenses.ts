import { runtime, util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { operations, type DynamoDBUpdateObject } from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import { categoryDateOf, type ExpenseItem } from '../../model/expenses';
import { conflict, failOnDataSourceError, given, invalid, isConditionFailure } from '../lib/errors';
import { moneyChanged } from '../lib/conversion';
import { versionedExpenseUpdate } from '../lib/expense-writes';
import { normalisedTags } from '../../model/tags';
import { allocateByWeights, splitsOf, type SplitPart } from '../../model/splits';
import type { UpdateExpenseStash } from './index';

type UpdateExpenseContext = Context<MutationUpdateExpenseArgs, UpdateExpenseStash, undefined, undefined, ExpenseItem>;

// Optimistic concurrency: the write succeeds only on the version the client read (step 1
// checked it on a consistent read; this condition catches a change since). The only write of
// the pipeline but for the budgets' asynchronous event after it.
export function request(ctx: UpdateExpenseContext): DynamoDBUpdateItemRequest {
  if (ctx.stash.applied) runtime.earlyReturn(ctx.stash.after);
  const input = ctx.args.input;
  const before = ctx.stash.before;
  const changes: DynamoDBUpdateObject<ExpenseItem> = {
    version: input.expectedVersion + 1,
    updatedAt: util.time.nowISO8601(),
  };
  if (given(input.merchant)) changes.merchant = ctx.stash.merchantAfter;
  if (given(input.amount)) changes.amount = input.amount;
  if (given(input.currency)) changes.currency = input.currency;
  if (given(input.date)) changes.date = input.date;
  if (input.tags) changes.tags = normalisedTags(input.tags);
  if (input.note !== undefined) changes.note = input.note ? input.note : operations.remove();
  // A custom category (step 0) files it under its parent; a category alone takes it out of its custom category.
  const custom = ctx.stash.customCategory;
  const category = custom ? custom.parent : input.category;
  const leavesCustom = !custom && (input.customCategoryId === '' || (given(category) && !!before.customCategoryId));
  if (custom) changes.customCategoryId = custom.id;
  if (leavesCustom) changes.customCategoryId = operations.remove();
  if (given(category)) {
    changes.category = category;
    changes.categorySource = 'USER';
    changes.categoryConfidence = 1;
  }
  if (moneyChanged(input)) {
    // Replaced whole: a plain object would update its keys one by one, which fails on an expense
    // written before conversions existed (no `converted` map to update into).
    changes.converted = ctx.stash.conversion ? operations.replace(ctx.stash.conversion) : null;
    changes.needsRate = !ctx.stash.conversion;
  }
  const splits = splitsAfter(input, before, given(category) || input.customCategoryId === '');
  if (splits !== undefined) changes.splits = splits ? operations.replace(splits) : operations.remove();
  if (input.reviewed === true) changes.needsReview = false;
  if (category || input.date)
    changes.category_date = categoryDateOf(category || before.category, input.date || before.date);
  const after = Object.assign(
    {},
    before,
    changes,
    input.note !== undefined ? { note: input.note || null } : {},
    leavesCustom ? { customCategoryId: null } : {},
    splits !== undefined ? { splits } : {},
  );
  return versionedExpenseUpdate(ctx, before, after, changes, input.expectedVersion);
}

/**
 * A split expense's parts after the change (model/splits.ts); undefined when they stay as they are.
 * Filed under one category (or out of its custom category) it is no longer split; with a new amount
 * its parts keep their proportions, by the largest remainder method, so they still sum exactly.
 */
function splitsAfter(
  input: MutationUpdateExpenseArgs['input'],
  before: ExpenseItem,
  recategorised: boolean,
): SplitPart[] | null | undefined {
  const parts = splitsOf(before);
  if (parts.length === 0) return undefined;
  if (recategorised) return null;
  if (!given(input.amount) || input.amount === before.amount) return undefined;
  const amounts = allocateByWeights(
    input.amount,
    parts.map((p) => p.amount),
  );
  if (amounts.indexOf(0) >= 0)
    invalid('amount', `Too small for the expense's ${parts.length} split parts: take the split away first`, {
      parts: parts.length,
    });
  return parts.map((p, i) => Object.assign({}, p, { amount: amounts[i] }));
}

export function response(ctx: UpdateExpenseContext): ExpenseItem {
  // Changed or deleted between step 1's read and this write: which, and to what, is unknown.
  if (isConditionFailure(ctx)) conflict('expense', null);
  failOnDataSourceError(ctx);
  ctx.stash.after = ctx.result;
  return ctx.result;
}
