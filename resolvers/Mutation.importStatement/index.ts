import type { Context } from '@aws-appsync/utils';
import type { MutationImportStatementArgs } from '../../generated/graphql';
import { MAX_MATCH_WINDOW_DAYS } from '../../model/statements';
import { given, invalid } from '../lib/errors';
import { checkCurrency, checkText } from '../lib/validation';

/**
 * importStatement: validate → find the upload (NotFound for a missing or another user's one) →
 * store the import (PENDING, a fresh ULID) → StatementFn runs it (Lambda Event); answers the
 * PENDING import at once. The CSV mapping is checked against the file by the run (a wrong
 * column FAILS the import with a ValidationError naming it); previewStatement checks it first.
 */
export function request(ctx: Context<MutationImportStatementArgs>) {
  const input = ctx.args.input;
  if (given(input.currency)) checkCurrency('currency', input.currency as string);
  if (given(input.account)) checkText('account', input.account as string, 1, 100);
  if (given(input.matchWindowDays)) {
    const days = input.matchWindowDays as number;
    if (Math.floor(days) !== days || days < 0 || days > MAX_MATCH_WINDOW_DAYS)
      invalid('matchWindowDays', `matchWindowDays must be 0 to ${MAX_MATCH_WINDOW_DAYS}`, {
        min: 0,
        max: MAX_MATCH_WINDOW_DAYS,
      });
  }
  const csv = input.csv;
  if (csv) {
    checkText('csv.date', csv.date, 1, 100);
    if (csv.description.length < 1 || csv.description.length > 3)
      invalid('csv.description', 'csv.description takes 1 to 3 columns', { min: 1, max: 3 });
    if (!given(csv.amount) && !given(csv.debit)) invalid('csv.amount', 'Give the amount column, or debit');
  }
  return {};
}

export function response(ctx: Context<MutationImportStatementArgs>) {
  return ctx.prev.result;
}
