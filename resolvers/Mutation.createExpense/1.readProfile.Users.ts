// The profile, for the default currency.
export { request, response } from '../lib/profile-for-currency';
