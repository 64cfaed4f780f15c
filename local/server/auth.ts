import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import {
  isRefusal,
  receivedRequest,
  sha256Hex,
  signatureForm,
  verifyHeaderSignature,
  type Credentials,
} from './sigv4.ts';

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

export type Caller =
  { mode: 'AMAZON_COGNITO_USER_POOLS'; identity: CognitoIdentity } | { mode: 'AWS_IAM'; identity: IamIdentity };

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
  /** The request target exactly as sent: path and query, still percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string | Buffer;
  sourceIp: string[];
}

/** A request to one of the local AWS endpoints, as the SigV4 check reads it. */
export function signedRequestOf(req: IncomingMessage, body: string | Buffer, sourceIp: string[] = []): SignedRequest {
  return { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body, sourceIp };
}

export const LOCAL_ACCOUNT_ID = '000000000000';

/**
 * SigV4 in the Authorization header against the local credentials, for `service` (appsync for
 * GraphQL, lambda for the Invoke API, ses, textract), the payload hashed from the body as
 * received. Throws UnauthorizedError with the service's wording; resolves to the IAM identity.
 */
export function createIamVerifier(credentials: Credentials, region: string, service = 'appsync') {
  const scope = { credentials, region, service };
  return async function verifyIam(request: SignedRequest): Promise<IamIdentity> {
    const received = receivedRequest(request);
    const bodyHash = sha256Hex(request.body);
    const declared = request.headers['x-amz-content-sha256'];
    // A declared payload hash is what was signed: it must also be the body's.
    if (typeof declared === 'string' && declared !== bodyHash)
      throw new UnauthorizedError('The request signature we calculated does not match the signature you provided.');
    if (signatureForm(received) !== 'header') throw new UnauthorizedError('Invalid SigV4 Authorization header');
    const outcome = await verifyHeaderSignature(received, scope, bodyHash);
    if (isRefusal(outcome)) throw new UnauthorizedError(outcome.message);
    return {
      accountId: LOCAL_ACCOUNT_ID,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
      sourceIp: request.sourceIp,
      username: outcome.accessKeyId,
      userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local`,
    };
  };
}

export interface Authenticator {
  authenticate(request: SignedRequest): Promise<Caller>;
  /** For the real-time socket: the `Authorization` value from the header/extensions JSON. */
  authenticateToken(token: string | undefined, sourceIp: string[]): Promise<Caller>;
}

export function createAuthenticator(deps: {
  verifyCognito: CognitoTokenVerifier;
  verifyIam: (request: SignedRequest) => Promise<IamIdentity>;
}): Authenticator {
  async function authenticateToken(token: string | undefined, sourceIp: string[]): Promise<Caller> {
    if (!token) throw new UnauthorizedError('Valid authorization header not provided.');
    try {
      return { mode: 'AMAZON_COGNITO_USER_POOLS', identity: await deps.verifyCognito(token, sourceIp) };
    } catch (error) {
      // The verifier's rejections carry AppSync's wording (local/auth/verify-token.ts).
      if (error instanceof UnauthorizedError || (error instanceof Error && error.name === 'UnauthorizedException'))
        throw new UnauthorizedError(error.message);
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
