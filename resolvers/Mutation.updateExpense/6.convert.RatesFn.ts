import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import type { Conversion } from '../../model/rates';
import * as conversion from '../lib/conversion';
import type { UpdateExpenseStash } from './index';

type ConvertContext = Context<
  MutationUpdateExpenseArgs,
  UpdateExpenseStash,
  Record<string, unknown> | undefined,
  undefined,
  { conversion?: Conversion | null } | null
>;

// The changed expense in the home currency at the rate of its (new) day; the stored one stands when its money did not change.
export function request(ctx: ConvertContext): LambdaRequest {
  const input = ctx.args.input;
  const before = ctx.stash.before;
  if (ctx.stash.applied || !before || !conversion.moneyChanged(input)) return conversion.request(ctx, null);
  return conversion.request(ctx, {
    amount: input.amount || before.amount,
    currency: input.currency || before.currency,
    date: input.date || before.date,
  });
}

export function response(ctx: ConvertContext): Conversion | null {
  return conversion.response(ctx);
}
