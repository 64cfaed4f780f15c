import { runtime, util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import { merchantKeyOf } from '../../model/merchant-key';
import type { MerchantItem, MerchantKey } from '../../model/merchants';
import { callerId, failOnDataSourceError } from '../lib/errors';
import type { UpdateExpenseStash } from './index';

type RememberContext = Context<MutationUpdateExpenseArgs, UpdateExpenseStash, undefined, undefined, MerchantItem>;

/**
 * Learning under the old name too: the next receipt from this shop reads the same name as
 * this one did, so a category the user sets while also fixing the merchant is remembered under
 * what the OCR read (the receipt's extraction), or for a typed-in expense under the name it had
 * before this change. Nothing to do when that is the new name already, or when this call only
 * finishes a change an earlier attempt wrote (that attempt learned it before its write).
 */
function nameAsRead(ctx: RememberContext): string | null {
  const before = ctx.stash.before;
  if (!before) return null;
  if (!before.receiptId) return before.merchant || null;
  const receipt = ctx.stash.receipt;
  const read = receipt && receipt.extraction && receipt.extraction.merchant ? receipt.extraction.merchant.value : null;
  return read || null;
}

export function request(ctx: RememberContext): DynamoDBPutItemRequest {
  const category = ctx.args.input.category;
  const asRead = category ? nameAsRead(ctx) : null;
  if (!category || !asRead || merchantKeyOf(asRead) === merchantKeyOf(ctx.stash.merchantAfter))
    runtime.earlyReturn(null);
  const key: MerchantKey = { user_id: callerId(ctx), merchant_key: merchantKeyOf(asRead) };
  const item: Omit<MerchantItem, keyof MerchantKey> = { category, merchant: asRead, updatedAt: util.time.nowISO8601() };
  return put<MerchantItem>({ key, item });
}

export function response(ctx: RememberContext): null {
  failOnDataSourceError(ctx);
  return null;
}
