// Budgets the deleted expense counted in are re-evaluated, asynchronously.
export { request, response } from '../lib/budget-evaluation';
