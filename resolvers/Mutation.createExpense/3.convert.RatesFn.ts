import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { MutationCreateExpenseArgs } from '../../generated/graphql';
import type { Conversion } from '../../model/rates';
import * as conversion from '../lib/conversion';
import type { CreateExpenseStash } from './index';

type ConvertContext = Context<
  MutationCreateExpenseArgs,
  CreateExpenseStash,
  Record<string, unknown> | undefined,
  undefined,
  { conversion?: Conversion | null } | null
>;

// The amount in the home currency at the rate of the expense's day (or needsRate).
export function request(ctx: ConvertContext): LambdaRequest {
  const input = ctx.args.input;
  const profile = ctx.stash.profile;
  return conversion.request(ctx, {
    amount: input.amount,
    currency: input.currency || (profile && profile.homeCurrency) || '',
    date: input.date,
  });
}

export function response(ctx: ConvertContext): Conversion | null {
  return conversion.response(ctx);
}
