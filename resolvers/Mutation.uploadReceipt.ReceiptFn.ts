// Needs S3 (presigned URLs, object writes): served by ReceiptFn (functions/receipts).
export { request, response } from './lib/field-function';
