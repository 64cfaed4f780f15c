// AccountFn zips the account's data into the bucket (functions/account/export.ts), in the background.
export { request, response } from '../lib/job-start-step';
