import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

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

/** A token AppSync would refuse; `reason` says which check failed (for logs, not clients). */
export class TokenVerificationError extends Error {
  constructor(readonly reason: 'malformed' | 'signature' | 'issuer' | 'expired' | 'token_use' | 'client' | 'revoked') {
    super(`Token rejected: ${reason}`);
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
}

/**
 * Verifies a raw Cognito JWT the way AppSync does for AMAZON_COGNITO_USER_POOLS: RS256
 * signature against the pool's JWKS (no `none`, no HMAC), issuer, expiry, `token_use` access
 * or id, and the app client (`client_id` on access tokens, `aud` on id tokens).
 */
export function createCognitoTokenVerifier(options: CognitoTokenVerifierOptions) {
  const keys = options.jwks ? createLocalJWKSet(options.jwks) : options.jwksUri ? createRemoteJWKSet(new URL(options.jwksUri)) : undefined;
  if (!keys) throw new Error('createCognitoTokenVerifier needs jwksUri or jwks');

  return async function verifyCognitoToken(token: string, sourceIp: string[] = []): Promise<CognitoUserPoolIdentity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { algorithms: ['RS256'], issuer: options.issuer }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new TokenVerificationError('expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iss') throw new TokenVerificationError('issuer');
      if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) throw new TokenVerificationError('signature');
      throw new TokenVerificationError('malformed');
    }
    if (typeof payload.exp !== 'number') throw new TokenVerificationError('expired');
    const use = payload.token_use;
    if (use !== 'access' && use !== 'id') throw new TokenVerificationError('token_use');
    const client = use === 'access' ? payload.client_id : payload.aud;
    if (client !== options.clientId) throw new TokenVerificationError('client');
    if (options.isRevoked && (await options.isRevoked(payload))) throw new TokenVerificationError('revoked');
    const username = String(use === 'access' ? payload.username : payload['cognito:username']);
    return {
      sub: String(payload.sub),
      issuer: options.issuer,
      username,
      claims: payload as Record<string, unknown>,
      sourceIp,
      defaultAuthStrategy: 'ALLOW',
      groups: Array.isArray(payload['cognito:groups']) ? (payload['cognito:groups'] as string[]) : null,
    };
  };
}
