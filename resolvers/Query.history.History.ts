import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import type { QueryHistoryArgs } from '../generated/graphql';
import { historyEntryOf, historyKeyPrefix, type ChangeRecord } from '../model/history';
import { callerId, failOnBadPageToken, failOnDataSourceError } from './lib/errors';
import { checkText, pageLimit } from './lib/validation';

/** One item's changes, oldest first: one Query on the caller's partition, keys starting with the item's id. */
export function request(ctx: Context<QueryHistoryArgs>) {
  checkText('itemId', ctx.args.itemId, 1, 100);
  return query({
    query: {
      user_id: { eq: callerId(ctx) },
      entry_key: { beginsWith: historyKeyPrefix(ctx.args.itemId, ctx.args.itemType) },
    },
    limit: pageLimit(ctx.args.limit),
    nextToken: ctx.args.nextToken,
  });
}

export function response(ctx: Context<QueryHistoryArgs>) {
  failOnBadPageToken(ctx);
  failOnDataSourceError(ctx);
  const items = (ctx.result.items as ChangeRecord[]).filter((entry) => !entry.pending).map(historyEntryOf);
  return { items, nextToken: ctx.result.nextToken || null };
}
