import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import type { QueryListStatementImportsArgs } from '../generated/graphql';
import { statementImportOf, type StatementImportItem } from '../model/statements';
import { callerId, failOnBadPageToken, failOnDataSourceError } from './lib/errors';
import { pageLimit } from './lib/validation';

/** Newest first: the owner's own partition holds just the import summaries (ULID keys). */
export function request(ctx: Context<QueryListStatementImportsArgs>) {
  return query({
    query: { user_id: { eq: callerId(ctx) } },
    scanIndexForward: false,
    limit: pageLimit(ctx.args.limit),
    nextToken: ctx.args.nextToken,
  });
}

export function response(ctx: Context<QueryListStatementImportsArgs>) {
  failOnBadPageToken(ctx);
  failOnDataSourceError(ctx);
  return {
    items: ctx.result.items.map((item: StatementImportItem) => statementImportOf(item)),
    nextToken: ctx.result.nextToken || null,
  };
}
