import { runtime, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { QueryListExpensesArgs } from '../../generated/graphql';
import type { WithPageCategory } from '../../model/categories';
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
  { result: Page | null },
  undefined,
  FieldAnswer<{ items: WithPageCategory<ExpenseItem>[]; nextToken: string | null }> | null
>;

/**
 * With customCategoryId: SearchFn lists the custom category and the ones merged into it, each a
 * Query of custom-category-index merged newest first (a loop of Queries APPSYNC_JS cannot run;
 * functions/search/custom-category.ts), their custom categories resolved from the item it read:
 * the page is the answer. Otherwise step 2's page goes on to step 4.
 */
export function request(ctx: ByCustomCategoryContext): LambdaRequest {
  if (!ctx.args.customCategoryId) runtime.earlyReturn(ctx.prev.result);
  return invokeFieldFunction(ctx);
}

export function response(ctx: ByCustomCategoryContext): Page {
  const page = fieldFunctionResult(ctx);
  // toExpense keeps the item's other attributes, the custom category SearchFn resolved among them.
  const answer: Page = { items: page ? page.items.map(toExpense) : [], nextToken: page ? page.nextToken : null };
  return runtime.earlyReturn(answer, { skipTo: 'END' });
}
