import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { Query, QuerySearchExpensesArgs } from '../../generated/graphql';
import type { Answer } from '../../model/answers';
import type { ExpenseItem } from '../../model/expenses';
import type { FieldAnswer } from '../../model/function-calls';
import type { CorrelationStash } from '../lib/correlation';
import { toExpense } from '../lib/items';
import { fieldFunctionResult, invokeFieldFunction } from '../lib/lambda';

type SearchPage = { items: ExpenseItem[]; nextToken: string | null };

type SearchExpensesContext = Context<
  QuerySearchExpensesArgs,
  CorrelationStash,
  undefined,
  undefined,
  FieldAnswer<SearchPage> | null
>;

// SearchFn intersects the caller's term partitions (a loop of Queries APPSYNC_JS cannot run) and reads the page's expenses.
export function request(ctx: SearchExpensesContext): LambdaRequest {
  return invokeFieldFunction(ctx);
}

export function response(ctx: SearchExpensesContext): Answer<Query['searchExpenses']> {
  const page = fieldFunctionResult<SearchPage>(ctx);
  return { items: page ? page.items.map(toExpense) : [], nextToken: page ? page.nextToken : null };
}
