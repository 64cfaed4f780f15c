import { util, type Context } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import type { MutationImportStatementArgs } from '../../generated/graphql';
import { IMPORT_PENDING, statementImportOf, type StatementImportItem } from '../../model/statements';
import { callerId, failOnDataSourceError } from '../lib/errors';

// A fresh ULID per call: a retried mutation is a new import, which takes no line an earlier one took.
export function request(ctx: Context<MutationImportStatementArgs>) {
  const input = ctx.args.input;
  const now = util.time.nowISO8601();
  const item: StatementImportItem = {
    user_id: callerId(ctx),
    import_key: util.autoUlid(),
    status: 'PENDING',
    uploadId: input.uploadId,
    fileName: (ctx.stash.upload as { fileName?: string }).fileName || null,
    request: {
      format: input.format || null,
      csv: input.csv || null,
      currency: input.currency || null,
      account: input.account || null,
      matchWindowDays: input.matchWindowDays === undefined ? null : input.matchWindowDays,
    },
    createdAt: now,
    updatedAt: now,
    // In the sweep's index until it finishes: a start that is lost is made again (model/statements.ts).
    pending: IMPORT_PENDING,
    attempts: 0,
  };
  ctx.stash.statementImport = item;
  const { user_id, import_key, ...attributes } = item;
  return put<Record<string, unknown>>({
    key: { user_id, import_key },
    item: attributes,
    condition: { import_key: { attributeExists: false } },
  });
}

export function response(ctx: Context<MutationImportStatementArgs>) {
  failOnDataSourceError(ctx);
  return statementImportOf(ctx.stash.statementImport as StatementImportItem);
}
