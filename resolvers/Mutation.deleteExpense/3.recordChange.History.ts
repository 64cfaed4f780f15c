// The expense's change in its history (resolvers/lib/history.ts).
export { request, response } from '../lib/record-change-step';
