// Budgets the new expense touches are re-evaluated (alerts), asynchronously.
export { request, response } from '../lib/budget-evaluation';
