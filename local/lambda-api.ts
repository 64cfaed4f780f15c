import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, discardRest, readBoundedBody } from './server/request-body.ts';

/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`) over the local
 * in-process functions, so code that calls `@aws-sdk/client-lambda` (e.g. reprocessing a
 * receipt) runs unchanged locally. Event invocations answer 202 at once, as Lambda does;
 * RequestResponse answers 200 with the result, or with `X-Amz-Function-Error: Unhandled`.
 */
export type InvokeFunction = (
  name: string,
  payload: unknown,
  invocationType: 'RequestResponse' | 'Event',
) => Promise<unknown>;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export function isLambdaInvokeRequest(req: IncomingMessage): boolean {
  return req.method === 'POST' && INVOKE_PATH.test((req.url ?? '').split('?')[0]);
}

/** Lambda's payload quotas: 6 MB for a synchronous invocation, 1 MB for an asynchronous one. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;

/** Checks the caller may invoke (SigV4 for service lambda); throws to refuse. */
export type AuthorizeInvoke = (req: IncomingMessage, body: string) => Promise<void>;

export function createLambdaInvokeHandler(
  invoke: InvokeFunction,
  knownFunctions: () => string[],
  authorize: AuthorizeInvoke,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const match = INVOKE_PATH.exec((req.url ?? '').split('?')[0]);
    // The name may be a full ARN: its last segment is the function name.
    const name = decodeURIComponent(match?.[1] ?? '')
      .split(':')
      .pop()!;
    const sendJson = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-amzn-requestid': crypto.randomUUID(),
        ...headers,
      });
      res.end(value === undefined ? '' : JSON.stringify(value));
    };
    const isEvent = req.headers['x-amz-invocation-type'] === 'Event';
    const limit = isEvent ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    let body: string;
    try {
      body = (await readBoundedBody(req, limit)).toString('utf8');
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      discardRest(req, res);
      sendJson(
        413,
        {
          Type: 'User',
          message: `Request must be smaller than ${limit} bytes for the ${isEvent ? 'InvokeAsync' : 'InvokeFunction'} operation`,
        },
        { 'x-amzn-errortype': 'RequestTooLargeException' },
      );
      return;
    }
    try {
      // Functions act with the stack's rights: only callers holding its credentials may run them.
      await authorize(req, body);
    } catch (error) {
      sendJson(403, { message: (error as Error).message }, { 'x-amzn-errortype': 'UnrecognizedClientException' });
      return;
    }
    if (!knownFunctions().includes(name)) {
      sendJson(
        404,
        { Type: 'User', message: `Function not found: ${name}` },
        { 'x-amzn-errortype': 'ResourceNotFoundException' },
      );
      return;
    }
    let payload: unknown;
    try {
      payload = body ? JSON.parse(body) : {};
    } catch {
      sendJson(
        400,
        { Type: 'User', message: 'Could not parse request body into json' },
        { 'x-amzn-errortype': 'InvalidRequestContentException' },
      );
      return;
    }
    if (isEvent) {
      // Queued like Lambda's async invocations; failures are the invoker's to log and retry.
      void invoke(name, payload, 'Event').catch(() => {});
      sendJson(202, undefined);
      return;
    }
    try {
      sendJson(200, (await invoke(name, payload, 'RequestResponse')) ?? null);
    } catch (error) {
      const e = error as Error;
      sendJson(200, { errorType: e.name, errorMessage: e.message }, { 'x-amz-function-error': 'Unhandled' });
    }
  };
}
