import { runtime, util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { operations, update, type DynamoDBUpdateObject } from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import { categoryDateOf, type ExpenseItem } from '../../model/expenses';
import { callerId, conflict, failOnDataSourceError, given, isConditionFailure } from '../lib/errors';
import { moneyChanged } from '../lib/conversion';
import { apiChange } from '../lib/history';
import { normalisedTags } from '../../model/tags';
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
  if (input.reviewed === true) changes.needsReview = false;
  if (category || input.date)
    changes.category_date = categoryDateOf(category || before.category, input.date || before.date);
  const after = Object.assign(
    {},
    before,
    changes,
    input.note !== undefined ? { note: input.note || null } : {},
    leavesCustom ? { customCategoryId: null } : {},
  );
  const change = apiChange(ctx, 'EXPENSE', input.id, 'UPDATED', before, after);
  // The whole record: update() would otherwise merge it key by key into the previous one (or fail where there is none).
  (changes as Record<string, unknown>).lastChange = operations.replace(change);
  return update<ExpenseItem>({
    key: { user_id: callerId(ctx), expense_id: input.id },
    update: changes,
    condition: { version: { eq: input.expectedVersion } },
  });
}

export function response(ctx: UpdateExpenseContext): ExpenseItem {
  // Changed or deleted between step 1's read and this write: which, and to what, is unknown.
  if (isConditionFailure(ctx)) conflict('expense', null);
  failOnDataSourceError(ctx);
  ctx.stash.after = ctx.result;
  return ctx.result;
}
