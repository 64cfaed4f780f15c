// Budgets of the categories before and after the split are re-evaluated, asynchronously.
export { request, response } from '../lib/budget-evaluation';
