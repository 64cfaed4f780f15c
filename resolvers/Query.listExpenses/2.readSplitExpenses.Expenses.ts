import { runtime, util, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { batchGet } from '@aws-appsync/utils/dynamodb';
import type { Query, QueryListExpensesArgs } from '../../generated/graphql';
import type { Answer } from '../../model/answers';
import { categoryDateOf, type ExpenseItem } from '../../model/expenses';
import { isSplitIndexItem, splitIndexCategoriesOf, type SplitIndexItem } from '../../model/splits';
import { callerId, failOnDataSourceError } from '../lib/errors';
import { toExpense, type QueryPage } from '../lib/items';

type PageItem = ExpenseItem | SplitIndexItem;

type ReadSplitsContext = Context<
  QueryListExpensesArgs,
  Record<string, never>,
  { result: QueryPage<PageItem> },
  undefined,
  { data: Record<string, Array<ExpenseItem | null>>; unprocessedKeys: Record<string, unknown[]> }
>;

function entriesOf(page: QueryPage<PageItem>): SplitIndexItem[] {
  return page.items.filter((item) => isSplitIndexItem(item)) as SplitIndexItem[];
}

function answer(page: QueryPage<PageItem>, expenses: ExpenseItem[]): Answer<Query['listExpenses']> {
  return { items: expenses.map(toExpense), nextToken: page.nextToken || null };
}

// A category page's split index entries, replaced by their expenses (read by key, the caller's
// partition only). An entry whose expense no longer has a part in that category on that day (a
// stale one, left by a crash) is left out.
export function request(ctx: ReadSplitsContext): DynamoDBBatchGetItemRequest {
  // By custom category, step 3 makes the page.
  if (ctx.args.customCategoryId) runtime.earlyReturn(null);
  const page = ctx.prev.result;
  const entries = entriesOf(page);
  if (entries.length === 0) runtime.earlyReturn(answer(page, page.items as ExpenseItem[]));
  const owner = callerId(ctx);
  const tables: Record<string, { keys: Array<Record<string, string>>; consistentRead: boolean }> = {};
  tables[ctx.env.EXPENSES_TABLE] = {
    keys: entries.map((entry) => ({ user_id: owner, expense_id: entry.split_of })),
    consistentRead: false,
  };
  return batchGet({ tables });
}

export function response(ctx: ReadSplitsContext): Answer<Query['listExpenses']> {
  failOnDataSourceError(ctx);
  const table = ctx.env.EXPENSES_TABLE;
  if ((ctx.result.unprocessedKeys[table] || []).length > 0)
    util.error('Some expenses could not be read; try again', 'InternalError');
  const found: Record<string, ExpenseItem> = {};
  (ctx.result.data[table] || []).forEach((item) => {
    if (item) found[item.expense_id] = item;
  });
  const page = ctx.prev.result;
  const expenses: ExpenseItem[] = [];
  page.items.forEach((item) => {
    if (!isSplitIndexItem(item)) {
      expenses.push(item as ExpenseItem);
      return;
    }
    const entry = item as SplitIndexItem;
    const expense = found[entry.split_of];
    const current =
      expense &&
      splitIndexCategoriesOf(expense).some(
        (category) => categoryDateOf(category as ExpenseItem['category'], expense.date) === entry.category_date,
      );
    if (current) expenses.push(expense);
  });
  return answer(page, expenses);
}
