import { notAuthorized } from './errors.ts';

/**
 * Cognito's lockout for failed sign-in attempts (wrong passwords, SRP proofs and MFA codes):
 * after five failures the user is locked out for 1 s, doubling with each further failure up
 * to about 15 minutes (2^(n-5) s for n failures). An attempt during a lockout, even with the
 * right password, gets `NotAuthorizedException: Password attempts exceeded` and does not
 * lengthen later lockouts. The count starts again after a complete sign-in, or when no
 * attempt came for 15 minutes.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior
 *
 * Unknown user names are counted the same way (by name), so a lockout does not tell whether
 * a user exists. Kept in memory: a restart lifts lockouts.
 */
const FREE_FAILURES = 5;
const MAX_LOCKOUT_MS = 15 * 60 * 1000;
const IDLE_RESET_MS = 15 * 60 * 1000;
/** Beyond this many names tracked, those idle for 15 minutes are dropped (guessing at random names costs no memory). */
const PRUNE_ABOVE = 10_000;

interface Attempts {
  failures: number;
  lockedUntil: number;
  lastAttemptAt: number;
}

export type Lockout = ReturnType<typeof createLockout>;

export function createLockout(now: () => number) {
  const byKey = new Map<string, Attempts>();

  function current(key: string): Attempts | undefined {
    const attempts = byKey.get(key);
    if (attempts && attempts.lastAttemptAt + IDLE_RESET_MS <= now()) {
      byKey.delete(key);
      return undefined;
    }
    return attempts;
  }

  function prune() {
    if (byKey.size <= PRUNE_ABOVE) return;
    for (const [key, attempts] of byKey) if (attempts.lastAttemptAt + IDLE_RESET_MS <= now()) byKey.delete(key);
  }

  return {
    /** Before a password, proof or code is looked at: refused while the key is locked out. */
    checkNotLocked(key: string): void {
      const attempts = current(key);
      if (!attempts) return;
      attempts.lastAttemptAt = now();
      if (attempts.lockedUntil > now()) throw notAuthorized('Password attempts exceeded');
    },
    failed(key: string): void {
      const attempts = current(key) ?? { failures: 0, lockedUntil: 0, lastAttemptAt: 0 };
      attempts.failures += 1;
      attempts.lastAttemptAt = now();
      if (attempts.failures >= FREE_FAILURES)
        attempts.lockedUntil = now() + Math.min(2 ** (attempts.failures - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS);
      byKey.set(key, attempts);
      prune();
    },
    succeeded(key: string): void {
      byKey.delete(key);
    },
  };
}

/** The lockout key of a sign-in: the user's sub, or the name given when there is no such user. */
export const lockoutKey = (user: { sub: string } | undefined, username: string) =>
  user ? `sub:${user.sub}` : `name:${username.toLowerCase()}`;
