// Shared expenses and balances: SharingFn (functions/sharing).
export { request, response } from './lib/field-function';
