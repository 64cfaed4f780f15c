import { runtime, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { MutationUpdateProfileArgs } from '../../generated/graphql';
import type { ReconvertExpensesRequest } from '../../model/function-calls';
import type { UserObject } from '../../model/users';
import { correlationIdOf } from '../lib/correlation';
import { callerId, given } from '../lib/errors';

type ReconvertContext = Context<MutationUpdateProfileArgs, Record<string, never>, { result: UserObject }>;

// A new home currency: every expense is converted again into it, at the rate of its own day, asynchronously.
export function request(ctx: ReconvertContext): LambdaRequest {
  if (!given(ctx.args.input.homeCurrency)) runtime.earlyReturn(ctx.prev.result);
  const payload: ReconvertExpensesRequest = {
    action: 'reconvertExpenses',
    owner: callerId(ctx),
    currency: null,
    correlationId: correlationIdOf(ctx),
  };
  return { operation: 'Invoke', invocationType: 'Event', payload };
}

export function response(ctx: ReconvertContext): UserObject {
  return ctx.prev.result;
}
