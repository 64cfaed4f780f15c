import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnBadPageToken, failOnDataSourceError } from './lib/errors';
import { toReceipt } from './lib/items';
import { pageLimit } from './lib/validation';

/** Newest first (receipt ids are ULIDs); with a status, one Query on user-status-index (`STATUS#id`). */
export function request(ctx: Context) {
  const limit = pageLimit(ctx.args.limit);
  const user = { eq: callerId(ctx) };
  if (ctx.args.status) {
    return query({ index: 'user-status-index', query: { user_id: user, status_key: { beginsWith: `${ctx.args.status}#` } }, scanIndexForward: false, limit, nextToken: ctx.args.nextToken });
  }
  return query({ query: { user_id: user }, scanIndexForward: false, limit, nextToken: ctx.args.nextToken });
}

export function response(ctx: Context) {
  failOnBadPageToken(ctx);
  failOnDataSourceError(ctx);
  return { items: ctx.result.items.map(toReceipt), nextToken: ctx.result.nextToken || null };
}
