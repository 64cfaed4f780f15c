import { runtime, util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { operations, type DynamoDBUpdateObject } from '@aws-appsync/utils/dynamodb';
import type { Category, MutationSplitExpenseArgs } from '../../generated/graphql';
import { categoryDateOf, type ExpenseItem } from '../../model/expenses';
import { isSplitProblem, primaryPartOf, splitPartsFrom, type SplitPart } from '../../model/splits';
import { conflict, failOnDataSourceError, invalid, isConditionFailure } from '../lib/errors';
import { versionedExpenseUpdate } from '../lib/expense-writes';
import type { SplitExpenseStash } from './index';

type WriteSplitContext = Context<MutationSplitExpenseArgs, SplitExpenseStash, undefined, undefined, ExpenseItem>;

function partsOf(ctx: WriteSplitContext): SplitPart[] | null {
  const input = ctx.args.input;
  if (!ctx.stash.kind) return null;
  const parts = splitPartsFrom(
    ctx.stash.current.amount,
    input.parts,
    ctx.stash.partCategories as Category[],
    ctx.stash.lineItemAmounts,
  );
  if (isSplitProblem(parts)) invalid(parts.field, parts.message, parts.info);
  return parts as SplitPart[];
}

// The parts, derived from the expense as it is, written on it only if its version is still the
// one the client read. With parts the expense is filed as a whole under its largest part (its
// `category`, custom category and category index key); without, it stays where it is.
export function request(ctx: WriteSplitContext): DynamoDBUpdateItemRequest {
  const input = ctx.args.input;
  const current = ctx.stash.current;
  const parts = partsOf(ctx);
  ctx.stash.applied = false;
  if (current.version !== input.expectedVersion) {
    // One version on: this split, written by an attempt whose answer was lost, is finished, not refused.
    if (JSON.stringify(current.splits || null) !== JSON.stringify(parts)) conflict('expense', current.version);
    ctx.stash.before = null;
    ctx.stash.after = current;
    ctx.stash.applied = true;
    runtime.earlyReturn(current);
  }
  if (!parts && !current.splits) invalid('parts', 'The expense is not split');
  const changes: DynamoDBUpdateObject<ExpenseItem> = {
    version: input.expectedVersion + 1,
    updatedAt: util.time.nowISO8601(),
  };
  const after: ExpenseItem = Object.assign({}, current, {
    splits: parts,
    version: input.expectedVersion + 1,
    updatedAt: changes.updatedAt as string,
  });
  if (parts) {
    const primary = primaryPartOf(parts);
    changes.splits = operations.replace(parts);
    changes.category = primary.category;
    changes.categorySource = 'USER';
    changes.categoryConfidence = 1;
    changes.category_date = categoryDateOf(primary.category, current.date);
    changes.customCategoryId = primary.customCategoryId ? primary.customCategoryId : operations.remove();
    Object.assign(after, {
      category: primary.category,
      categorySource: 'USER',
      categoryConfidence: 1,
      customCategoryId: primary.customCategoryId || null,
    });
  } else {
    changes.splits = operations.remove();
  }
  ctx.stash.before = current;
  return versionedExpenseUpdate(ctx, current, after, changes, input.expectedVersion);
}

export function response(ctx: WriteSplitContext): ExpenseItem {
  if (isConditionFailure(ctx)) conflict('expense', null);
  failOnDataSourceError(ctx);
  ctx.stash.after = ctx.result;
  return ctx.result;
}
