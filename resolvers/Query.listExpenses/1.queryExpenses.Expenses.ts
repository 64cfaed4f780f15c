import { runtime, type Context, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import type { Query, QueryListExpensesArgs } from '../../generated/graphql';
import type { Answer } from '../../model/answers';
import { categoryDateOf, type ExpenseItem } from '../../model/expenses';
import { isSplitIndexItem, type SplitIndexItem } from '../../model/splits';
import { callerId, failOnBadPageToken, failOnDataSourceError, given, invalid, itemIdOrNotFound } from '../lib/errors';
import { toExpense, type QueryPage } from '../lib/items';
import { checkCalendarDate, pageLimit } from '../lib/validation';

type QueryExpensesContext = Context<
  QueryListExpensesArgs,
  Record<string, never>,
  undefined,
  undefined,
  QueryPage<ExpenseItem | SplitIndexItem>
>;

// Past any real day in sort order ('9' > any digit of a date), so "to" bounds stay inclusive.
const LAST_DAY = '9999-99-99';
const FIRST_DAY = '0000-00-00';

/**
 * listExpenses, a pipeline (no index.ts: nothing runs around its steps): this step checks the
 * arguments, then with customCategoryId leaves the page to step 3 (SearchFn: that custom category
 * and those merged into it, their custom categories resolved with them); otherwise one Query per
 * page, newest first, of the category index when a category is given, else the date index. By
 * category, a page may hold index entries of split expenses whose part is in that category
 * (model/splits.ts): step 2 reads those expenses by key (one BatchGetItem). When an expense of the
 * page is filed under a custom category, step 4 resolves them all with one GetItem
 * (Expense.customCategory then reads nothing). A page with neither is the answer from here, as a
 * unit resolver's would be.
 */
export function request(ctx: QueryExpensesContext): DynamoDBQueryRequest {
  const { from, to, category, customCategoryId, nextToken } = ctx.args;
  if (from) checkCalendarDate('from', from);
  if (to) checkCalendarDate('to', to);
  if (from && to && from > to) invalid('from', 'from must be on or before to');
  const limit = pageLimit(ctx.args.limit);
  if (given(customCategoryId)) {
    if (category) invalid('customCategoryId', 'Give category or customCategoryId, not both');
    itemIdOrNotFound('Category', customCategoryId);
    runtime.earlyReturn(null);
  }
  const user = { eq: callerId(ctx) };
  if (category) {
    return query<ExpenseItem>({
      index: 'user-category-index',
      query: {
        user_id: user,
        category_date: {
          between: [categoryDateOf(category, from || FIRST_DAY), categoryDateOf(category, to || LAST_DAY)],
        },
      },
      scanIndexForward: false,
      limit,
      nextToken,
    });
  }
  const date: { between: [string, string] } | { ge: string } | { le: string } | null =
    from && to ? { between: [from, to] } : from ? { ge: from } : to ? { le: to } : null;
  return query<ExpenseItem>({
    index: 'user-date-index',
    query: date ? { user_id: user, date } : { user_id: user },
    scanIndexForward: false,
    limit,
    nextToken,
  });
}

export function response(
  ctx: QueryExpensesContext,
): QueryPage<ExpenseItem | SplitIndexItem> | Answer<Query['listExpenses']> {
  failOnBadPageToken(ctx);
  failOnDataSourceError(ctx);
  const page = { items: ctx.result.items, nextToken: ctx.result.nextToken || null };
  // No split index entry to read and no custom category to resolve: the page is the answer.
  const more = page.items.some((item) => isSplitIndexItem(item) || !!(item as ExpenseItem).customCategoryId);
  if (!more)
    runtime.earlyReturn(
      { items: (page.items as ExpenseItem[]).map(toExpense), nextToken: page.nextToken },
      { skipTo: 'END' },
    );
  return page;
}
