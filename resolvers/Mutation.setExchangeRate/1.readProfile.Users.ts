// The profile: its home currency is what the rate is against.
export { request, response } from '../lib/profile-for-currency';
