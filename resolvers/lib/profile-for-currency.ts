import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { UserItem } from '../../model/users';
import { callerId, failOnDataSourceError } from './errors';

/** What this step stashes for the pipeline's write: the caller's profile (null when they have none). */
export type ProfileStash = { profile?: UserItem | null };

type ProfileContext = Context<
  { input: { currency?: string | null } },
  ProfileStash,
  Record<string, unknown> | undefined,
  undefined,
  UserItem | null
>;

/**
 * A pipeline step on Users: the caller's profile into `ctx.stash.profile`. Its home currency is
 * the default of `ctx.args.input.currency` and what expenses are converted into.
 */
export function request(ctx: ProfileContext): DynamoDBGetItemRequest {
  return get<UserItem>({ key: { user_id: callerId(ctx) } });
}

export function response(ctx: ProfileContext): UserItem | null {
  failOnDataSourceError(ctx);
  ctx.stash.profile = ctx.result;
  return ctx.result;
}
