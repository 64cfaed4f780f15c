import type { Context } from '@aws-appsync/utils';
import type { Query, QueryListExpensesArgs } from '../../generated/graphql';
import type { Answer } from '../../model/answers';
import { invalid } from '../lib/errors';
import { checkCalendarDate } from '../lib/validation';

type ListExpensesContext = Context<
  QueryListExpensesArgs,
  Record<string, never>,
  { result: Answer<Query['listExpenses']> }
>;

/**
 * listExpenses: one Query per page (step 1), newest first: the category index when a category is
 * given, else the date index. By category, a page may hold index entries of split expenses whose
 * part is in that category (model/splits.ts): step 2 reads those expenses by key (one BatchGetItem).
 */
export function request(ctx: ListExpensesContext): Record<string, never> {
  const { from, to } = ctx.args;
  if (from) checkCalendarDate('from', from);
  if (to) checkCalendarDate('to', to);
  if (from && to && from > to) invalid('from', 'from must be on or before to');
  return {};
}

export function response(ctx: ListExpensesContext): Answer<Query['listExpenses']> {
  return ctx.prev.result;
}
