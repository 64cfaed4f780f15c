import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { invalidParameter, CognitoError } from './errors.ts';
import { passwordPolicyViolation } from './password-policy.ts';
import { createSrpVerifier, type SrpVerifier } from './srp.ts';

/**
 * Password hashes: scrypt (N = 2^14, r = 8, p = 1, 32 bytes), run on libuv's thread pool so a
 * sign-in never holds the event loop for the ~50 ms a hash takes. An unknown user name is
 * checked against a hash made at start for no one: the same work, so the time a wrong
 * password takes does not tell whether the user exists.
 */
export interface PasswordHash {
  salt: string;
  hash: string;
}

const KEY_LENGTH = 32;

const derive = (password: string, salt: string) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(salt, 'hex'), KEY_LENGTH, (error, key) => (error ? reject(error) : resolve(key))),
  );

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16).toString('hex');
  return { salt, hash: (await derive(password, salt)).toString('hex') };
}

const nobodysHash: PasswordHash = {
  salt: randomBytes(16).toString('hex'),
  hash: randomBytes(KEY_LENGTH).toString('hex'),
};

/** Whether `password` is the one `stored` was made from; false, after the same work, when there is no user. */
export async function passwordMatches(stored: PasswordHash | undefined, password: string): Promise<boolean> {
  const actual = await derive(password, (stored ?? nobodysHash).salt);
  return timingSafeEqual(actual, Buffer.from((stored ?? nobodysHash).hash, 'hex')) && stored !== undefined;
}

/** The pool's password policy, in Cognito's words. */
export function checkPasswordPolicy(password: unknown): asserts password is string {
  if (typeof password !== 'string') throw invalidParameter('Missing required parameter PASSWORD');
  const violation = passwordPolicyViolation(password);
  if (violation) throw new CognitoError('InvalidPasswordException', violation);
}

/** What the pool keeps of a password: its scrypt hash (USER_PASSWORD_AUTH) and SRP verifier (USER_SRP_AUTH). */
export async function passwordCredentials(
  poolName: string,
  sub: string,
  password: string,
): Promise<{ passwordHash: PasswordHash; srp: SrpVerifier }> {
  return { passwordHash: await hashPassword(password), srp: createSrpVerifier(poolName, sub, password) };
}
