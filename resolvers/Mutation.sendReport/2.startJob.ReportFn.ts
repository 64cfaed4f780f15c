// ReportFn renders the charts and sends the email through SES (functions/report), in the background.
export { request, response } from '../lib/job-start-step';
