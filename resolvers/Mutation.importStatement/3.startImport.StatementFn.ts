import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { MutationImportStatementArgs } from '../../generated/graphql';
import type { StatementImportItem } from '../../model/statements';
import { correlationIdOf } from '../lib/correlation';

// StatementFn runs the import in the background (Lambda Event): a statement of thousands of lines outlasts AppSync's 30 s.
export function request(ctx: Context<MutationImportStatementArgs>): LambdaRequest {
  const item = ctx.stash.statementImport as StatementImportItem;
  return {
    operation: 'Invoke',
    invocationType: 'Event',
    payload: {
      action: 'runImport',
      owner: item.user_id,
      importId: item.import_key,
      correlationId: correlationIdOf(ctx),
    },
  };
}

// A start that was not accepted leaves the import PENDING: the job sweep starts it (functions/statements/core.ts sweepImports).
export function response(ctx: Context<MutationImportStatementArgs>) {
  if (ctx.error) console.error('import start not accepted', ctx.error.message);
  return ctx.prev.result;
}
