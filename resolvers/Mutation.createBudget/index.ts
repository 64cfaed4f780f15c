import type { Context } from '@aws-appsync/utils';
import type { MutationCreateBudgetArgs } from '../../generated/graphql';
import type { BudgetObject } from '../../model/budgets';
import type { BudgetChangeStash } from '../lib/budget-reevaluation';
import type { CustomCategoryStash } from '../lib/custom-category-step';
import { given, invalid } from '../lib/errors';
import type { ProfileStash } from '../lib/profile-for-currency';
import { checkAmount, checkCurrency, checkTags, checkText, checkThresholds } from '../lib/validation';

/** What the steps hand on: the custom category (step 0), the caller's profile (step 1), the budget's id (step 2, for step 3). */
export type CreateBudgetStash = CustomCategoryStash & ProfileStash & BudgetChangeStash;

type CreateBudgetContext = Context<MutationCreateBudgetArgs, CreateBudgetStash, { result: BudgetObject }>;

/**
 * createBudget: validate → with customCategoryId, read that custom category (its parent is the
 * budget's category; NotFound when not the caller's) → read the profile for the default currency
 * → one conditional put (Conflict when one exists) → BudgetFn evaluates it (async). A budget's
 * scope is one of: all spending, a category, a tag (of all spending: not with a category), a
 * custom category (with its parent as category, given or not).
 */
export function request(ctx: CreateBudgetContext): Record<string, never> {
  const input = ctx.args.input;
  if (given(input.name)) checkText('name', input.name, 1, 100);
  if (given(input.tag)) {
    checkTags('tag', [input.tag]);
    if (given(input.customCategoryId))
      invalid('tag', 'A budget limits a tag or a custom category, not both: give tag or customCategoryId');
    if (given(input.category)) invalid('tag', 'A tag budget counts the tag across all categories: omit category');
  }
  if (given(input.customCategoryId) && !input.customCategoryId)
    invalid('customCategoryId', 'customCategoryId must name one of your custom categories');
  checkAmount('amount', input.amount);
  if (given(input.currency)) checkCurrency('currency', input.currency);
  if (given(input.thresholds)) checkThresholds('thresholds', input.thresholds);
  return {};
}

export function response(ctx: CreateBudgetContext): BudgetObject {
  return ctx.prev.result;
}
