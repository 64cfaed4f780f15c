import type { Context } from '@aws-appsync/utils';
import type { MutationCreateBudgetArgs } from '../../generated/graphql';
import type { BudgetObject } from '../../model/budgets';
import type { BudgetChangeStash } from '../lib/budget-reevaluation';
import { given } from '../lib/errors';
import type { ProfileStash } from '../lib/profile-for-currency';
import { checkAmount, checkCurrency, checkText, checkThresholds } from '../lib/validation';

/** What the steps hand on: the caller's profile (step 1), the budget's id (step 2, for step 3). */
export type CreateBudgetStash = ProfileStash & BudgetChangeStash;

type CreateBudgetContext = Context<MutationCreateBudgetArgs, CreateBudgetStash, { result: BudgetObject }>;

/** createBudget: validate → read the profile for the default currency → one conditional put (Conflict when one exists) → BudgetFn evaluates it (async). */
export function request(ctx: CreateBudgetContext): Record<string, never> {
  const input = ctx.args.input;
  if (given(input.name)) checkText('name', input.name, 1, 100);
  checkAmount('amount', input.amount);
  if (given(input.currency)) checkCurrency('currency', input.currency);
  if (given(input.thresholds)) checkThresholds('thresholds', input.thresholds);
  return {};
}

export function response(ctx: CreateBudgetContext): BudgetObject {
  return ctx.prev.result;
}
