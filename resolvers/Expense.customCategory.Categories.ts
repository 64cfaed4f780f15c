import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import {
  resolvedCategoryOf,
  toCustomCategory,
  type CategoriesItem,
  type CustomCategoryObject,
} from '../model/categories';
import { callerId, failOnDataSourceError } from './lib/errors';
import type { PagedExpense } from './lib/page-custom-categories';

type ExpenseCustomCategoryContext = Context<
  Record<string, never>,
  Record<string, never>,
  undefined,
  PagedExpense,
  CategoriesItem | null
>;

/**
 * The expense's custom category, following merges (model/categories.ts resolvedCategoryOf):
 * one GetItem of the caller's categories item, whatever was merged or deleted since it was set.
 * An expense of a list page comes with it resolved already (one read for the page,
 * resolvers/lib/page-custom-categories.ts): no read then.
 */
export function request(ctx: ExpenseCustomCategoryContext): DynamoDBGetItemRequest {
  const source = ctx.source;
  if (source && source.customCategoryOfPage !== undefined) runtime.earlyReturn(source.customCategoryOfPage);
  const id = source && source.customCategoryId;
  if (!id) runtime.earlyReturn(null);
  return get<CategoriesItem>({ key: { user_id: callerId(ctx) } });
}

export function response(ctx: ExpenseCustomCategoryContext): CustomCategoryObject | null {
  failOnDataSourceError(ctx);
  const entry = resolvedCategoryOf(ctx.result, (ctx.source && ctx.source.customCategoryId) || '');
  return entry ? toCustomCategory(entry) : null;
}
