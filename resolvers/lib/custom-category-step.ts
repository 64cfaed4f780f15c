import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { Category } from '../../generated/graphql';
import { liveCategoryOf, type CategoriesItem, type CategoryEntry } from '../../model/categories';
import { callerId, failOnDataSourceError, given, invalid, notFound } from './errors';

/** What this step stashes: the custom category the expense is filed under (null when none is given). */
export type CustomCategoryStash = { customCategory: CategoryEntry | null };

type CustomCategoryContext = Context<
  { input: { customCategoryId?: string | null; category?: Category | null } },
  CustomCategoryStash,
  Record<string, unknown> | undefined,
  undefined,
  CategoriesItem | null
>;

/**
 * A step of the expense pipelines on Categories: with `customCategoryId`, that live category of
 * the caller's into `ctx.stash.customCategory` (NotFound otherwise: merged, deleted or another
 * user's alike); the expense's `category` will be its parent, so a `category` given beside it
 * must be that parent. An empty id (updateExpense: out of its custom category) reads nothing.
 */
export function request(ctx: CustomCategoryContext): DynamoDBGetItemRequest {
  ctx.stash.customCategory = null;
  if (!ctx.args.input.customCategoryId) runtime.earlyReturn(null);
  return get<CategoriesItem>({ key: { user_id: callerId(ctx) }, consistentRead: true });
}

export function response(ctx: CustomCategoryContext): CategoryEntry {
  failOnDataSourceError(ctx);
  const input = ctx.args.input;
  const id = input.customCategoryId as string;
  const entry = liveCategoryOf(ctx.result, id);
  if (!entry) notFound('Category', id);
  if (given(input.category) && input.category !== entry.parent)
    invalid('category', `category must be omitted or ${entry.parent}, the parent of the custom category`, {
      parent: entry.parent,
    });
  ctx.stash.customCategory = entry;
  return entry;
}
