import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { UserItem, UserObject } from '../model/users';
import { callerId, failOnDataSourceError, notFound } from './lib/errors';
import { toUser } from './lib/items';

type MeContext = Context<Record<string, never>, Record<string, never>, undefined, undefined, UserItem | null>;

export function request(ctx: MeContext): DynamoDBGetItemRequest {
  return get<UserItem>({ key: { user_id: callerId(ctx) } });
}

export function response(ctx: MeContext): UserObject {
  failOnDataSourceError(ctx);
  // The post-confirmation function creates the row when the user confirms their email.
  if (!ctx.result) notFound('Profile', callerId(ctx));
  return toUser(ctx.result);
}
