import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, notFound } from '../lib/errors';

// The address the deletion receipt is sent to (the account is gone by then), and the sign-in name the password is checked under.
export function request(ctx: Context) {
  return get({ key: { user_id: callerId(ctx) }, consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Profile', callerId(ctx));
  ctx.stash.email = (ctx.result as { email: string }).email;
  return ctx.result;
}
