// Each user receives only the events of their own budgets.
export { request, response } from './lib/owner-subscription';
