// The budget as it now stands is evaluated, asynchronously: one already past a threshold alerts at once.
export { request, response } from '../lib/budget-reevaluation';
