// Stored reports live in S3 under the caller's prefix: served by ReportFn (functions/report).
export { request, response } from './lib/field-function';
