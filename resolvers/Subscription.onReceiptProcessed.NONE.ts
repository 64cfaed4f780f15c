// Each user receives only the events of their own receipts.
export { request, response } from './lib/owner-subscription';
