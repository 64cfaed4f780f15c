import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import {
  resolvedCategoryOf,
  toCustomCategory,
  type CategoriesItem,
  type CustomCategoryObject,
} from '../model/categories';
import type { ExpenseObject } from '../model/expenses';
import { callerId, failOnDataSourceError } from './lib/errors';

type ExpenseCustomCategoryContext = Context<
  Record<string, never>,
  Record<string, never>,
  undefined,
  ExpenseObject,
  CategoriesItem | null
>;

/**
 * The expense's custom category, following merges (model/categories.ts resolvedCategoryOf):
 * one GetItem of the caller's categories item, whatever was merged or deleted since it was set.
 */
export function request(ctx: ExpenseCustomCategoryContext): DynamoDBGetItemRequest {
  const id = ctx.source && ctx.source.customCategoryId;
  if (!id) runtime.earlyReturn(null);
  return get<CategoriesItem>({ key: { user_id: callerId(ctx) } });
}

export function response(ctx: ExpenseCustomCategoryContext): CustomCategoryObject | null {
  failOnDataSourceError(ctx);
  const entry = resolvedCategoryOf(ctx.result, (ctx.source && ctx.source.customCategoryId) || '');
  return entry ? toCustomCategory(entry) : null;
}
