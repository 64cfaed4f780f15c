import type { Context } from '@aws-appsync/utils';

/** exportAccount: store the job → AccountFn makes the archive (async); answers the PENDING job. */
export function request(_ctx: Context) {
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
