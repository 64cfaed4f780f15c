import { runtime, util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import { merchantKeyOf } from '../../model/merchant-key';
import type { MerchantItem, MerchantKey } from '../../model/merchants';
import { callerId, failOnDataSourceError } from '../lib/errors';
import type { UpdateExpenseStash } from './index';

type RememberContext = Context<MutationUpdateExpenseArgs, UpdateExpenseStash, undefined, undefined, MerchantItem>;

// Learning: a category the user sets is remembered for the merchant (as the expense names it
// once changed) and wins next time. Written before the expense, and idempotent: a failure here
// leaves the expense as it was, and the retry writes the same item again.
export function request(ctx: RememberContext): DynamoDBPutItemRequest {
  const category = ctx.args.input.category;
  if (!category) runtime.earlyReturn(null);
  const merchant = ctx.stash.merchantAfter;
  const key: MerchantKey = { user_id: callerId(ctx), merchant_key: merchantKeyOf(merchant) };
  const item: Omit<MerchantItem, keyof MerchantKey> = { category, merchant, updatedAt: util.time.nowISO8601() };
  return put<MerchantItem>({ key, item });
}

export function response(ctx: RememberContext): null {
  failOnDataSourceError(ctx);
  return null;
}
