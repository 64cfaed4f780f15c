import { util, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { FieldAnswer, FieldCall } from '../../model/function-calls';
import { correlationIdOf, type CorrelationStash } from './correlation';
import { callerSub } from './errors';

/** What a field call reads of the resolver's context: the field, its arguments, the caller and the parent object. */
type FieldCallContext<Args, Source extends Record<string, unknown> | undefined> = Pick<
  Context<Args, CorrelationStash, undefined, Source>,
  'info' | 'args' | 'identity' | 'source' | 'request' | 'stash'
>;

/**
 * The one contract between resolvers and Lambda data sources (model/function-calls.ts; the
 * functions answer through functions/shared/field-call.ts): the request carries the field, the
 * arguments, the caller's `sub` and the parent object; the function answers `{ data }` or
 * `{ error: { errorType, message, errorInfo } }`, so a business error reaches the client as a
 * typed AppSync error, never a stack trace.
 */
export function invokeFieldFunction<Args, Source extends Record<string, unknown> | undefined>(
  ctx: FieldCallContext<Args, Source>,
): LambdaRequest {
  const payload: FieldCall<Args, Source> = {
    typeName: ctx.info.parentTypeName,
    fieldName: ctx.info.fieldName,
    arguments: ctx.args,
    sub: callerSub(ctx),
    source: ctx.source,
    requestId: correlationIdOf(ctx),
  };
  return { operation: 'Invoke', payload };
}

/** The field's answer from its function: the data, or the function's typed error raised for the client. */
export function fieldFunctionResult<T>(
  ctx: Pick<Context<unknown, CorrelationStash, undefined, undefined, FieldAnswer<T> | null>, 'error' | 'result'>,
): T | null {
  if (ctx.error) {
    // A crash or timeout of the function itself: no internals leak to the client.
    util.error('The request could not be completed', 'InternalError');
  }
  const answer = ctx.result;
  if (answer && answer.error) {
    util.error(answer.error.message, answer.error.errorType, null, answer.error.errorInfo || null);
  }
  return answer ? answer.data : null;
}
