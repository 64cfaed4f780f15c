import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { withPageCategory, type CategoriesItem, type WithPageCategory } from '../../model/categories';
import type { ExpenseObject } from '../../model/expenses';
import { callerId, failOnDataSourceError } from './errors';

/** An expense of a list page with its custom category resolved for the page (model/categories.ts withPageCategory). */
export type PagedExpense = WithPageCategory<ExpenseObject>;

type Page = { items: PagedExpense[]; nextToken: string | null };

type PageCategoriesContext = Context<
  Record<string, unknown>,
  Record<string, unknown>,
  { result: Page },
  undefined,
  CategoriesItem | null
>;

/**
 * The last step of the expense list pipelines: ONE GetItem of the caller's categories item for the
 * page, instead of one per expense (Expense.customCategory's own read), and none when no expense of
 * the page is filed under a custom category. Each expense's category is resolved as the field
 * resolves it (model/categories.ts resolvedCategoryOf: merges followed, a deleted one null).
 */
export function request(ctx: PageCategoriesContext): DynamoDBGetItemRequest {
  const page = ctx.prev.result;
  if (!page.items.some((expense) => !!expense.customCategoryId)) runtime.earlyReturn(page);
  return get<CategoriesItem>({ key: { user_id: callerId(ctx) } });
}

export function response(ctx: PageCategoriesContext): Page {
  failOnDataSourceError(ctx);
  const page = ctx.prev.result;
  const item = ctx.result;
  const items = page.items.map((expense) => withPageCategory(expense, item));
  return { items, nextToken: page.nextToken };
}
