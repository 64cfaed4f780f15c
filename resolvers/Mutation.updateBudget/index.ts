import type { Context } from '@aws-appsync/utils';
import type { MutationUpdateBudgetArgs, UpdateBudgetInput } from '../../generated/graphql';
import type { BudgetItem, BudgetObject } from '../../model/budgets';
import type { BudgetChangeStash } from '../lib/budget-reevaluation';
import { given, invalid } from '../lib/errors';
import { toBudget } from '../lib/items';
import { checkAmount, checkText, checkThresholds, checkVersion } from '../lib/validation';

/** What the steps hand on: the budget as read (step 1, for step 2's version check) and its id (for step 3). */
export type UpdateBudgetStash = BudgetChangeStash & { before: BudgetItem };

type UpdateBudgetContext = Context<MutationUpdateBudgetArgs, UpdateBudgetStash, { result: BudgetItem }>;

/** The fields updateBudget changes; category and period are the budget's identity. */
const CHANGEABLE: Array<keyof UpdateBudgetInput> = ['name', 'amount', 'thresholds', 'rollover'];

/**
 * updateBudget: validate → read the budget (the caller's, or NotFound) → write it only if its
 * version is still `expectedVersion` (else Conflict) → BudgetFn evaluates it as it now stands
 * (async). A field given as null stays as it is.
 */
export function request(ctx: UpdateBudgetContext): Record<string, never> {
  const input = ctx.args.input;
  checkVersion('expectedVersion', input.expectedVersion);
  if (given(input.name)) checkText('name', input.name, 1, 100);
  if (given(input.amount)) checkAmount('amount', input.amount);
  if (given(input.thresholds)) checkThresholds('thresholds', input.thresholds);
  if (!CHANGEABLE.some((f) => given(input[f]))) invalid('input', 'Nothing to update: give at least one field');
  return {};
}

export function response(ctx: UpdateBudgetContext): BudgetObject {
  return toBudget(ctx.prev.result);
}
