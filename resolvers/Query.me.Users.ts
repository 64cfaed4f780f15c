import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, notFound } from './lib/errors';
import { toUser } from './lib/items';

export function request(ctx: Context) {
  return get({ key: { user_id: callerId(ctx) } });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  // The post-confirmation function creates the row when the user confirms their email.
  if (!ctx.result) notFound('Profile', callerId(ctx));
  return toUser(ctx.result);
}
