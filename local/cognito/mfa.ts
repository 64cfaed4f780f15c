import { randomBytes } from 'node:crypto';
import type { PoolContext } from './context.ts';
import { CognitoError, invalidParameter, notAuthorized } from './errors.ts';
import { lockoutKey, type Lockout } from './lockout.ts';
import type { Requests } from './requests.ts';
import type { StoredUser } from './state.ts';
import type { Tokens } from './tokens.ts';
import { newTotpSecret, totpMatches } from './totp.ts';

/**
 * Optional software token (TOTP) MFA, as infra/constructs/auth.ts configures the pool (mfa
 * OPTIONAL, otp only): set-up with an access token (AssociateSoftwareToken,
 * VerifySoftwareToken, SetUserMFAPreference), then every sign-in of a user who turned it on
 * answers the SOFTWARE_TOKEN_MFA challenge. A wrong code counts toward the sign-in lockout
 * like a wrong password; during a lockout the challenge's session is spent.
 */
const SESSION_LIFETIME_MS = 3 * 60 * 1000;

export function createMfa(context: PoolContext, deps: { tokens: Tokens; lockout: Lockout }) {
  const { state, now } = context;
  const { tokens, lockout } = deps;
  /** Sign-ins waiting for their code, by Session. */
  const pending = new Map<string, { sub: string; expiresAt: number }>();

  return {
    /** The end of a successful first factor: tokens, or the SOFTWARE_TOKEN_MFA challenge for a user who turned TOTP on. */
    async signedIn(user: StoredUser) {
      if (!user.totp?.enabled) {
        lockout.succeeded(lockoutKey(user, user.sub));
        return tokens.issue(user, tokens.newSession(), true);
      }
      for (const [key, waiting] of pending) if (waiting.expiresAt < now()) pending.delete(key);
      const Session = randomBytes(96).toString('base64url');
      pending.set(Session, { sub: user.sub, expiresAt: now() + SESSION_LIFETIME_MS });
      return { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session, ChallengeParameters: { USER_ID_FOR_SRP: user.sub } };
    },

    async answer(input: Requests['RespondToAuthChallenge']) {
      const session = input.Session;
      const waiting = session === undefined ? undefined : pending.get(session);
      const user = waiting && waiting.expiresAt >= now() ? state.users.get(waiting.sub) : undefined;
      if (!user) throw notAuthorized('Invalid session for the user, session is expired.');
      const key = lockoutKey(user, user.sub);
      try {
        lockout.checkNotLocked(key);
      } catch (error) {
        pending.delete(session!);
        throw error;
      }
      if (
        !user.totp?.secret ||
        !totpMatches(user.totp.secret, input.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE, now())
      ) {
        lockout.failed(key);
        throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
      }
      pending.delete(session!);
      lockout.succeeded(key);
      return tokens.issue(user, tokens.newSession(), true);
    },

    operations: {
      async AssociateSoftwareToken(input: Requests['AssociateSoftwareToken']) {
        if (input.Session !== undefined)
          throw invalidParameter('MFA is optional in this pool: set up software tokens with an access token.');
        const user = await tokens.userOf(input.AccessToken);
        const SecretCode = newTotpSecret();
        user.totp = { ...user.totp, enabled: user.totp?.enabled ?? false, pendingSecret: SecretCode };
        await state.save();
        return { SecretCode };
      },
      async VerifySoftwareToken(input: Requests['VerifySoftwareToken']) {
        const user = await tokens.userOf(input.AccessToken);
        const secret = user.totp?.pendingSecret;
        if (!secret) throw invalidParameter('User has not associated a software token.');
        if (!totpMatches(secret, input.UserCode, now()))
          throw new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
        user.totp = { enabled: user.totp?.enabled ?? false, secret };
        await state.save();
        return { Status: 'SUCCESS' };
      },
      async SetUserMFAPreference(input: Requests['SetUserMFAPreference']) {
        const user = await tokens.userOf(input.AccessToken);
        if (input.SMSMfaSettings?.Enabled || input.EmailMfaSettings?.Enabled)
          throw invalidParameter('Only software token MFA is enabled for this user pool.');
        const enabled = input.SoftwareTokenMfaSettings?.Enabled;
        if (enabled !== undefined) {
          if (enabled && !user.totp?.secret) throw invalidParameter('User has not verified software token mfa');
          user.totp = { ...user.totp, enabled };
          await state.save();
        }
        return {};
      },
    },
  };
}

export type Mfa = ReturnType<typeof createMfa>;
