import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who is calling, decided the way AppSync does for an API whose default mode is Cognito user
 * pools with IAM as an additional mode: a SigV4 `Authorization` header is IAM, anything else
 * is a user pool token (raw JWT, no `Bearer`). A caller AppSync cannot authenticate gets
 * HTTP 401 before any field runs.
 */
export type AuthMode = 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM';

/** `ctx.identity` for a user pool caller, as AppSync builds it. */
export interface CognitoIdentity {
  sub: string;
  issuer: string;
  username: string;
  claims: Record<string, unknown>;
  sourceIp: string[];
  defaultAuthStrategy: string;
  groups: string[] | null;
}

/** `ctx.identity` for an IAM caller, as AppSync builds it. */
export interface IamIdentity {
  accountId: string;
  cognitoIdentityPoolId: null;
  cognitoIdentityId: null;
  cognitoIdentityAuthType: null;
  cognitoIdentityAuthProvider: null;
  sourceIp: string[];
  username: string;
  userArn: string;
}

export type Caller = { mode: 'AMAZON_COGNITO_USER_POOLS'; identity: CognitoIdentity } | { mode: 'AWS_IAM'; identity: IamIdentity };

export class UnauthorizedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedException';
  }
}

/** Verifies a Cognito user pool JWT and returns the AppSync identity; throws when invalid. */
export type CognitoTokenVerifier = (token: string, sourceIp: string[]) => Promise<CognitoIdentity>;

export interface SignedRequest {
  method: string;
  /** Host header as the client sent it (signed). */
  host: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  sourceIp: string[];
}

/** A request to one of the local AWS endpoints, as the SigV4 check reads it. */
export function signedRequestOf(req: IncomingMessage, body: string): SignedRequest {
  const url = new URL(req.url ?? '/', 'http://local');
  return { method: req.method ?? 'POST', host: req.headers.host ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, sourceIp: [] };
}

export const LOCAL_ACCOUNT_ID = '000000000000';
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const SIGV4_HEADER = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** SigV4 against the local credentials, for `service` (appsync for GraphQL, lambda for the Invoke API). */
export function createIamVerifier(credentials: { accessKeyId: string; secretAccessKey: string }, region: string, service = 'appsync') {
  return async function verifyIam(request: SignedRequest): Promise<IamIdentity> {
    const header = String(request.headers.authorization ?? '');
    const parsed = SIGV4_HEADER.exec(header);
    if (!parsed) throw new UnauthorizedError('Invalid SigV4 Authorization header');
    const [, accessKeyId, , signedRegion, signedService, signedHeaders, signature] = parsed;
    if (accessKeyId !== credentials.accessKeyId) throw new UnauthorizedError('The security token included in the request is invalid.');
    if (signedService !== service || signedRegion !== region) throw new UnauthorizedError(`Credential should be scoped to a valid region and the service '${service}'.`);
    const amzDate = String(request.headers['x-amz-date'] ?? '');
    const signingDate = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!signingDate) throw new UnauthorizedError('Missing or invalid X-Amz-Date header');
    const date = new Date(Date.UTC(+signingDate[1], +signingDate[2] - 1, +signingDate[3], +signingDate[4], +signingDate[5], +signingDate[6]));
    if (Math.abs(Date.now() - date.getTime()) > MAX_CLOCK_SKEW_MS) throw new UnauthorizedError('Signature expired');
    const headers: Record<string, string> = {};
    for (const name of signedHeaders.split(';')) {
      const value = name === 'host' ? request.host : request.headers[name];
      if (value === undefined) throw new UnauthorizedError(`Signed header ${name} is missing`);
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const signer = new SignatureV4({ credentials, region, service, sha256: Sha256, uriEscapePath: true });
    const resigned = await signer.sign(
      new HttpRequest({ method: request.method, protocol: 'https:', hostname: request.host, path: request.path, query: request.query, headers, body: request.body }),
      { signingDate: date },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization))?.[1] ?? '';
    const expectedHeaders = /SignedHeaders=([^,]+)/.exec(String(resigned.headers.authorization))?.[1];
    if (expectedHeaders !== signedHeaders || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
      throw new UnauthorizedError('The request signature we calculated does not match the signature you provided.');
    }
    return {
      accountId: LOCAL_ACCOUNT_ID,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
      sourceIp: request.sourceIp,
      username: accessKeyId,
      userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local`,
    };
  };
}

export interface Authenticator {
  authenticate(request: SignedRequest): Promise<Caller>;
  /** For the real-time socket: the `Authorization` value from the header/extensions JSON. */
  authenticateToken(token: string | undefined, sourceIp: string[]): Promise<Caller>;
}

export function createAuthenticator(deps: { verifyCognito: CognitoTokenVerifier; verifyIam: (request: SignedRequest) => Promise<IamIdentity> }): Authenticator {
  async function authenticateToken(token: string | undefined, sourceIp: string[]): Promise<Caller> {
    if (!token) throw new UnauthorizedError('Valid authorization header not provided.');
    try {
      return { mode: 'AMAZON_COGNITO_USER_POOLS', identity: await deps.verifyCognito(token, sourceIp) };
    } catch (error) {
      // The verifier's rejections carry AppSync's wording (local/auth/verify-token.ts).
      if (error instanceof UnauthorizedError || (error instanceof Error && error.name === 'UnauthorizedException')) throw new UnauthorizedError(error.message);
      throw new UnauthorizedError('Unauthorized');
    }
  }
  return {
    authenticateToken,
    async authenticate(request) {
      const authorization = request.headers.authorization;
      const token = Array.isArray(authorization) ? authorization[0] : authorization;
      if (token?.startsWith('AWS4-HMAC-SHA256 ')) return { mode: 'AWS_IAM', identity: await deps.verifyIam(request) };
      return authenticateToken(token, request.sourceIp);
    },
  };
}
