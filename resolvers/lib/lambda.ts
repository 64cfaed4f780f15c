import { util, type Context, type LambdaRequest } from '@aws-appsync/utils';
import { correlationIdOf } from './correlation';

/**
 * The one contract between resolvers and Lambda data sources (see functions/shared/field-call.ts):
 * the request carries the field, the arguments, the caller's `sub` and the parent object;
 * the function answers `{ data }` or `{ error: { errorType, message, errorInfo } }`, so a
 * business error reaches the client as a typed AppSync error, never a stack trace.
 */
export function invokeFieldFunction(ctx: Context): LambdaRequest {
  return {
    operation: 'Invoke',
    payload: {
      typeName: ctx.info.parentTypeName,
      fieldName: ctx.info.fieldName,
      arguments: ctx.args,
      sub: ctx.identity && (ctx.identity as { sub?: string }).sub,
      source: ctx.source,
      requestId: correlationIdOf(ctx),
    },
  };
}

export function fieldFunctionResult(ctx: Context): unknown {
  if (ctx.error) {
    // A crash or timeout of the function itself: no internals leak to the client.
    util.error('The request could not be completed', 'InternalError');
  }
  const result = ctx.result as { data?: unknown; error?: { message: string; errorType: string; errorInfo?: unknown } } | null;
  if (result && result.error) {
    util.error(result.error.message, result.error.errorType, null, result.error.errorInfo || null);
  }
  return result ? result.data : null;
}
