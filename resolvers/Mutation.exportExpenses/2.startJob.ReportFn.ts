// ReportFn writes the CSV to S3 (functions/report), in the background.
export { request, response } from '../lib/job-start-step';
