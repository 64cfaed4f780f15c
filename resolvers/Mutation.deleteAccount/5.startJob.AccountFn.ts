// AccountFn deletes the account (functions/account/deletion.ts), in the background.
export { request, response } from '../lib/job-start-step';
