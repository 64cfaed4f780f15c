import type { Context } from '@aws-appsync/utils';
import type { ExchangeRate, MutationSetExchangeRateArgs } from '../../generated/graphql';
import { given } from '../lib/errors';
import { checkCalendarDate, checkCurrency, checkPositiveDecimal } from '../lib/validation';
import type { CorrelationStash } from '../lib/correlation';
import type { ProfileStash } from '../lib/profile-for-currency';

/** What the steps hand on: the profile (step 1) and the rate as stored (step 2). */
export type SetExchangeRateStash = CorrelationStash & ProfileStash & { rate: Omit<ExchangeRate, '__typename'> };

type SetExchangeRateContext = Context<MutationSetExchangeRateArgs, SetExchangeRateStash>;

/**
 * setExchangeRate: validate → read the profile (the home currency is the rate's base) → store
 * the rate under the caller's key (one put; the same call again writes the same item) → RatesFn
 * converts the caller's expenses in that currency again (asynchronous). Budgets and summaries
 * convert on read, so they count with the new rate at once.
 */
export function request(ctx: SetExchangeRateContext): Record<string, never> {
  const input = ctx.args.input;
  checkCurrency('currency', input.currency);
  checkPositiveDecimal('rate', input.rate);
  if (given(input.from)) checkCalendarDate('from', input.from);
  return {};
}

export function response(ctx: SetExchangeRateContext): Omit<ExchangeRate, '__typename'> {
  return ctx.stash.rate;
}
