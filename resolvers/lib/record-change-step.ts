// A History step of a mutation that changes an item: this request's change (resolvers/lib/history.ts).
import type { Context } from '@aws-appsync/utils';
import { changePut, putChange } from './history';

export function request(ctx: Context) {
  return putChange(ctx, ctx.stash.change);
}

export function response(ctx: Context) {
  return changePut(ctx);
}
