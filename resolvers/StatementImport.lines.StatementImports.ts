import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import type { StatementImportLinesArgs } from '../generated/graphql';
import { reportLinesPartition, reportLinesPrefixOf } from '../model/statements';
import { callerId, failOnBadPageToken, failOnDataSourceError, invalid } from './lib/errors';

/** The report in file order, one Query per page on the import's own partition (keyed by the caller). */
export function request(ctx: Context<StatementImportLinesArgs>) {
  const limit = ctx.args.limit === null || ctx.args.limit === undefined ? 50 : ctx.args.limit;
  if (Math.floor(limit) !== limit || limit < 1 || limit > 100)
    invalid('limit', 'limit must be between 1 and 100', { min: 1, max: 100 });
  const importId = (ctx.source as { id: string }).id;
  return query({
    query: {
      user_id: { eq: reportLinesPartition(callerId(ctx)) },
      import_key: { beginsWith: reportLinesPrefixOf(importId) },
    },
    limit,
    nextToken: ctx.args.nextToken,
  });
}

export function response(ctx: Context<StatementImportLinesArgs>) {
  failOnBadPageToken(ctx);
  failOnDataSourceError(ctx);
  return { items: ctx.result.items, nextToken: ctx.result.nextToken || null };
}
