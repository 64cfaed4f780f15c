import { util, type Context } from '@aws-appsync/utils';
import { given, invalid } from '../lib/errors';
import { toExpense } from '../lib/items';
import { checkAmount, checkCurrency, checkExpenseDate, checkText, checkVersion } from '../lib/validation';

/**
 * updateExpense: validate → read the current item (the caller's, or NotFound) → write it only
 * if its version is still `expectedVersion` (else Conflict) → when the category changed,
 * remember merchant → category for this user (learning), under the merchant's name now and
 * under the name the OCR read from its receipt (or, typed in, the name it had before).
 *
 * null leaves merchant, amount, currency, date and category as they are (the schema's
 * "omitted fields stay as they are"); a null or empty note removes the note.
 */
export function request(ctx: Context) {
  const input = ctx.args.input;
  checkVersion('expectedVersion', input.expectedVersion);
  if (given(input.merchant)) checkText('merchant', input.merchant, 1, 200);
  if (given(input.amount)) checkAmount('amount', input.amount);
  if (given(input.currency)) checkCurrency('currency', input.currency);
  if (given(input.date)) checkExpenseDate('date', input.date, util.time.nowEpochMilliSeconds());
  if (given(input.note)) checkText('note', input.note, 0, 1000);
  const changed = ['merchant', 'amount', 'currency', 'date', 'category'].filter((f) => given(input[f]));
  if (changed.length === 0 && input.note === undefined) invalid('input', 'Nothing to update: give at least one field');
  return {};
}

export function response(ctx: Context) {
  return toExpense(ctx.stash.after);
}
