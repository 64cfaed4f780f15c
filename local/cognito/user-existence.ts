import { createHash, createHmac, randomBytes } from 'node:crypto';
import { maskedEmail } from './codes.ts';
import { paddedHex, type SrpVerifier } from './srp.ts';
import type { SigningKeys } from './state.ts';

/**
 * The app client prevents user existence errors (preventUserExistenceErrors in
 * infra/constructs/auth.ts): for a user name that does not exist, confirmation and recovery
 * answer as if a code had been sent, and SRP sign-in runs a simulated first step with a salt
 * and user id stable per user name, failing only at the password proof (after the same work
 * as for a real user).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html
 */
export function createUserExistenceMask(keys: SigningKeys) {
  // Per-pool key for the simulated answers (stable across restarts).
  const existenceKey = createHash('sha256').update(String(keys.privateJwk.d)).update('user-existence').digest();
  const simulated = (purpose: string, username: string) =>
    createHmac('sha256', existenceKey).update(`${purpose}:${username.toLowerCase()}`).digest();

  return {
    codeDelivery: (username: string) => ({ CodeDeliveryDetails: maskedEmail(username.toLowerCase()) }),

    /** USER_ID_FOR_SRP for a name with no user: a UUID v4, the same each time for the same name. */
    userIdForSrp(username: string): string {
      const hex = simulated('id', username).toString('hex');
      const variant = ((parseInt(hex[16], 16) & 3) | 8).toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },

    /** An SRP verifier for a name with no user: its salt stable per name, its verifier matching no password. */
    srpVerifier: (username: string): SrpVerifier => ({
      salt: paddedHex(BigInt(`0x${simulated('salt', username).subarray(0, 16).toString('hex')}`)),
      verifier: randomBytes(383).toString('hex'),
    }),
  };
}

export type UserExistenceMask = ReturnType<typeof createUserExistenceMask>;
