import { runtime, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import type { MerchantItem } from '../../model/merchants';
import { failOnDataSourceError } from '../lib/errors';
import { filingTaught, rememberFiling } from '../lib/merchant-learning';
import type { UpdateExpenseStash } from './index';

type RememberContext = Context<MutationUpdateExpenseArgs, UpdateExpenseStash, undefined, undefined, MerchantItem>;

// Learning: a category or custom category the user sets is remembered for the merchant (as the
// expense names it once changed) and wins next time. Written before the expense, and idempotent:
// a failure here leaves the expense as it was, and the retry writes the same item again.
export function request(ctx: RememberContext): DynamoDBPutItemRequest {
  const current = ctx.stash.before || ctx.stash.after;
  const filing = filingTaught(ctx.args.input, ctx.stash.customCategory, current);
  if (!filing) runtime.earlyReturn(null);
  return rememberFiling(ctx, ctx.stash.merchantAfter, filing);
}

export function response(ctx: RememberContext): null {
  failOnDataSourceError(ctx);
  return null;
}
