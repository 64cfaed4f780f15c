// The presigned PUT of a statement file: StatementFn (functions/statements).
export { request, response } from './lib/field-function';
