import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { ExchangeRate, MutationSetExchangeRateArgs } from '../../generated/graphql';
import type { ReconvertExpensesRequest } from '../../model/function-calls';
import { correlationIdOf } from '../lib/correlation';
import { callerId } from '../lib/errors';
import type { SetExchangeRateStash } from './index';

type ReconvertContext = Context<
  MutationSetExchangeRateArgs,
  SetExchangeRateStash,
  { result: Omit<ExchangeRate, '__typename'> }
>;

// The caller's expenses in the currency are converted again with the new rate, asynchronously.
export function request(ctx: ReconvertContext): LambdaRequest {
  const payload: ReconvertExpensesRequest = {
    action: 'reconvertExpenses',
    owner: callerId(ctx),
    currency: ctx.args.input.currency,
    correlationId: correlationIdOf(ctx),
  };
  return { operation: 'Invoke', invocationType: 'Event', payload };
}

export function response(ctx: ReconvertContext): Omit<ExchangeRate, '__typename'> {
  return ctx.prev.result;
}
