import type { Context } from '@aws-appsync/utils';
import { given, invalid } from '../lib/errors';
import { toBudget } from '../lib/items';
import { checkAmount, checkText, checkThresholds, checkVersion } from '../lib/validation';

/**
 * updateBudget: validate → read the budget (the caller's, or NotFound) → write it only if its
 * version is still `expectedVersion` (else Conflict) → BudgetFn evaluates it as it now stands
 * (async). A field given as null stays as it is.
 */
export function request(ctx: Context) {
  const input = ctx.args.input;
  checkVersion('expectedVersion', input.expectedVersion);
  if (given(input.name)) checkText('name', input.name, 1, 100);
  if (given(input.amount)) checkAmount('amount', input.amount);
  if (given(input.thresholds)) checkThresholds('thresholds', input.thresholds);
  if (!['name', 'amount', 'thresholds', 'rollover'].some((f) => given(input[f]))) invalid('input', 'Nothing to update: give at least one field');
  return {};
}

export function response(ctx: Context) {
  return toBudget(ctx.prev.result);
}
