import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnBadPageToken, failOnDataSourceError } from './lib/errors';
import { toBudget } from './lib/items';
import { pageLimit } from './lib/validation';

// Ordered by id (category, then period), one Query per page.
export function request(ctx: Context) {
  return query({ query: { user_id: { eq: callerId(ctx) } }, limit: pageLimit(ctx.args.limit), nextToken: ctx.args.nextToken });
}

export function response(ctx: Context) {
  failOnBadPageToken(ctx);
  failOnDataSourceError(ctx);
  return { items: ctx.result.items.map(toBudget), nextToken: ctx.result.nextToken || null };
}
