// Spending is summed from the expenses by BudgetFn (functions/budgets), so it can never drift.
export { request, response } from './lib/field-function';
