import type { Context } from '@aws-appsync/utils';
import { given } from '../lib/errors';
import { checkAmount, checkCurrency, checkText, checkThresholds } from '../lib/validation';

/** createBudget: validate → read the profile for the default currency → one conditional put (Conflict when one exists) → BudgetFn evaluates it (async). */
export function request(ctx: Context) {
  const input = ctx.args.input;
  if (given(input.name)) checkText('name', input.name, 1, 100);
  checkAmount('amount', input.amount);
  if (given(input.currency)) checkCurrency('currency', input.currency);
  if (given(input.thresholds)) checkThresholds('thresholds', input.thresholds);
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
