// Each user receives only the sharing events addressed to them.
export { request, response } from './lib/owner-subscription';
