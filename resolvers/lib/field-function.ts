import type { Context } from '@aws-appsync/utils';
import { fieldFunctionResult, invokeFieldFunction } from './lambda';

/** A field served whole by a Lambda data source: the field call out, its typed result or error back. */
export function request(ctx: Context) {
  return invokeFieldFunction(ctx);
}

export function response(ctx: Context) {
  return fieldFunctionResult(ctx);
}
