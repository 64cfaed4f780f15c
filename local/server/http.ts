import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { LAMBDA_SYNC_PAYLOAD_BYTES } from '../../model/inline-upload.ts';
import { UnauthorizedError, type Authenticator, type SignedRequest } from './auth.ts';
import { BodyTooLarge, discardRest, readBoundedBody } from './request-body.ts';
import type { ExecutionOutcome, GraphQLExecutor } from './graphql.ts';
import type { RequestLogEntry } from '../log-format.ts';

/**
 * The one HTTP front door: `/graphql` like AppSync (POST, and GET for introspection), plus
 * the routes of the in-process AWS stand-ins and the console, all on the same port.
 */
export type Route = {
  matches(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> | void;
  /** Answers its own CORS preflights (S3, by the bucket's rule) instead of the API's. */
  ownPreflight?: boolean;
};

// What Amplify and the AWS SDKs send (see ../shared/notes/amplify-v6-client.md).
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
  'access-control-allow-headers':
    'authorization, content-type, x-amz-user-agent, x-amz-target, x-amz-date, x-amz-security-token, x-amz-content-sha256, x-api-key, cache-control, amz-sdk-invocation-id, amz-sdk-request',
  'access-control-expose-headers': 'x-amzn-ErrorType, x-amzn-RequestId',
  'access-control-max-age': '86400',
};

/**
 * The largest GraphQL request body taken, standing in for AppSync's request size quota: no
 * field of this API can use more, since its biggest input, an inline receipt, must fit one
 * synchronous Lambda invocation (model/inline-upload.ts). Beyond it the answer is a
 * typed LimitExceeded (HTTP 413) pointing at the presigned path, before any parsing.
 */
const MAX_REQUEST_BODY_BYTES = LAMBDA_SYNC_PAYLOAD_BYTES;

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
  return out;
}

export function sourceIpOf(req: IncomingMessage): string[] {
  return [(req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')];
}

export interface GraphQLHttpDeps {
  executor: GraphQLExecutor;
  authenticator: Authenticator;
  /** Called with every successful mutation that feeds subscriptions. */
  onPublished(published: ExecutionOutcome['published']): void;
  /** One entry per request, answered or refused. */
  logRequest?: (entry: RequestLogEntry) => void;
}

export function createGraphQLRoute(deps: GraphQLHttpDeps): Route {
  // What each answer said, for its log entry: its request id and, when refused, its error type.
  const answered = new WeakMap<ServerResponse, { requestId: string; errorType?: string }>();
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const requestId = headers['x-amzn-requestid'] ?? randomUUID();
    answered.set(res, { requestId, errorType: headers['x-amzn-ErrorType'] });
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      ...CORS_HEADERS,
      'x-amzn-requestid': requestId,
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const unauthorized = (res: ServerResponse, message: string) =>
    send(
      res,
      401,
      { errors: [{ errorType: 'UnauthorizedException', message }] },
      { 'x-amzn-ErrorType': 'UnauthorizedException' },
    );
  const malformed = (res: ServerResponse, message: string) =>
    send(
      res,
      400,
      { errors: [{ errorType: 'MalformedHttpRequestException', message }] },
      { 'x-amzn-ErrorType': 'MalformedHttpRequestException' },
    );

  const tooLarge = (res: ServerResponse, size: number) =>
    send(
      res,
      413,
      {
        errors: [
          {
            errorType: 'LimitExceeded',
            message: `The request is ${size} bytes; the API takes at most ${MAX_REQUEST_BODY_BYTES} bytes. Upload large receipts with createReceiptUpload (a presigned S3 PUT).`,
            errorInfo: { limit: MAX_REQUEST_BODY_BYTES, size, uploadWith: 'createReceiptUpload' },
          },
        ],
      },
      { 'x-amzn-ErrorType': 'LimitExceeded' },
    );

  return {
    matches: (req) =>
      (req.url ?? '').split('?')[0].replace(/\/+$/, '') === '/graphql' &&
      (req.method === 'POST' || req.method === 'GET'),
    async handle(req, res) {
      const started = Date.now();
      // AppSync's request id: answered in x-amzn-RequestId and seen by resolvers in
      // ctx.request.headers, so one id follows the request into the functions' logs.
      const requestId = randomUUID();
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        send(res, status, body, { 'x-amzn-requestid': requestId, ...headers });
      let logged: Omit<RequestLogEntry, 'method' | 'path' | 'status' | 'ms' | 'requestId'> = { operation: null };
      res.once('finish', () => {
        // A request refused before execution (401, 400, 413) names its error in x-amzn-ErrorType.
        const answer = answered.get(res);
        deps.logRequest?.({
          method: req.method ?? 'POST',
          path: '/graphql',
          status: res.statusCode,
          ms: Date.now() - started,
          requestId: answer?.requestId ?? requestId,
          ...(answer?.errorType ? { errorTypes: [answer.errorType] } : {}),
          ...logged,
        });
      });
      const url = new URL(req.url ?? '/', 'http://local');
      let body = '';
      let request: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        body = req.method === 'POST' ? (await readBoundedBody(req, MAX_REQUEST_BODY_BYTES)).toString('utf8') : '';
        request =
          req.method === 'POST'
            ? (JSON.parse(body) as typeof request)
            : {
                query: url.searchParams.get('query'),
                variables: url.searchParams.get('variables')
                  ? JSON.parse(url.searchParams.get('variables')!)
                  : undefined,
                operationName: url.searchParams.get('operationName') ?? undefined,
              };
        if (!request || typeof request !== 'object') throw new Error('not an object');
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          discardRest(req, res);
          return tooLarge(res, error.size);
        }
        return malformed(res, 'Unable to parse GraphQL query.');
      }
      const signed: SignedRequest = {
        method: req.method ?? 'POST',
        url: req.url ?? '/',
        headers: req.headers,
        body,
        sourceIp: sourceIpOf(req),
      };
      let caller;
      try {
        caller = await deps.authenticator.authenticate(signed);
      } catch (error) {
        return unauthorized(
          res,
          error instanceof UnauthorizedError ? error.message : 'Valid authorization header not provided.',
        );
      }
      const outcome = await deps.executor.execute(request, caller, {
        ...headerRecord(req),
        'x-amzn-requestid': requestId,
      });
      logged = {
        operation: outcome.operation ?? null,
        authMode: caller.mode,
        ...(outcome.body.errors ? { errorTypes: outcome.body.errors.map((e) => e.errorType ?? 'GraphQL') } : {}),
        // A function's publish names the invocation it comes from (functions/shared/publish.ts).
        ...(typeof req.headers['x-correlation-id'] === 'string'
          ? { correlationId: req.headers['x-correlation-id'] }
          : {}),
      };
      reply(200, outcome.body);
      if (outcome.published.length) deps.onPublished(outcome.published);
    },
  };
}

/** Routes in order; OPTIONS answers CORS preflights for all of them. */
export function createRequestListener(routes: Route[], log?: (line: string) => void): RequestListener {
  return (req, res) => {
    const route = routes.find((r) => r.matches(req));
    if (req.method === 'OPTIONS' && !route?.ownPreflight) {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json', ...CORS_HEADERS });
      res.end(JSON.stringify({ message: `No route for ${req.method} ${req.url}` }));
      return;
    }
    Promise.resolve(route.handle(req, res)).catch((error: unknown) => {
      log?.(`${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, {
          'content-type': 'application/json',
          'x-amzn-ErrorType': 'InternalFailure',
          ...CORS_HEADERS,
        });
        res.end(
          JSON.stringify({ errors: [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }] }),
        );
      } else res.end();
    });
  };
}
