import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';

/** `ctx.identity` for a Cognito user pool caller, as AppSync builds it. */
export interface CognitoUserPoolIdentity {
  sub: string;
  issuer: string;
  username: string;
  claims: Record<string, unknown>;
  sourceIp: string[];
  defaultAuthStrategy: 'ALLOW';
  groups: string[] | null;
}

export type TokenRejection = 'malformed' | 'signature' | 'issuer' | 'expired' | 'token_use' | 'client' | 'revoked';

/**
 * What AppSync answers in its 401 for each rejection: `Unable to parse JWT token.` for what is
 * not a JWT it accepts (also a `Bearer ` prefix, alg none, HMAC), `Token has expired.`, and
 * `Unauthorized` for a well-formed token it does not trust.
 * (https://github.com/aws/aws-appsync-community/issues/198, https://github.com/aws/aws-appsync-community/issues/115)
 */
const APPSYNC_MESSAGES: Record<TokenRejection, string> = {
  malformed: 'Unable to parse JWT token.',
  expired: 'Token has expired.',
  signature: 'Unauthorized',
  issuer: 'Unauthorized',
  token_use: 'Unauthorized',
  client: 'Unauthorized',
  revoked: 'Unauthorized',
};

/** A token AppSync would refuse: `message` is AppSync's wording, `reason` says which check failed (for logs and tests). */
export class TokenVerificationError extends Error {
  constructor(readonly reason: TokenRejection) {
    super(APPSYNC_MESSAGES[reason]);
    this.name = 'UnauthorizedException';
  }
}

export interface CognitoTokenVerifierOptions {
  issuer: string;
  /** The pool's JWKS: a URL (fetched and cached) or the key set itself (in-process). */
  jwksUri?: string;
  jwks?: JSONWebKeySet;
  clientId: string;
  isRevoked?: (claims: JWTPayload) => boolean | Promise<boolean>;
  /** Clock (ms), for tests. */
  now?: () => number;
}

// Clients send the same token on every request until it expires: verify each one once.
const VERIFIED_CACHE_SIZE = 1000;

/**
 * Verifies a raw Cognito JWT the way AppSync does for AMAZON_COGNITO_USER_POOLS: RS256
 * signature against the pool's JWKS (no `none`, no HMAC), issuer, expiry, `token_use` access
 * or id, and the app client (`client_id` on access tokens, `aud` on id tokens). A token that
 * passed is remembered until it expires; expiry and revocation are checked on every call.
 */
export function createCognitoTokenVerifier(options: CognitoTokenVerifierOptions) {
  const keys = options.jwks
    ? createLocalJWKSet(options.jwks)
    : options.jwksUri
      ? createRemoteJWKSet(new URL(options.jwksUri))
      : undefined;
  if (!keys) throw new Error('createCognitoTokenVerifier needs jwksUri or jwks');
  const now = options.now ?? (() => Date.now());
  const verified = new Map<string, JWTPayload>();

  async function checkedClaims(token: string): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys!, {
        algorithms: ['RS256'],
        issuer: options.issuer,
        currentDate: new Date(now()),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new TokenVerificationError('expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iss')
        throw new TokenVerificationError('issuer');
      if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey)
        throw new TokenVerificationError('signature');
      throw new TokenVerificationError('malformed');
    }
    if (typeof payload.exp !== 'number') throw new TokenVerificationError('expired');
    const use = payload.token_use;
    if (use !== 'access' && use !== 'id') throw new TokenVerificationError('token_use');
    const client = use === 'access' ? payload.client_id : payload.aud;
    if (client !== options.clientId) throw new TokenVerificationError('client');
    return payload;
  }

  return async function verifyCognitoToken(token: string, sourceIp: string[] = []): Promise<CognitoUserPoolIdentity> {
    let payload = verified.get(token);
    if (payload && payload.exp! * 1000 <= now()) {
      verified.delete(token);
      throw new TokenVerificationError('expired');
    }
    if (!payload) {
      payload = await checkedClaims(token);
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, payload);
    }
    if (options.isRevoked && (await options.isRevoked(payload))) throw new TokenVerificationError('revoked');
    const use = payload.token_use;
    return {
      sub: String(payload.sub),
      issuer: options.issuer,
      username: String(use === 'access' ? payload.username : payload['cognito:username']),
      claims: { ...payload },
      sourceIp,
      defaultAuthStrategy: 'ALLOW',
      groups: Array.isArray(payload['cognito:groups']) ? [...(payload['cognito:groups'] as string[])] : null,
    };
  };
}
