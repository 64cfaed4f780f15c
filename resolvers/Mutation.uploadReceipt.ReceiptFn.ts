import { util, type Context, type LambdaRequest } from '@aws-appsync/utils';
import type { MutationUploadReceiptArgs } from '../generated/graphql';
import type { FieldAnswer } from '../model/function-calls';
import { decodedSizeOf, INLINE_MAX_BASE64_CHARS, INLINE_TRANSPORT_MAX_BYTES } from '../model/inline-upload';
import type { ReceiptObject } from '../model/receipts';
import type { CorrelationStash } from './lib/correlation';
import { fieldFunctionResult, invokeFieldFunction } from './lib/lambda';

type UploadReceiptContext = Context<
  MutationUploadReceiptArgs,
  CorrelationStash,
  undefined,
  undefined,
  FieldAnswer<ReceiptObject | null> | null
>;

// Needs S3 (object writes): served by ReceiptFn (functions/receipts). An image too large for
// the Lambda invocation is refused here, typed, instead of failing the invoke.
export function request(ctx: UploadReceiptContext): LambdaRequest {
  const image = ctx.args.input && ctx.args.input.image;
  if (typeof image === 'string' && image.length > INLINE_MAX_BASE64_CHARS) {
    const size = decodedSizeOf(image.length);
    util.error(
      `The image is about ${size} bytes; inline uploads carry at most ${INLINE_TRANSPORT_MAX_BYTES} bytes. Upload it with createReceiptUpload (a presigned S3 PUT) instead.`,
      'LimitExceeded',
      null,
      { field: 'image', limit: INLINE_TRANSPORT_MAX_BYTES, size, uploadWith: 'createReceiptUpload' },
    );
  }
  return invokeFieldFunction(ctx);
}

export function response(ctx: UploadReceiptContext): ReceiptObject | null {
  return fieldFunctionResult(ctx);
}
