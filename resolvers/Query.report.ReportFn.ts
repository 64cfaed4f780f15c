// Reports read many pages, render charts and write to S3: served by ReportFn (functions/report).
export { request, response } from './lib/field-function';
