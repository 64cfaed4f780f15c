// The address and its senders: ForwardingFn (functions/forwarding).
export { request, response } from './lib/field-function';
