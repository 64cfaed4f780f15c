// Reads an uploaded statement without importing it: StatementFn (functions/statements).
export { request, response } from './lib/field-function';
