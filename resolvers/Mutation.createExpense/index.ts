import { util, type Context } from '@aws-appsync/utils';
import type { MutationCreateExpenseArgs } from '../../generated/graphql';
import type { ExpenseCategoryChoice, ExpenseObject } from '../../model/expenses';
import type { ExpenseChangeStash } from '../lib/budget-evaluation';
import { given } from '../lib/errors';
import type { ConversionStash } from '../lib/conversion';
import type { CustomCategoryStash } from '../lib/custom-category-step';
import type { ProfileStash } from '../lib/profile-for-currency';
import { checkAmount, checkCurrency, checkExpenseDate, checkTags, checkText } from '../lib/validation';

/** What the steps hand on: the custom category (step 0), the caller's profile (step 1), the category (step 2), the conversion (step 3), the item written (step 4, for the history, search and budget steps 5-7). */
export type CreateExpenseStash = CustomCategoryStash &
  ProfileStash &
  ConversionStash &
  ExpenseChangeStash & { choice: ExpenseCategoryChoice };

type CreateExpenseContext = Context<MutationCreateExpenseArgs, CreateExpenseStash, { result: ExpenseObject }>;

/**
 * createExpense: validate → with customCategoryId, read that custom category (its parent is the
 * category) → read the profile (default and home currency) → categorize (CategorizeFn, unless a
 * category or custom category is given) → convert into the home currency (RatesFn, unless
 * it is in it) → write the expense → its history → its search index entries (SearchFn) → budgets
 * (asynchronous). Only step 4 writes the expense.
 */
export function request(ctx: CreateExpenseContext): Record<string, never> {
  const input = ctx.args.input;
  checkText('merchant', input.merchant, 1, 200);
  checkAmount('amount', input.amount);
  if (given(input.currency)) checkCurrency('currency', input.currency);
  checkExpenseDate('date', input.date, util.time.nowEpochMilliSeconds());
  if (given(input.note)) checkText('note', input.note, 0, 1000);
  if (given(input.tags)) checkTags('tags', input.tags);
  return {};
}

export function response(ctx: CreateExpenseContext): ExpenseObject {
  return ctx.prev.result;
}
