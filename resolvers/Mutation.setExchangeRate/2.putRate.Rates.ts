import { util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import type { ExchangeRate, MutationSetExchangeRateArgs } from '../../generated/graphql';
import { userRatePeriodOf, userRateSeriesOf, type UserRateItem } from '../../model/rates';
import { callerId, failOnDataSourceError, invalid } from '../lib/errors';
import type { SetExchangeRateStash } from './index';

type PutRateContext = Context<
  MutationSetExchangeRateArgs,
  SetExchangeRateStash,
  Record<string, unknown> | undefined,
  undefined,
  UserRateItem
>;

// The rate in the caller's own series of the Rates table (model/rates.ts), keyed by currency and first day.
export function request(ctx: PutRateContext): DynamoDBPutItemRequest {
  const input = ctx.args.input;
  const home = ctx.stash.profile && ctx.stash.profile.homeCurrency;
  if (!home) invalid('currency', 'Set a home currency in your profile first');
  if (input.currency === home) invalid('currency', `${home} is your home currency: its rate is 1`);
  const from = input.from || '1970-01-01';
  ctx.stash.rate = { currency: input.currency, base: home, rate: input.rate, from };
  return put<UserRateItem>({
    key: { series: userRateSeriesOf(callerId(ctx)), period: userRatePeriodOf(input.currency, from) },
    item: { currency: input.currency, from, base: home, rate: input.rate, setAt: util.time.nowISO8601() },
  });
}

export function response(ctx: PutRateContext): Omit<ExchangeRate, '__typename'> {
  failOnDataSourceError(ctx);
  return ctx.stash.rate;
}
