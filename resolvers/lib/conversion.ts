import { runtime, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { ConvertRequest } from '../../model/function-calls';
import type { Conversion } from '../../model/rates';
import { callerId, invalid } from './errors';
import type { ProfileStash } from './profile-for-currency';

/**
 * The conversion step of the expense pipelines: the expense as it will be written (its amount,
 * currency and day) in the owner's home currency, into `ctx.stash.conversion` (model/rates.ts
 * Conversion, or null: needsRate). In the home currency it is the amount itself, no call; in
 * another, RatesFn converts it at the rate of its day (exact BigInt arithmetic, which APPSYNC_JS
 * lacks; rates read from the Rates table with one Query each). Needs `ctx.stash.profile`.
 */
export interface ExpenseMoney {
  amount: number;
  currency: string;
  date: string;
}

/** What the step stashes: the conversion the write stores (null: needsRate), and the money it was asked for. */
export type ConversionStash = { conversion: Conversion | null; convertFrom?: ExpenseMoney };

type ConversionContext = Context<
  unknown,
  ProfileStash & ConversionStash,
  Record<string, unknown> | undefined,
  undefined,
  { conversion?: Conversion | null } | null
>;

export function request(ctx: ConversionContext, expense: ExpenseMoney | null): LambdaRequest {
  const profile = ctx.stash.profile;
  const home = profile && profile.homeCurrency;
  ctx.stash.conversion = null;
  // Nothing about the money changes (updateExpense of merchant, note or category): the stored conversion stands.
  if (!expense) runtime.earlyReturn(null);
  if (!expense.currency) invalid('currency', 'currency is required (your profile has no home currency)');
  if (expense.currency === home) {
    ctx.stash.conversion = {
      amount: expense.amount,
      currency: home,
      rate: '1',
      rateDate: expense.date,
      source: 'SAME',
      stale: false,
    };
    runtime.earlyReturn(ctx.stash.conversion);
  }
  ctx.stash.convertFrom = expense;
  const payload: ConvertRequest = {
    action: 'convert',
    owner: callerId(ctx),
    amount: expense.amount,
    currency: expense.currency,
    date: expense.date,
    home: home || '',
  };
  return { operation: 'Invoke', payload };
}

export function response(ctx: ConversionContext): Conversion | null {
  const answer = ctx.result;
  if (ctx.error || !answer) {
    // The expense is still written, flagged needsRate; budgets and summaries convert it on read.
    console.error('conversion failed; the expense is flagged needsRate', ctx.error ? ctx.error.message : answer);
    ctx.stash.conversion = null;
  } else {
    ctx.stash.conversion = answer.conversion || null;
  }
  return ctx.stash.conversion;
}

/** Whether an update changes what the conversion depends on: the amount, the currency or the day. */
export function moneyChanged(input: {
  amount?: number | null;
  currency?: string | null;
  date?: string | null;
}): boolean {
  return !!(input.amount || input.currency || input.date);
}
