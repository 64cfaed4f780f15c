/**
 * How large a receipt `uploadReceipt` can carry inline. The image travels base64-encoded (4
 * characters per 3 bytes) in the request AppSync hands to ReceiptFn, and a synchronous Lambda
 * invocation takes at most 6,291,456 bytes of payload ("Request must be smaller than 6291456
 * bytes for the InvokeFunction operation"; Lambda quotas: 6 MB invocation payload, synchronous).
 * Shared by the resolver, which refuses a larger image before invoking, and by the function,
 * which also applies the configured MAX_RECEIPT_BYTES (the inline limit is the smaller of the two).
 */
export const LAMBDA_SYNC_PAYLOAD_BYTES = 6291456;

/** Room for the rest of the field call around the image (resolvers/lib/lambda.ts): names, ids, file name. */
const FIELD_CALL_ENVELOPE_BYTES = 65536;

/** Base64 characters of the largest image that fits in one invocation. */
export const INLINE_MAX_BASE64_CHARS = LAMBDA_SYNC_PAYLOAD_BYTES - FIELD_CALL_ENVELOPE_BYTES;

/** The largest image (decoded bytes) the inline path can carry: 4,669,440 bytes. */
export const INLINE_TRANSPORT_MAX_BYTES = Math.floor(INLINE_MAX_BASE64_CHARS / 4) * 3;

/** Decoded size of a base64 text of `length` characters (padding ignored; a close upper bound). */
export function decodedSizeOf(length: number): number {
  return Math.floor((length * 3) / 4);
}
