import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { QueryStatementImportArgs } from '../generated/graphql';
import { statementImportOf, type StatementImportItem } from '../model/statements';
import { callerId, failOnDataSourceError, notFound } from './lib/errors';

export function request(ctx: Context<QueryStatementImportArgs>) {
  return get({ key: { user_id: callerId(ctx), import_key: ctx.args.id } });
}

export function response(ctx: Context<QueryStatementImportArgs>) {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Statement import', ctx.args.id);
  return statementImportOf(ctx.result as StatementImportItem);
}
