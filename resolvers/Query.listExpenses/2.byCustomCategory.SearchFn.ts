import { runtime, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { QueryListExpensesArgs } from '../../generated/graphql';
import type { ExpenseItem } from '../../model/expenses';
import type { FieldAnswer } from '../../model/function-calls';
import type { CorrelationStash } from '../lib/correlation';
import { toExpense } from '../lib/items';
import { fieldFunctionResult, invokeFieldFunction } from '../lib/lambda';
import type { PagedExpense } from '../lib/page-custom-categories';

type Page = { items: PagedExpense[]; nextToken: string | null };

type ByCustomCategoryContext = Context<
  QueryListExpensesArgs,
  CorrelationStash,
  { result: Page },
  undefined,
  FieldAnswer<{ items: ExpenseItem[]; nextToken: string | null }> | null
>;

/**
 * With customCategoryId: SearchFn lists the custom category and the ones merged into it, each a
 * Query of custom-category-index merged newest first (a loop of Queries APPSYNC_JS cannot run;
 * functions/search/custom-category.ts). Otherwise step 1's page goes on.
 */
export function request(ctx: ByCustomCategoryContext): LambdaRequest {
  if (!ctx.args.customCategoryId) runtime.earlyReturn(ctx.prev.result);
  return invokeFieldFunction(ctx);
}

export function response(ctx: ByCustomCategoryContext): Page {
  const page = fieldFunctionResult(ctx);
  return { items: page ? page.items.map(toExpense) : [], nextToken: page ? page.nextToken : null };
}
