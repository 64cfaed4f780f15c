import { randomBytes } from 'node:crypto';
import { requireClient, type PoolContext } from './context.ts';
import { CognitoError, invalidParameter, notAuthorized } from './errors.ts';
import { lockoutKey, type Lockout } from './lockout.ts';
import type { Mfa } from './mfa.ts';
import { passwordMatches } from './passwords.ts';
import type { Requests } from './requests.ts';
import {
  passwordClaimSignature,
  signaturesEqual,
  srpSessionKey,
  startSrpSession,
  type SrpServerSession,
  type SrpVerifier,
} from './srp.ts';
import type { Tokens } from './tokens.ts';
import type { UserExistenceMask } from './user-existence.ts';

/**
 * Sign-in: USER_PASSWORD_AUTH, USER_SRP_AUTH (InitiateAuth, then the PASSWORD_VERIFIER
 * challenge, as Amplify signs in), the SOFTWARE_TOKEN_MFA challenge (mfa.ts) and refreshes.
 * Every password and proof goes through the lockout first, and an unknown user name costs
 * the same work as a real one, so neither a refusal nor its timing tells whether it exists.
 */
const SRP_SESSION_LIFETIME_MS = 3 * 60 * 1000;
/** SRP first steps waiting for their proof; past this many the oldest are dropped (memory stays bounded). */
const MAX_PENDING_SRP = 10_000;
/** A is below N, a 3072-bit number: at most 768 hex digits, a little more with padding. */
const SRP_A = /^[0-9a-fA-F]{1,1024}$/;

interface PendingSrp {
  /** The user's sub, or null for a simulated sign-in (a user name that does not exist). */
  sub: string | null;
  userIdForSrp: string;
  lockKey: string;
  verifier: SrpVerifier;
  srpA: string;
  server: SrpServerSession;
  expiresAt: number;
}

export function createAuthFlows(
  context: PoolContext,
  deps: { tokens: Tokens; mfa: Mfa; lockout: Lockout; existence: UserExistenceMask },
) {
  const { state, now } = context;
  const { tokens, mfa, lockout, existence } = deps;
  /** Pending SRP sign-ins by SECRET_BLOCK. */
  const srpSessions = new Map<string, PendingSrp>();

  async function passwordAuth(username: string | undefined, password: string | undefined) {
    if (typeof username !== 'string' || typeof password !== 'string') throw notAuthorized();
    const user = state.findUser(username);
    const key = lockoutKey(user, username);
    lockout.checkNotLocked(key);
    if (!(await passwordMatches(user?.passwordHash, password)) || !user) {
      lockout.failed(key);
      throw notAuthorized();
    }
    if (user.status !== 'CONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    if (user.enabled === false) throw notAuthorized('User is disabled.');
    return mfa.signedIn(user);
  }

  function srpFirstStep(username: string | undefined, srpA: string | undefined) {
    if (!srpA) throw invalidParameter('Missing required parameter SRP_A');
    if (!SRP_A.test(srpA)) throw invalidParameter('SRP_A is not a hexadecimal number.');
    if (!username) throw invalidParameter('Missing required parameter USERNAME');
    // Unknown and unconfirmed users get the same first step as everyone: only the password proof tells.
    const user = state.findUser(username);
    const userIdForSrp = user?.sub ?? existence.userIdForSrp(username);
    const verifier = user?.srp ?? existence.srpVerifier(username);
    const server = startSrpSession(verifier);
    // Challenges never answered would otherwise pile up in memory.
    for (const [block, waiting] of srpSessions) if (waiting.expiresAt < now()) srpSessions.delete(block);
    while (srpSessions.size >= MAX_PENDING_SRP) srpSessions.delete(srpSessions.keys().next().value!);
    const secretBlock = randomBytes(64).toString('base64');
    srpSessions.set(secretBlock, {
      sub: user?.sub ?? null,
      userIdForSrp,
      lockKey: lockoutKey(user, username),
      verifier,
      srpA,
      server,
      expiresAt: now() + SRP_SESSION_LIFETIME_MS,
    });
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: verifier.salt,
        SECRET_BLOCK: secretBlock,
        SRP_B: server.B,
        USERNAME: userIdForSrp,
        USER_ID_FOR_SRP: userIdForSrp,
      },
    };
  }

  async function passwordVerifier(responses: Record<string, string>) {
    const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK;
    const pending = secretBlock === undefined ? undefined : srpSessions.get(secretBlock);
    if (pending) srpSessions.delete(secretBlock!);
    if (!pending || pending.expiresAt < now()) throw notAuthorized('Invalid session for the user, session is expired.');
    lockout.checkNotLocked(pending.lockKey);
    const user = pending.sub === null ? undefined : state.users.get(pending.sub);
    const named =
      user !== undefined && (responses.USERNAME === user.sub || state.findUser(responses.USERNAME) === user);
    // The proof is checked for simulated sign-ins too: the same work whether the user exists or not.
    const key = srpSessionKey(pending.verifier, pending.server, pending.srpA);
    const expected =
      key &&
      passwordClaimSignature(key, context.poolName, pending.userIdForSrp, secretBlock, responses.TIMESTAMP ?? '');
    const proven =
      expected !== undefined &&
      typeof responses.PASSWORD_CLAIM_SIGNATURE === 'string' &&
      signaturesEqual(expected, responses.PASSWORD_CLAIM_SIGNATURE);
    if (!proven || !named || !user) {
      lockout.failed(pending.lockKey);
      throw notAuthorized();
    }
    if (user.status !== 'CONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    if (user.enabled === false) throw notAuthorized('User is disabled.');
    return mfa.signedIn(user);
  }

  return {
    async InitiateAuth(input: Requests['InitiateAuth']) {
      requireClient(context, input.ClientId);
      const params = input.AuthParameters ?? {};
      switch (input.AuthFlow) {
        case 'USER_PASSWORD_AUTH':
          return passwordAuth(params.USERNAME, params.PASSWORD);
        case 'USER_SRP_AUTH':
          return srpFirstStep(params.USERNAME, params.SRP_A);
        case 'REFRESH_TOKEN_AUTH':
        case 'REFRESH_TOKEN':
          if (typeof params.REFRESH_TOKEN !== 'string') throw notAuthorized('Invalid Refresh Token');
          return tokens.refresh(params.REFRESH_TOKEN);
        default:
          throw invalidParameter(`Unsupported AuthFlow ${input.AuthFlow}`);
      }
    },

    async RespondToAuthChallenge(input: Requests['RespondToAuthChallenge']) {
      requireClient(context, input.ClientId);
      if (input.ChallengeName === 'SOFTWARE_TOKEN_MFA') return mfa.answer(input);
      if (input.ChallengeName !== 'PASSWORD_VERIFIER')
        throw invalidParameter(`Unsupported ChallengeName ${input.ChallengeName}`);
      return passwordVerifier(input.ChallengeResponses ?? {});
    },

    async GetTokensFromRefreshToken(input: Requests['GetTokensFromRefreshToken']) {
      requireClient(context, input.ClientId);
      const { AuthenticationResult } = await tokens.refresh(input.RefreshToken!);
      return { AuthenticationResult };
    },
  };
}
