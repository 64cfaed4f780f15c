// With `reviewed`, the receipt's change in its history (step 8); otherwise the change the receipt read in
// step 2 carries, put again in case its own put was lost (resolvers/lib/history.ts).
import type { Context } from '@aws-appsync/utils';
import { changePut, putChange } from '../lib/history';
import type { UpdateExpenseStash } from './index';

export function request(ctx: Context<unknown, UpdateExpenseStash>) {
  const receipt = ctx.stash.receipt;
  return putChange(
    ctx,
    ctx.stash.receiptChange || (receipt ? (receipt.lastChange as UpdateExpenseStash['receiptChange']) : null),
  );
}

export function response(ctx: Context) {
  return changePut(ctx);
}
