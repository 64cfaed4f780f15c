import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { notAuthorized } from './errors.ts';
import type { Requests } from './requests.ts';
import type { PoolState, SigningKeys, StoredUser } from './state.ts';

/**
 * Tokens and sessions: RS256 access and id tokens shaped like Cognito's, opaque refresh
 * tokens (kept as their sha256), and revocation. A sign-in starts a session (`origin_jti`,
 * carried by every token it yields and by refreshes); RevokeToken ends one session,
 * GlobalSignOut and a password reset end all of the user's. Listeners hear of every ending,
 * so the real-time server can close what the session opened.
 */

// The app client's token validity, as infra/constructs/auth.ts sets it (1 h access and id, 30 days refresh).
export const TOKEN_LIFETIME_S = 3600;
const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export interface Session {
  originJti: string;
  authTime: number;
}

export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return {
    kid,
    privateJwk: await exportJWK(privateKey),
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export async function createTokens(deps: { state: PoolState; issuer: string; clientId: string; now: () => number }) {
  const { state, issuer, clientId, now } = deps;
  const signingKey = await importJWK(state.keys.privateJwk, 'RS256');
  const verifyingKey = await importJWK(state.keys.publicJwk, 'RS256');
  const listeners = new Set<() => void>();
  const sign = (payload: JWTPayload) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: state.keys.kid }).sign(signingKey);

  async function issue(user: StoredUser, session: Session, withRefreshToken: boolean) {
    const iat = Math.floor(now() / 1000);
    const common = { sub: user.sub, origin_jti: session.originJti, auth_time: session.authTime, iat };
    const AccessToken = await sign({
      ...common,
      exp: iat + TOKEN_LIFETIME_S,
      iss: issuer,
      token_use: 'access',
      client_id: clientId,
      username: user.sub,
      jti: randomUUID(),
      event_id: randomUUID(),
      scope: 'aws.cognito.signin.user.admin',
    });
    const IdToken = await sign({
      ...common,
      exp: iat + TOKEN_LIFETIME_S,
      iss: issuer,
      aud: clientId,
      'cognito:username': user.sub,
      email: user.email,
      email_verified: user.status === 'CONFIRMED',
      ...(user.attributes.name ? { name: user.attributes.name } : {}),
      token_use: 'id',
      jti: randomUUID(),
      event_id: randomUUID(),
    });
    const result: {
      AccessToken: string;
      IdToken: string;
      ExpiresIn: number;
      TokenType: string;
      RefreshToken?: string;
    } = { AccessToken, IdToken, ExpiresIn: TOKEN_LIFETIME_S, TokenType: 'Bearer' };
    if (withRefreshToken) {
      const RefreshToken = randomBytes(96).toString('base64url');
      state.refreshTokens.set(sha256(RefreshToken), { sub: user.sub, clientId, ...session });
      await state.save();
      result.RefreshToken = RefreshToken;
    }
    return { ChallengeParameters: {}, AuthenticationResult: result };
  }

  async function endSessions(originJtis: Iterable<string>) {
    for (const jti of originJtis) state.revokedOriginJtis.add(jti);
    await state.save();
    for (const listener of listeners) listener();
  }

  /** The user an access token of this pool belongs to, while its session lasts (GetUser, MFA set-up, GlobalSignOut). */
  async function userOf(accessToken: string | undefined): Promise<StoredUser> {
    try {
      const { payload } = await jwtVerify(String(accessToken), verifyingKey, {
        issuer,
        algorithms: ['RS256'],
        currentDate: new Date(now()),
      });
      if (payload.token_use !== 'access' || isRevoked(payload)) throw new Error('not usable');
      const user = state.users.get(String(payload.sub));
      if (!user) throw new Error('no user');
      return user;
    } catch {
      throw notAuthorized('Invalid Access Token');
    }
  }

  /** Ends every session of the user: GlobalSignOut and a password reset. */
  const endSessionsOf = (sub: string) =>
    endSessions([...state.refreshTokens.values()].filter((r) => r.sub === sub).map((r) => r.originJti));

  const isRevoked = (claims: JWTPayload) =>
    typeof claims.origin_jti === 'string' && state.revokedOriginJtis.has(claims.origin_jti);

  return {
    issue,
    userOf,
    isRevoked,
    newSession: (): Session => ({ originJti: randomUUID(), authTime: Math.floor(now() / 1000) }),

    async refresh(token: string) {
      const record = state.refreshTokens.get(sha256(token));
      if (!record) throw notAuthorized('Invalid Refresh Token');
      if (state.revokedOriginJtis.has(record.originJti)) throw notAuthorized('Refresh Token has been revoked');
      // Valid for 30 days from the sign-in it came from, as the app client is configured on AWS.
      if (record.authTime * 1000 + REFRESH_TOKEN_LIFETIME_MS <= now()) throw notAuthorized('Refresh Token has expired');
      const user = state.users.get(record.sub);
      if (!user) throw notAuthorized('Invalid Refresh Token');
      if (user.enabled === false) throw notAuthorized('User is disabled.');
      return issue(user, record, false);
    },

    endSessionsOf,

    /** Called after any session ends (RevokeToken, GlobalSignOut, a password reset). */
    onSessionsEnded(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    jwks: (): { keys: JWK[] } => ({ keys: [state.keys.publicJwk] }),

    operations: {
      async RevokeToken(input: Requests['RevokeToken']) {
        const record = state.refreshTokens.get(sha256(input.Token!));
        // Cognito answers an unknown refresh token with success too (nothing to revoke).
        if (record) await endSessions([record.originJti]);
        return {};
      },
      async GlobalSignOut(input: Requests['GlobalSignOut']) {
        await endSessionsOf((await userOf(input.AccessToken)).sub);
        return {};
      },
      async GetUser(input: Requests['GetUser']): Promise<GetUserResponse> {
        const user = await userOf(input.AccessToken);
        const attributes = { sub: user.sub, ...user.attributes, email_verified: String(user.status === 'CONFIRMED') };
        const mfa = user.totp?.enabled
          ? { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' }
          : {};
        return {
          Username: user.sub,
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
          ...mfa,
        };
      },
    },
  };
}

export type Tokens = Awaited<ReturnType<typeof createTokens>>;
