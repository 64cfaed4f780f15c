import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCognitoTokenVerifier, TokenVerificationError } from '../../../../local/auth/verify-token.ts';

const ISSUER = 'http://127.0.0.1:4000/cognito/us-east-1_LocalPool1';
const CLIENT = 'client-a';
type Key = Awaited<ReturnType<typeof generateKeyPair>>;
let poolKey: Key;
let otherKey: Key;
let verify: ReturnType<typeof createCognitoTokenVerifier>;
const revokedSessions = new Set<string>();

const now = () => Math.floor(Date.now() / 1000);
const accessClaims = (over: JWTPayload = {}): JWTPayload => ({
  sub: 'user-1',
  iss: ISSUER,
  token_use: 'access',
  client_id: CLIENT,
  username: 'user-1',
  origin_jti: 'session-1',
  jti: 'j1',
  scope: 'aws.cognito.signin.user.admin',
  auth_time: now(),
  iat: now(),
  exp: now() + 3600,
  ...over,
});
const idClaims = (over: JWTPayload = {}): JWTPayload => ({
  sub: 'user-1',
  iss: ISSUER,
  aud: CLIENT,
  token_use: 'id',
  'cognito:username': 'user-1',
  email: 'a@example.com',
  origin_jti: 'session-1',
  iat: now(),
  exp: now() + 3600,
  ...over,
});
const sign = (claims: JWTPayload, key: Key = poolKey, kid = 'pool-key') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key.privateKey);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function rejection(token: Promise<string> | string) {
  const error = await verify(await token, ['1.2.3.4']).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenVerificationError);
  return (error as TokenVerificationError).reason;
}

beforeAll(async () => {
  poolKey = await generateKeyPair('RS256');
  otherKey = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(poolKey.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' }] };
  verify = createCognitoTokenVerifier({
    issuer: ISSUER,
    jwks,
    clientId: CLIENT,
    isRevoked: (claims) => revokedSessions.has(String(claims.origin_jti)),
  });
});

describe('createCognitoTokenVerifier', () => {
  it('given a valid access token, when verified, then it returns the AppSync identity', async () => {
    const identity = await verify(await sign(accessClaims({ 'cognito:groups': ['admins'] })), ['1.2.3.4']);
    expect(identity).toMatchObject({
      sub: 'user-1',
      issuer: ISSUER,
      username: 'user-1',
      sourceIp: ['1.2.3.4'],
      defaultAuthStrategy: 'ALLOW',
      groups: ['admins'],
    });
    expect(identity.claims.token_use).toBe('access');
  });

  it('given a valid id token, when verified, then the username is cognito:username and groups null', async () => {
    const identity = await verify(await sign(idClaims({ 'cognito:username': 'u-from-id' })));
    expect(identity).toMatchObject({ username: 'u-from-id', groups: null });
  });

  it('given an expired token, then it is rejected as expired', async () => {
    expect(await rejection(sign(accessClaims({ iat: now() - 7200, exp: now() - 3600 })))).toBe('expired');
  });

  it('given a tampered payload, then the signature check fails', async () => {
    const [header, , signature] = (await sign(accessClaims())).split('.');
    expect(await rejection(`${header}.${b64(accessClaims({ sub: 'someone-else' }))}.${signature}`)).toBe('signature');
  });

  it('given a token signed by another key under the same kid, then the signature check fails', async () => {
    expect(await rejection(sign(accessClaims(), otherKey))).toBe('signature');
  });

  it('given a token from another pool, then the issuer check fails', async () => {
    expect(await rejection(sign(accessClaims({ iss: 'http://127.0.0.1:4000/cognito/us-east-1_OtherPool' })))).toBe(
      'issuer',
    );
  });

  it('given an access token of another client, then it is rejected', async () => {
    expect(await rejection(sign(accessClaims({ client_id: 'client-b' })))).toBe('client');
  });

  it('given an id token for another audience, then it is rejected', async () => {
    expect(await rejection(sign(idClaims({ aud: 'client-b' })))).toBe('client');
  });

  it('given alg none, then it is rejected', async () => {
    expect(await rejection(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(accessClaims())}.`)).toBe('malformed');
  });

  it('given HS256 signed with the public key as secret, then it is rejected', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(await exportJWK(poolKey.publicKey)));
    const token = await new SignJWT(accessClaims()).setProtectedHeader({ alg: 'HS256', kid: 'pool-key' }).sign(secret);
    expect(await rejection(token)).toBe('malformed');
  });

  it('given a token_use other than access or id (e.g. a refresh-like token), then it is rejected', async () => {
    expect(await rejection(sign(accessClaims({ token_use: 'refresh' })))).toBe('token_use');
  });

  it('given a token of a revoked session, then it is rejected as revoked', async () => {
    revokedSessions.add('session-revoked');
    expect(await rejection(sign(accessClaims({ origin_jti: 'session-revoked' })))).toBe('revoked');
  });
});

describe('what AppSync answers, and verified tokens remembered', () => {
  it.each([
    ['malformed', 'Unable to parse JWT token.'],
    ['expired', 'Token has expired.'],
    ['signature', 'Unauthorized'],
    ['issuer', 'Unauthorized'],
    ['client', 'Unauthorized'],
    ['token_use', 'Unauthorized'],
    ['revoked', 'Unauthorized'],
  ] as const)('given a %s rejection, then the message is AppSync\'s "%s"', (reason, message) => {
    expect(new TokenVerificationError(reason).message).toBe(message);
  });

  it('given a token verified once, when its session is revoked or its exp passes, then the next use is refused all the same', async () => {
    let clock = Date.now();
    const jwks = { keys: [{ ...(await exportJWK(poolKey.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' }] };
    const revoked = new Set<string>();
    const verifyAt = createCognitoTokenVerifier({
      issuer: ISSUER,
      jwks,
      clientId: CLIENT,
      isRevoked: (c) => revoked.has(String(c.origin_jti)),
      now: () => clock,
    });
    const token = await sign(accessClaims({ origin_jti: 'session-cached', exp: Math.floor(clock / 1000) + 60 }));
    expect((await verifyAt(token)).sub).toBe('user-1');
    expect((await verifyAt(token)).sub).toBe('user-1');

    revoked.add('session-cached');
    await expect(verifyAt(token)).rejects.toMatchObject({ reason: 'revoked' });
    revoked.clear();
    expect((await verifyAt(token)).sub).toBe('user-1');

    clock += 61_000;
    await expect(verifyAt(token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('given a verified identity, when a caller changes its claims, then the next call still sees the token as issued', async () => {
    const token = await sign(accessClaims({ 'cognito:groups': ['a'] }));
    const first = await verify(token);
    (first.claims as Record<string, unknown>).sub = 'someone-else';
    first.groups!.push('admins');
    const second = await verify(token);
    expect(second.claims.sub).toBe('user-1');
    expect(second.groups).toEqual(['a']);
  });
});
