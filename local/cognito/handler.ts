import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLarge, discardRest, readBoundedBody } from '../server/request-body.ts';
import { CognitoError } from './errors.ts';
import { isAdminOperation } from './requests.ts';
import { openUserPool, type UserPool, type UserPoolOptions } from './user-pool.ts';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers':
    'content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-invocation-id, amz-sdk-request, authorization',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
};

/**
 * The largest request body taken: Cognito's biggest request here, a sign-up with every
 * standard attribute at its 2,048-character limit, is under 40 KB. A larger body is refused
 * with 413 before it is read.
 */
export const MAX_COGNITO_REQUEST_BYTES = 64 * 1024;

export interface CognitoHandlerOptions {
  /** Path the handler is mounted at, e.g. '/cognito' ('' at the root). */
  basePath?: string;
  /** Where an unexpected failure is reported (the client only learns that one happened). */
  log?: (line: string) => void;
  /** Checks the SigV4 signature (service `cognito-idp`) of an admin operation; throws when it is not valid. Without it admin operations are refused. */
  authorizeAdmin?: (req: IncomingMessage, body: string) => Promise<void>;
}

/**
 * Cognito's JSON protocol over node http: `POST <basePath>` with `x-amz-target:
 * AWSCognitoIdentityProviderService.<Op>`, errors 400 `{__type, message}`, and the JWKS at
 * `GET <basePath>/<poolId>/.well-known/jwks.json`.
 */
export function createCognitoHandler(pool: UserPool, options: CognitoHandlerOptions = {}) {
  const base = (options.basePath ?? '').replace(/\/$/, '');
  const jwksPath = `${base}/${pool.userPoolId}/.well-known/jwks.json`;
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': crypto.randomUUID(),
      ...CORS,
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?')[0];

  return {
    matches(req: IncomingMessage): boolean {
      const pathname = pathOf(req);
      return (
        pathname === jwksPath ||
        ((pathname === base || pathname === `${base}/` || (base === '' && pathname === '/')) &&
          (req.method === 'POST' || req.method === 'OPTIONS'))
      );
    },
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS);
        res.end();
        return;
      }
      if (req.method === 'GET' && pathOf(req) === jwksPath) {
        send(res, 200, pool.jwks(), { 'content-type': 'application/json' });
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const fail = (error: CognitoError) =>
        send(
          res,
          error.status,
          { __type: error.type, message: error.message },
          { 'x-amzn-errortype': `${error.type}:` },
        );
      try {
        let body: Buffer;
        try {
          body = await readBoundedBody(req, MAX_COGNITO_REQUEST_BYTES);
        } catch (error) {
          if (!(error instanceof BodyTooLarge)) throw error;
          discardRest(req, res);
          throw new CognitoError(
            'RequestTooLargeException',
            `Request must be smaller than ${MAX_COGNITO_REQUEST_BYTES} bytes.`,
            413,
          );
        }
        if (!target.startsWith(TARGET_PREFIX))
          throw new CognitoError('UnknownOperationException', 'Missing or unknown x-amz-target');
        let input: unknown;
        try {
          input = body.length ? JSON.parse(body.toString('utf8')) : {};
        } catch {
          throw new CognitoError('SerializationException', 'Request body is not valid JSON');
        }
        const operation = target.slice(TARGET_PREFIX.length);
        if (isAdminOperation(operation)) {
          const authorized = options.authorizeAdmin
            ? await options.authorizeAdmin(req, body.toString('utf8')).then(
                () => true,
                () => false,
              )
            : false;
          if (!authorized)
            throw new CognitoError(
              'UnrecognizedClientException',
              'The security token included in the request is invalid.',
              403,
            );
        }
        send(res, 200, await pool.call(operation, input));
      } catch (error) {
        if (error instanceof CognitoError) return fail(error);
        options.log?.(`[cognito] ${target} failed: ${(error as Error).stack ?? String(error)}`);
        fail(new CognitoError('InternalErrorException', 'Amazon Cognito encountered an internal error.', 500));
      }
    },
  };
}

export type CognitoHandler = ReturnType<typeof createCognitoHandler>;

/** A stand-alone stand-in on its own port (tests). The issuer is `http://127.0.0.1:<port>/<poolId>`. */
export async function startLocalCognito(options: Omit<UserPoolOptions, 'endpoint'> & { port?: number }) {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = await openUserPool({ ...options, endpoint });
  const handler = createCognitoHandler(pool);
  server.on('request', (req, res) => {
    if (handler.matches(req)) void handler.handle(req, res);
    else if (req.method === 'OPTIONS') void handler.handle(req, res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  return {
    endpoint,
    pool,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
