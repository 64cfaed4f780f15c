import { util, type Context } from '@aws-appsync/utils';
import { given } from '../lib/errors';
import { checkAmount, checkCurrency, checkExpenseDate, checkText } from '../lib/validation';

/**
 * createExpense: validate → read the profile (default currency) → read what the user taught
 * for this merchant (unless a category is given) → write the expense.
 */
export function request(ctx: Context) {
  const input = ctx.args.input;
  checkText('merchant', input.merchant, 1, 200);
  checkAmount('amount', input.amount);
  if (given(input.currency)) checkCurrency('currency', input.currency);
  checkExpenseDate('date', input.date, util.time.nowEpochMilliSeconds());
  if (given(input.note)) checkText('note', input.note, 0, 1000);
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
