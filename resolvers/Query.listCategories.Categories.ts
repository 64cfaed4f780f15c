import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import {
  liveCategoriesOf,
  toCustomCategory,
  type CategoriesItem,
  type CustomCategoryObject,
} from '../model/categories';
import { callerId, failOnDataSourceError } from './lib/errors';

type ListCategoriesContext = Context<
  Record<string, never>,
  Record<string, never>,
  undefined,
  undefined,
  CategoriesItem | null
>;

// All of the caller's live categories (at most 100) are in their one item: one GetItem, no page.
export function request(ctx: ListCategoriesContext): DynamoDBGetItemRequest {
  return get<CategoriesItem>({ key: { user_id: callerId(ctx) } });
}

export function response(ctx: ListCategoriesContext): CustomCategoryObject[] {
  failOnDataSourceError(ctx);
  return liveCategoriesOf(ctx.result).map(toCustomCategory);
}
