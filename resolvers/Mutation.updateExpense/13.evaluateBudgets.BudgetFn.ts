// Budgets the change touches (old and new date or category) are re-evaluated, asynchronously.
export { request, response } from '../lib/budget-evaluation';
