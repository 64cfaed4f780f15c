// Each user receives only their own jobs.
export { request, response } from './lib/owner-subscription';
