import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { MutationImportStatementArgs } from '../../generated/graphql';
import { uploadsPartition } from '../../model/statements';
import { callerId, failOnDataSourceError, notFound } from '../lib/errors';

// The upload, in the caller's own partition: another user's upload id is NotFound, like a missing one.
export function request(ctx: Context<MutationImportStatementArgs>) {
  return get({ key: { user_id: uploadsPartition(callerId(ctx)), import_key: ctx.args.input.uploadId } });
}

export function response(ctx: Context<MutationImportStatementArgs>) {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Statement upload', ctx.args.input.uploadId);
  ctx.stash.upload = ctx.result;
  return ctx.result;
}
