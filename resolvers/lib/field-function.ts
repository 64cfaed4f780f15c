import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { FieldAnswer } from '../../model/function-calls';
import type { CorrelationStash } from './correlation';
import { fieldFunctionResult, invokeFieldFunction } from './lambda';

/**
 * A field served whole by a Lambda data source: the field call out, its typed result or error
 * back. Arguments, parent and result pass through as they are: the function types them from
 * the schema, field by field (functions/shared/field-call.ts `FieldHandlers`).
 */
type PassThroughContext = Context<
  Record<string, unknown>,
  CorrelationStash,
  undefined,
  Record<string, unknown> | undefined,
  FieldAnswer<unknown> | null
>;

export function request(ctx: PassThroughContext): LambdaRequest {
  return invokeFieldFunction(ctx);
}

export function response(ctx: PassThroughContext): unknown {
  return fieldFunctionResult(ctx);
}
