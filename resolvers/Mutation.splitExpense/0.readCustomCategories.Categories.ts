import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { MutationSplitExpenseArgs } from '../../generated/graphql';
import { liveCategoryOf, type CategoriesItem } from '../../model/categories';
import { callerId, failOnDataSourceError, invalid, notFound } from '../lib/errors';
import type { SplitExpenseStash } from './index';

type ReadCategoriesContext = Context<
  MutationSplitExpenseArgs,
  SplitExpenseStash,
  Record<string, unknown> | undefined,
  undefined,
  CategoriesItem | null
>;

function customIds(ctx: ReadCategoriesContext): string[] {
  return ctx.args.input.parts.filter((p) => !!p.customCategoryId).map((p) => p.customCategoryId as string);
}

// Each part's category: as given, or with a custom category its parent. The caller's categories
// are one item (model/categories.ts), read only when a part names a custom category.
export function request(ctx: ReadCategoriesContext): DynamoDBGetItemRequest {
  ctx.stash.partCategories = ctx.args.input.parts.map((p) => p.category || '');
  if (customIds(ctx).length === 0) runtime.earlyReturn(null);
  return get<CategoriesItem>({ key: { user_id: callerId(ctx) }, consistentRead: true });
}

export function response(ctx: ReadCategoriesContext): null {
  failOnDataSourceError(ctx);
  ctx.args.input.parts.forEach((part, i) => {
    if (!part.customCategoryId) return;
    // Merged, deleted and another user's alike: NotFound.
    const entry = liveCategoryOf(ctx.result, part.customCategoryId);
    if (!entry) notFound('Category', part.customCategoryId);
    if (part.category && part.category !== entry.parent)
      invalid(`parts.${i}.category`, `category must be omitted or ${entry.parent}, the parent of the custom category`, {
        parent: entry.parent,
      });
    ctx.stash.partCategories[i] = entry.parent;
  });
  return null;
}
