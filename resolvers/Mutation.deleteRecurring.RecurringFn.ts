// Recurring charges: RecurringFn (functions/recurring).
export { request, response } from './lib/field-function';
