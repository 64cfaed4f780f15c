import { util, type Context } from '@aws-appsync/utils';
import type { MutationDeleteAccountArgs } from '../../generated/graphql';
import { FRESH_SIGN_IN_SECONDS } from '../../model/data-lifecycle';
import { given } from '../lib/errors';
import { checkText } from '../lib/validation';

/**
 * deleteAccount: a deletion already recorded is answered as it is → the profile (the address the
 * receipt goes to) → the password checked (AccountFn), unless the caller signed in within
 * FRESH_SIGN_IN_SECONDS (the token's auth_time) → the job stored under the account's one
 * deletion id → AccountFn deletes everything (async). Answers the job.
 */
export function request(ctx: Context<MutationDeleteAccountArgs>) {
  if (given(ctx.args.password)) checkText('password', ctx.args.password as string, 1, 256);
  const claims = (ctx.identity as { claims?: { auth_time?: number } }).claims || {};
  const signedInAt = claims.auth_time || 0;
  ctx.stash.freshSignIn = util.time.nowEpochSeconds() - signedInAt <= FRESH_SIGN_IN_SECONDS;
  return {};
}

export function response(ctx: Context<MutationDeleteAccountArgs>) {
  return ctx.prev.result;
}
