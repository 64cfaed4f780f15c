import { createHash, createHmac, randomBytes, randomInt, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { passwordPolicyViolation, PASSWORD_POLICY } from './password-policy.ts';
import { createSrpVerifier, paddedHex, passwordClaimSignature, signaturesEqual, srpSessionKey, startSrpSession, type SrpServerSession } from './srp.ts';
import { newTotpSecret, totpMatches } from './totp.ts';
import { createStateFile, type CognitoState, type StoredUser } from './state.ts';

/** A Cognito error: `__type` and `message` exactly as Cognito names them. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Cognito's PostConfirmation_ConfirmSignUp Lambda trigger event. */
export interface PostConfirmationEvent {
  version: '1';
  region: string;
  userPoolId: string;
  userName: string;
  triggerSource: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword';
  callerContext: { awsSdkVersion: string; clientId: string };
  request: { userAttributes: Record<string, string> };
  response: Record<string, never>;
}

export interface UserPoolOptions {
  dataDir: string;
  /** Base URL this pool is served at; the issuer is `${endpoint}/${userPoolId}`. */
  endpoint: string;
  region?: string;
  /** Cognito's `region_id` form, e.g. us-east-1_LocalPool1. */
  userPoolId?: string;
  clientId?: string;
  sendEmail(message: EmailMessage): Promise<void>;
  onPostConfirmation?(event: PostConfirmationEvent): Promise<void>;
  now?: () => number;
}

// The app client's token validity, as infra/constructs/auth.ts sets it (1 h access and id, 30 days refresh).
const TOKEN_LIFETIME_S = 3600;
const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;
const MFA_SESSION_LIFETIME_MS = 3 * 60 * 1000;
const SIGN_UP_CODE_LIFETIME_MS = 24 * 3600 * 1000;
const FORGOT_PASSWORD_CODE_LIFETIME_MS = 3600 * 1000;
const MAX_CODE_ATTEMPTS = 5;
const SRP_SESSION_LIFETIME_MS = 3 * 60 * 1000;

const scrypt = (password: string, salt: string) => scryptSync(password, Buffer.from(salt, 'hex'), 32).toString('hex');
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const notAuthorized = (message = 'Incorrect username or password.') => new CognitoError('NotAuthorizedException', message);

/** The user pool: Cognito's operations over persisted state. Transport-free; see handler.ts. */
export async function openUserPool(options: UserPoolOptions) {
  const region = options.region ?? 'us-east-1';
  const userPoolId = options.userPoolId ?? `${region}_LocalPool1`;
  const clientId = options.clientId ?? 'localclient1234567890abcd';
  const poolName = userPoolId.split('_')[1];
  const issuer = `${options.endpoint.replace(/\/$/, '')}/${userPoolId}`;
  const now = options.now ?? Date.now;
  const file = createStateFile(options.dataDir);

  let state = await file.load();
  if (!state) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    state = {
      keys: { kid, privateJwk: await exportJWK(privateKey), publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } },
      users: {},
      refreshTokens: {},
      revokedOriginJtis: [],
    };
    await file.save(state);
  }
  const db: CognitoState = state;
  const signingKey = await importJWK(db.keys.privateJwk, 'RS256');
  const verifyingKey = await importJWK(db.keys.publicJwk, 'RS256');
  const revoked = new Set(db.revokedOriginJtis);
  /** Pending SRP sign-ins by SECRET_BLOCK; `sub` null for a simulated one (a user name that does not exist). */
  const srpSessions = new Map<string, { sub: string | null; srpA: string; server: SrpServerSession; expiresAt: number }>();
  /** Sign-ins waiting for their SOFTWARE_TOKEN_MFA code, by Session. */
  const mfaSessions = new Map<string, { sub: string; expiresAt: number }>();
  // Per-pool key for the simulated answers about user names that do not exist (stable across restarts).
  const existenceKey = createHash('sha256').update(String(db.keys.privateJwk.d)).update('user-existence').digest();
  const simulated = (purpose: string, username: string) => createHmac('sha256', existenceKey).update(`${purpose}:${username.toLowerCase()}`).digest();
  const save = () => file.save(db);

  const findByUsername = (username: string | undefined): StoredUser | undefined => {
    if (!username) return undefined;
    const lower = username.toLowerCase();
    return db.users[username] ?? Object.values(db.users).find((user) => user.email === lower);
  };
  const requireClient = (id: unknown) => {
    if (id !== clientId) throw new CognitoError('ResourceNotFoundException', `User pool client ${String(id)} does not exist.`);
  };
  const maskedEmail = (email: string) => ({ Destination: `${email[0]}***@${email.split('@')[1]?.[0] ?? ''}***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' });

  async function sendCode(user: StoredUser, purpose: 'signUp' | 'forgotPassword') {
    const value = String(randomInt(0, 1_000_000)).padStart(6, '0');
    user.code = { value, purpose, attempts: 0, expiresAt: now() + (purpose === 'signUp' ? SIGN_UP_CODE_LIFETIME_MS : FORGOT_PASSWORD_CODE_LIFETIME_MS) };
    await save();
    const subject = purpose === 'signUp' ? 'Your verification code' : 'Your password reset code';
    const line = purpose === 'signUp' ? `Your verification code is ${value}` : `Your password reset code is ${value}`;
    await options.sendEmail({ to: user.email, subject, text: `${line}\n`, html: `<p>${line}</p>` });
    return { CodeDeliveryDetails: maskedEmail(user.email) };
  }

  function checkCode(user: StoredUser, purpose: 'signUp' | 'forgotPassword', code: unknown) {
    const stored = user.code;
    if (!stored || stored.purpose !== purpose) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    if (stored.attempts >= MAX_CODE_ATTEMPTS) throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
    if (stored.expiresAt < now()) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    if (String(code) !== stored.value) {
      stored.attempts += 1;
      throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    }
    user.code = undefined;
  }

  function passwordFields(sub: string, password: string): Pick<StoredUser, 'passwordHash' | 'srp'> {
    const salt = randomBytes(16).toString('hex');
    return { passwordHash: { salt, hash: scrypt(password, salt) }, srp: createSrpVerifier(poolName, sub, password) };
  }

  function checkPolicy(password: unknown) {
    if (typeof password !== 'string') throw new CognitoError('InvalidParameterException', 'Missing required parameter PASSWORD');
    const violation = passwordPolicyViolation(password);
    if (violation) throw new CognitoError('InvalidPasswordException', violation);
  }

  async function issueTokens(user: StoredUser, session: { originJti: string; authTime: number }, withRefreshToken: boolean) {
    const iat = Math.floor(now() / 1000);
    const common = { sub: user.sub, origin_jti: session.originJti, auth_time: session.authTime, iat, exp: iat + TOKEN_LIFETIME_S };
    const sign = (payload: JWTPayload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: db.keys.kid }).sign(signingKey);
    const AccessToken = await sign({
      ...common,
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
    const result: Record<string, unknown> = { AccessToken, IdToken, ExpiresIn: TOKEN_LIFETIME_S, TokenType: 'Bearer' };
    if (withRefreshToken) {
      const RefreshToken = randomBytes(96).toString('base64url');
      db.refreshTokens[sha256(RefreshToken)] = { sub: user.sub, clientId, originJti: session.originJti, authTime: session.authTime };
      await save();
      result.RefreshToken = RefreshToken;
    }
    return { ChallengeParameters: {}, AuthenticationResult: result };
  }

  const newSession = () => ({ originJti: randomUUID(), authTime: Math.floor(now() / 1000) });

  /** The end of a successful first factor: tokens, or the SOFTWARE_TOKEN_MFA challenge for a user who turned TOTP on. */
  async function signedIn(user: StoredUser) {
    if (!user.totp?.enabled) return issueTokens(user, newSession(), true);
    for (const [key, pending] of mfaSessions) if (pending.expiresAt < now()) mfaSessions.delete(key);
    const Session = randomBytes(96).toString('base64url');
    mfaSessions.set(Session, { sub: user.sub, expiresAt: now() + MFA_SESSION_LIFETIME_MS });
    return { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session, ChallengeParameters: { USER_ID_FOR_SRP: user.sub } };
  }

  /**
   * The app client prevents user existence errors (preventUserExistenceErrors in
   * infra/constructs/auth.ts): for a user name that does not exist, confirmation and recovery
   * answer as if a code had been sent, and SRP sign-in runs a simulated first step with a salt
   * and user id stable per user name, failing only at the password proof.
   * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html
   */
  const simulatedCodeDelivery = (username: unknown) => ({ CodeDeliveryDetails: maskedEmail(String(username ?? '').toLowerCase()) });
  function simulatedUserIdForSrp(username: string): string {
    const hex = simulated('id', username).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  async function refresh(token: unknown) {
    const record = typeof token === 'string' ? db.refreshTokens[sha256(token)] : undefined;
    if (!record) throw notAuthorized('Invalid Refresh Token');
    if (revoked.has(record.originJti)) throw notAuthorized('Refresh Token has been revoked');
    // Valid for 30 days from the sign-in it came from, as the app client is configured on AWS.
    if (record.authTime * 1000 + REFRESH_TOKEN_LIFETIME_MS <= now()) throw notAuthorized('Refresh Token has expired');
    const user = db.users[record.sub];
    if (!user) throw notAuthorized('Invalid Refresh Token');
    return issueTokens(user, record, false);
  }

  /** Verifies an access token this pool issued (for GetUser / GlobalSignOut). */
  async function userFromAccessToken(token: unknown): Promise<StoredUser> {
    try {
      const { payload } = await jwtVerify(String(token), verifyingKey, { issuer, algorithms: ['RS256'] });
      if (payload.token_use !== 'access' || revoked.has(String(payload.origin_jti))) throw new Error('not usable');
      const user = db.users[String(payload.sub)];
      if (!user) throw new Error('no user');
      return user;
    } catch {
      throw notAuthorized('Invalid Access Token');
    }
  }

  async function revokeOriginJtis(originJtis: string[]) {
    for (const jti of originJtis) revoked.add(jti);
    db.revokedOriginJtis = [...revoked];
    await save();
  }

  const operations: Record<string, (input: Record<string, any>) => Promise<unknown>> = {
    async SignUp(input) {
      requireClient(input.ClientId);
      const attributes = Object.fromEntries(((input.UserAttributes ?? []) as Array<{ Name: string; Value: string }>).map((a) => [a.Name, a.Value]));
      const email = String(attributes.email ?? input.Username ?? '').toLowerCase();
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new CognitoError('InvalidParameterException', 'Invalid email address format.');
      checkPolicy(input.Password);
      if (findByUsername(email)) throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
      const sub = randomUUID();
      const at = new Date(now()).toISOString();
      const user: StoredUser = { sub, email, attributes: { ...attributes, email }, status: 'UNCONFIRMED', createdAt: at, updatedAt: at, ...passwordFields(sub, input.Password) };
      db.users[sub] = user;
      const delivery = await sendCode(user, 'signUp');
      return { UserConfirmed: false, UserSub: sub, ...delivery };
    },
    async ConfirmSignUp(input) {
      requireClient(input.ClientId);
      const user = findByUsername(input.Username);
      if (!user) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
      if (user.status === 'CONFIRMED') throw notAuthorized('User cannot be confirmed. Current status is CONFIRMED');
      try {
        checkCode(user, 'signUp', input.ConfirmationCode);
      } finally {
        await save();
      }
      user.status = 'CONFIRMED';
      user.updatedAt = new Date(now()).toISOString();
      await save();
      // As on Cognito: the user stays confirmed and the caller sees the trigger's failure.
      await options.onPostConfirmation?.({
        version: '1',
        region,
        userPoolId,
        userName: user.sub,
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: { userAttributes: { sub: user.sub, ...user.attributes, email_verified: 'true', 'cognito:user_status': 'CONFIRMED', 'cognito:email_alias': user.email } },
        response: {},
      }).catch((error: Error) => {
        throw new CognitoError('UserLambdaValidationException', `PostConfirmation failed with error ${error.message}.`);
      });
      return {};
    },
    async ResendConfirmationCode(input) {
      requireClient(input.ClientId);
      const user = findByUsername(input.Username);
      if (!user) return simulatedCodeDelivery(input.Username);
      if (user.status === 'CONFIRMED') throw new CognitoError('InvalidParameterException', 'User is already confirmed.');
      return sendCode(user, 'signUp');
    },
    async InitiateAuth(input) {
      requireClient(input.ClientId);
      const params = (input.AuthParameters ?? {}) as Record<string, string>;
      switch (input.AuthFlow) {
        case 'USER_PASSWORD_AUTH':
          return signedIn(confirmedUserChecked(params.USERNAME, params.PASSWORD));
        case 'USER_SRP_AUTH': {
          if (!params.SRP_A) throw new CognitoError('InvalidParameterException', 'Missing required parameter SRP_A');
          if (typeof params.USERNAME !== 'string' || !params.USERNAME) throw new CognitoError('InvalidParameterException', 'Missing required parameter USERNAME');
          // Unknown and unconfirmed users get the same first step as everyone: only the password proof tells.
          const user = findByUsername(params.USERNAME);
          const userId = user?.sub ?? simulatedUserIdForSrp(params.USERNAME);
          const verifier = user?.srp ?? { salt: paddedHex(BigInt(`0x${simulated('salt', params.USERNAME).subarray(0, 16).toString('hex')}`)), verifier: randomBytes(384).toString('hex') };
          const server = startSrpSession(verifier);
          // Challenges never answered would otherwise pile up in memory.
          for (const [block, pending] of srpSessions) if (pending.expiresAt < now()) srpSessions.delete(block);
          const secretBlock = randomBytes(64).toString('base64');
          srpSessions.set(secretBlock, { sub: user?.sub ?? null, srpA: params.SRP_A, server, expiresAt: now() + SRP_SESSION_LIFETIME_MS });
          return {
            ChallengeName: 'PASSWORD_VERIFIER',
            ChallengeParameters: { SALT: verifier.salt, SECRET_BLOCK: secretBlock, SRP_B: server.B, USERNAME: userId, USER_ID_FOR_SRP: userId },
          };
        }
        case 'REFRESH_TOKEN_AUTH':
        case 'REFRESH_TOKEN':
          return refresh(params.REFRESH_TOKEN);
        default:
          throw new CognitoError('InvalidParameterException', `Unsupported AuthFlow ${String(input.AuthFlow)}`);
      }
    },
    async RespondToAuthChallenge(input) {
      requireClient(input.ClientId);
      const responses = (input.ChallengeResponses ?? {}) as Record<string, string>;
      if (input.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
        const pending = typeof input.Session === 'string' ? mfaSessions.get(input.Session) : undefined;
        if (!pending || pending.expiresAt < now()) throw notAuthorized('Invalid session for the user, session is expired.');
        const user = db.users[pending.sub];
        if (!user?.totp?.secret || !totpMatches(user.totp.secret, responses.SOFTWARE_TOKEN_MFA_CODE, now())) throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
        mfaSessions.delete(input.Session);
        return issueTokens(user, newSession(), true);
      }
      if (input.ChallengeName !== 'PASSWORD_VERIFIER') throw new CognitoError('InvalidParameterException', `Unsupported ChallengeName ${String(input.ChallengeName)}`);
      const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK;
      const pending = srpSessions.get(secretBlock);
      srpSessions.delete(secretBlock);
      if (!pending || pending.expiresAt < now()) throw notAuthorized('Invalid session for the user, session is expired.');
      const user = pending.sub === null ? undefined : db.users[pending.sub];
      if (!user || (responses.USERNAME !== user.sub && findByUsername(responses.USERNAME) !== user)) throw notAuthorized();
      const key = srpSessionKey(user.srp, pending.server, pending.srpA);
      if (!key || !responses.TIMESTAMP || !responses.PASSWORD_CLAIM_SIGNATURE) throw notAuthorized();
      const expected = passwordClaimSignature(key, poolName, user.sub, secretBlock, responses.TIMESTAMP);
      if (!signaturesEqual(expected, responses.PASSWORD_CLAIM_SIGNATURE)) throw notAuthorized();
      if (user.status !== 'CONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
      return signedIn(user);
    },
    async GetTokensFromRefreshToken(input) {
      requireClient(input.ClientId);
      const { AuthenticationResult } = await refresh(input.RefreshToken);
      return { AuthenticationResult };
    },
    async ForgotPassword(input) {
      requireClient(input.ClientId);
      const user = findByUsername(input.Username);
      if (!user) return simulatedCodeDelivery(input.Username);
      return sendCode(user, 'forgotPassword');
    },
    async ConfirmForgotPassword(input) {
      requireClient(input.ClientId);
      const user = findByUsername(input.Username);
      if (!user) throw new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
      checkPolicy(input.Password);
      try {
        checkCode(user, 'forgotPassword', input.ConfirmationCode);
      } finally {
        await save();
      }
      Object.assign(user, passwordFields(user.sub, input.Password));
      user.updatedAt = new Date(now()).toISOString();
      await save();
      return {};
    },
    async GetUser(input) {
      const user = await userFromAccessToken(input.AccessToken);
      const attributes = { sub: user.sub, ...user.attributes, email_verified: String(user.status === 'CONFIRMED') };
      const mfa = user.totp?.enabled ? { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' } : {};
      return { Username: user.sub, UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })), ...mfa };
    },
    // Optional TOTP MFA, as infra/constructs/auth.ts configures the pool (mfa OPTIONAL, otp only).
    async AssociateSoftwareToken(input) {
      if (input.Session !== undefined) throw new CognitoError('InvalidParameterException', 'MFA is optional in this pool: set up software tokens with an access token.');
      const user = await userFromAccessToken(input.AccessToken);
      const SecretCode = newTotpSecret();
      user.totp = { ...user.totp, enabled: user.totp?.enabled ?? false, pendingSecret: SecretCode };
      await save();
      return { SecretCode };
    },
    async VerifySoftwareToken(input) {
      const user = await userFromAccessToken(input.AccessToken);
      const secret = user.totp?.pendingSecret;
      if (!secret) throw new CognitoError('InvalidParameterException', 'User has not associated a software token.');
      if (!totpMatches(secret, input.UserCode, now())) throw new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
      user.totp = { enabled: user.totp?.enabled ?? false, secret };
      await save();
      return { Status: 'SUCCESS' };
    },
    async SetUserMFAPreference(input) {
      const user = await userFromAccessToken(input.AccessToken);
      if (input.SMSMfaSettings?.Enabled || input.EmailMfaSettings?.Enabled) throw new CognitoError('InvalidParameterException', 'Only software token MFA is enabled for this user pool.');
      const totp = input.SoftwareTokenMfaSettings as { Enabled?: boolean; PreferredMfa?: boolean } | undefined;
      if (totp?.Enabled !== undefined) {
        if (totp.Enabled && !user.totp?.secret) throw new CognitoError('InvalidParameterException', 'User has not verified software token mfa');
        user.totp = { ...user.totp, enabled: totp.Enabled };
        await save();
      }
      return {};
    },
    async RevokeToken(input) {
      requireClient(input.ClientId);
      const record = typeof input.Token === 'string' ? db.refreshTokens[sha256(input.Token)] : undefined;
      // Cognito answers an unknown refresh token with success too (nothing to revoke).
      if (record) await revokeOriginJtis([record.originJti]);
      return {};
    },
    async GlobalSignOut(input) {
      const user = await userFromAccessToken(input.AccessToken);
      await revokeOriginJtis(Object.values(db.refreshTokens).filter((r) => r.sub === user.sub).map((r) => r.originJti));
      return {};
    },
  };

  function confirmedUserChecked(username: unknown, password: unknown): StoredUser {
    const user = findByUsername(typeof username === 'string' ? username : undefined);
    if (!user || typeof password !== 'string') throw notAuthorized();
    const actual = Buffer.from(scrypt(password, user.passwordHash.salt), 'hex');
    if (!timingSafeEqual(actual, Buffer.from(user.passwordHash.hash, 'hex'))) throw notAuthorized();
    if (user.status !== 'CONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    return user;
  }

  return {
    userPoolId,
    clientId,
    issuer,
    region,
    passwordPolicy: PASSWORD_POLICY,
    /** JWKS document served at `${issuer}/.well-known/jwks.json`. */
    jwks: (): { keys: JWK[] } => ({ keys: [db.keys.publicJwk] }),
    /** True when the token's sign-in session was ended by RevokeToken or GlobalSignOut. */
    isRevoked: (claims: JWTPayload) => typeof claims.origin_jti === 'string' && revoked.has(claims.origin_jti),
    async call(operation: string, input: Record<string, any>): Promise<unknown> {
      const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!run) throw new CognitoError('InvalidAction', `Operation ${operation} is not supported by the local Cognito stand-in.`);
      return run(input ?? {});
    },
  };
}

export type UserPool = Awaited<ReturnType<typeof openUserPool>>;
