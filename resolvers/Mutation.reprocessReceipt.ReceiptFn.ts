import type { Context } from '@aws-appsync/utils';
import { fieldFunctionResult, invokeFieldFunction } from './lib/lambda';

// Needs S3 (presigned URLs, object writes): served by the ReceiptFn Lambda (functions/receipts).
export function request(ctx: Context) {
  return invokeFieldFunction(ctx);
}

export function response(ctx: Context) {
  return fieldFunctionResult(ctx);
}
