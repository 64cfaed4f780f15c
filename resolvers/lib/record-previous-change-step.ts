// A History step of a mutation that changes an item: the item's previous change again, in case its put was lost (resolvers/lib/history.ts).
import type { Context } from '@aws-appsync/utils';
import { changePut, putChange } from './history';

export function request(ctx: Context) {
  return putChange(ctx, ctx.stash.before ? ctx.stash.before.lastChange : null);
}

export function response(ctx: Context) {
  return changePut(ctx);
}
