import { util, type Context } from '@aws-appsync/utils';
import { invalid } from '../lib/errors';
import { toExpense } from '../lib/items';
import { checkAmount, checkCurrency, checkDate, checkText, checkVersion } from '../lib/validation';

/**
 * updateExpense: validate → read the current item (the caller's, or NotFound) → write it only
 * if its version is still `expectedVersion` (else Conflict) → when the category changed,
 * remember merchant → category for this user (learning).
 */
export function request(ctx: Context) {
  const input = ctx.args.input;
  checkVersion('expectedVersion', input.expectedVersion);
  if (input.merchant !== undefined && input.merchant !== null) checkText('merchant', input.merchant, 1, 200);
  if (input.amount !== undefined && input.amount !== null) checkAmount('amount', input.amount);
  if (input.currency) checkCurrency('currency', input.currency);
  if (input.date) checkDate('date', input.date, util.time.nowISO8601());
  if (input.note) checkText('note', input.note, 0, 1000);
  const fields = ['merchant', 'amount', 'currency', 'date', 'category', 'note'].filter((f) => input[f] !== undefined);
  if (fields.length === 0) invalid('input', 'Nothing to update: give at least one field');
  return {};
}

export function response(ctx: Context) {
  return toExpense(ctx.stash.after);
}
