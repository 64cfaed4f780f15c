import type { Context } from '@aws-appsync/utils';
import { fieldFunctionResult, invokeFieldFunction } from './lib/lambda';

// A fresh 15-minute link at each read, for the archive's owner only, while the archive is kept.
export function request(ctx: Context) {
  return invokeFieldFunction(ctx);
}

export function response(ctx: Context) {
  return fieldFunctionResult(ctx);
}
