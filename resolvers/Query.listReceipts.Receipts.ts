import type { Context, DynamoDBQueryRequest } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import type { Query, QueryListReceiptsArgs } from '../generated/graphql';
import type { Answer } from '../model/answers';
import { statusKeyPrefixOf, type ReceiptItem } from '../model/receipts';
import { callerId, failOnBadPageToken, failOnDataSourceError } from './lib/errors';
import { toReceipt, type QueryPage } from './lib/items';
import { pageLimit } from './lib/validation';

type ListReceiptsContext = Context<
  QueryListReceiptsArgs,
  Record<string, never>,
  undefined,
  undefined,
  QueryPage<ReceiptItem>
>;

/** Newest first (receipt ids are ULIDs); with a status, one Query on user-status-index (`STATUS#id`). */
export function request(ctx: ListReceiptsContext): DynamoDBQueryRequest {
  const limit = pageLimit(ctx.args.limit);
  const user = { eq: callerId(ctx) };
  if (ctx.args.status) {
    return query<ReceiptItem>({
      index: 'user-status-index',
      query: { user_id: user, status_key: { beginsWith: statusKeyPrefixOf(ctx.args.status) } },
      scanIndexForward: false,
      limit,
      nextToken: ctx.args.nextToken,
    });
  }
  return query<ReceiptItem>({
    query: { user_id: user },
    scanIndexForward: false,
    limit,
    nextToken: ctx.args.nextToken,
  });
}

export function response(ctx: ListReceiptsContext): Answer<Query['listReceipts']> {
  failOnBadPageToken(ctx);
  failOnDataSourceError(ctx);
  return { items: ctx.result.items.map(toReceipt), nextToken: ctx.result.nextToken || null };
}
