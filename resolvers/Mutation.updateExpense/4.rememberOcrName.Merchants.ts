import { runtime, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import { merchantKeyOf } from '../../model/merchant-key';
import type { MerchantItem } from '../../model/merchants';
import { failOnDataSourceError } from '../lib/errors';
import { filingTaught, rememberFiling } from '../lib/merchant-learning';
import type { UpdateExpenseStash } from './index';

type RememberContext = Context<MutationUpdateExpenseArgs, UpdateExpenseStash, undefined, undefined, MerchantItem>;

/**
 * Learning under the old name too: the next receipt from this shop reads the same name as
 * this one did, so a category (or custom category) the user sets while also fixing the merchant is remembered under
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
  const before = ctx.stash.before;
  const filing = before ? filingTaught(ctx.args.input, ctx.stash.customCategory, before) : null;
  const asRead = filing ? nameAsRead(ctx) : null;
  if (!filing || !asRead || merchantKeyOf(asRead) === merchantKeyOf(ctx.stash.merchantAfter)) runtime.earlyReturn(null);
  return rememberFiling(ctx, asRead, filing);
}

export function response(ctx: RememberContext): null {
  failOnDataSourceError(ctx);
  return null;
}
