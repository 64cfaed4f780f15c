import { runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import type { UserItem } from '../../model/users';
import * as profile from '../lib/profile-for-currency';
import { moneyChanged } from '../lib/conversion';
import type { UpdateExpenseStash } from './index';

type ReadProfileContext = Context<
  MutationUpdateExpenseArgs,
  UpdateExpenseStash,
  Record<string, unknown> | undefined,
  undefined,
  UserItem | null
>;

// The home currency, when the amount, currency or day change (the conversion is redone).
export function request(ctx: ReadProfileContext): DynamoDBGetItemRequest {
  if (ctx.stash.applied || !moneyChanged(ctx.args.input)) runtime.earlyReturn(null);
  return profile.request(ctx);
}

export function response(ctx: ReadProfileContext): UserItem | null {
  return profile.response(ctx);
}
