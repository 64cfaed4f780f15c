// The split in the expense's history (resolvers/lib/history.ts): `splits` before and after.
export { request, response } from '../lib/record-change-step';
