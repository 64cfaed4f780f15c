// The expense's previous change again, in case its put was lost to a crash (resolvers/lib/history.ts).
export { request, response } from '../lib/record-previous-change-step';
