import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { UnauthorizedError, type Authenticator } from '../server/auth.ts';
import type { GraphQLExecutor, ResolverRunner } from '../server/graphql.ts';
import { sourceIpOf } from '../server/http.ts';
import type { ApiSchema } from '../server/schema.ts';
import {
  connectionToken,
  isObject,
  send,
  sendError,
  sendErrors,
  type Connection,
  type Subscription,
} from './connection.ts';
import { createSubscriptionRegistry } from './registry.ts';
import { createSessionWatch, expiryOf } from './sessions.ts';
import { prepareSubscription } from './subscription-request.ts';

/**
 * AppSync's real-time WebSocket protocol at `<graphql path>/realtime`, as AWS's clients speak
 * it: subprotocol `graphql-ws`; auth in a `header-<base64url JSON>` subprotocol or the `header`
 * query string (its companion `payload` is `e30=`, base64 of `{}`, for GraphQL APIs and
 * carries nothing); connection_init (optional) → connection_ack → start (auth again in
 * `extensions.authorization`) → start_ack → data → stop → complete, with `ka` from the
 * connection's start (a client need not send connection_init) and once more right after the
 * ack. Published mutation results fan out to the subscriptions of the fields whose
 * `@aws_subscribe` names the mutation, through argument filters and enhanced filters.
 * https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html
 *
 * Errors: a failed start is `{type: 'error', id, payload: {errors: [...]}}`: validation errors
 * carry only `message` (as AppSync sends them, e.g. aws-amplify/amplify-swift#1589), refusals
 * `errorType` and `message`; a refused connection is `connection_error` with `errorType`,
 * `message` and `errorCode` (401), then the socket closes.
 *
 * A connection lives as long as the token it was opened with (sessions.ts): at its expiry, or
 * when its sign-in session ends, the socket is closed with code 1008 and AppSync's message as
 * the reason. A subscription started with a token of its own (`extensions.authorization`,
 * not the connection's) ends alone, with an UnauthorizedException error for its id.
 */
export const CONNECTION_TIMEOUT_MS = 300_000;

/**
 * The largest message either side may send: AppSync's subscription payload quota, 240 KB
 * (https://docs.aws.amazon.com/general/latest/gr/appsync.html). A client frame past it closes
 * the connection with 1009 (message too big) before it is buffered whole.
 */
export const MAX_MESSAGE_BYTES = 240 * 1024;

export interface RealtimeOptions {
  api: ApiSchema;
  executor: GraphQLExecutor;
  resolvers: ResolverRunner;
  authenticator: Authenticator;
  keepAliveMs?: number;
  /** Subscribes to the ends of sign-in sessions (RevokeToken, GlobalSignOut, password resets); returns the unsubscribe. */
  onSessionsEnded?: (listener: () => void) => () => void;
  log?: (line: string) => void;
}

/** A start message's payload as the client sent it: every part checked before use. */
interface StartPayload {
  data?: unknown;
  extensions?: unknown;
}

export function createRealtimeServer(options: RealtimeOptions) {
  const { authenticator } = options;
  const keepAliveMs = options.keepAliveMs ?? 60_000;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
  });
  const registry = createSubscriptionRegistry(options.api, endedByExpiry);
  const connections = new Set<Connection>();
  const sessions = createSessionWatch({ authenticator, onSessionsEnded: options.onSessionsEnded });

  /** The token a connection was opened with expired or lost its session: AppSync closes the connection. */
  function endConnection(connection: Connection, message: string) {
    close(connection);
    connection.socket.close(1008, message);
  }

  function endSubscription(subscription: Subscription, message: string) {
    registry.remove(subscription);
    sendError(subscription.connection, subscription.id, 'UnauthorizedException', message);
  }

  /** At delivery, in case a timer has not fired yet (a clock moved, a busy loop): true when it was ended instead. */
  function endedByExpiry(subscription: Subscription, now: number): boolean {
    const connection = subscription.connection;
    if ((expiryOf(connection.caller!) ?? Infinity) <= now) {
      endConnection(connection, 'Token has expired.');
      return true;
    }
    if (subscription.unwatch && (expiryOf(subscription.caller) ?? Infinity) <= now) {
      endSubscription(subscription, 'Token has expired.');
      return true;
    }
    return false;
  }

  /** A start: its own token if it carries one, then the subscription checked and registered, then start_ack. */
  async function start(connection: Connection, id: string, payload: StartPayload) {
    let caller = connection.caller!;
    const authorization = isObject(payload.extensions) ? payload.extensions.authorization : undefined;
    const token = isObject(authorization) ? authorization.Authorization : undefined;
    if (token !== undefined) {
      if (typeof token !== 'string')
        return sendError(connection, id, 'UnauthorizedException', 'Valid authorization header not provided.');
      try {
        caller = await authenticator.authenticateToken(token, connection.sourceIp);
      } catch (error) {
        return sendError(
          connection,
          id,
          'UnauthorizedException',
          error instanceof UnauthorizedError ? error.message : 'Unauthorized',
        );
      }
    }
    const prepared = await prepareSubscription(options, caller, payload.data);
    if ('errors' in prepared) return sendErrors(connection, id, prepared.errors);
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    const subscription: Subscription = { ...prepared.subscription, id, connection, caller };
    registry.add(subscription);
    if (token !== undefined && token !== connection.token)
      subscription.unwatch = sessions.watch(token, caller, connection.sourceIp, (message) =>
        endSubscription(subscription, message),
      );
    send(connection, { type: 'start_ack', id });
    // The line that tells a silent client apart: it got through TLS and the WebSocket, and is subscribed.
    options.log?.(`WS /graphql/realtime subscription ${subscription.field} started ${caller.mode}`);
  }

  function handleMessage(connection: Connection, raw: string) {
    let message: { type?: unknown; id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return sendError(connection, undefined, 'MalformedHttpRequestException', 'Message is not valid JSON');
    }
    if (!isObject(message))
      return sendError(connection, undefined, 'MalformedHttpRequestException', 'A message is a JSON object');
    // Ids are the client's strings; anything else is as good as none.
    const id = typeof message.id === 'string' && message.id ? message.id : undefined;
    switch (message.type) {
      case 'connection_init':
        send(connection, { type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
        // Amplify starts its keep-alive watchdog at the ack: one right away.
        send(connection, { type: 'ka' });
        return;
      case 'start':
        if (!id) return sendError(connection, undefined, 'MalformedHttpRequestException', 'start requires an id');
        void start(connection, id, isObject(message.payload) ? message.payload : {}).catch((error: unknown) => {
          options.log?.(`[realtime] start failed: ${(error as Error).stack ?? String(error)}`);
          sendError(connection, id, 'InternalFailure', 'An internal failure occurred.');
        });
        return;
      case 'stop': {
        const subscription = id ? connection.subscriptions.get(id) : undefined;
        if (subscription) registry.remove(subscription);
        send(connection, { type: 'complete', id });
        return;
      }
      default:
        return sendError(
          connection,
          id,
          'UnsupportedOperation',
          `Unknown message type ${String(message.type).slice(0, 64)}`,
        );
    }
  }

  function close(connection: Connection) {
    clearInterval(connection.keepAlive);
    connection.unwatch?.();
    for (const subscription of [...connection.subscriptions.values()]) registry.remove(subscription);
    connections.delete(connection);
  }

  /** A new socket: authenticated before any message is read; a failure answers with connection_error and closes. */
  function accept(socket: Connection['socket'], token: string | undefined, sourceIp: string[]) {
    const connection: Connection = { socket, sourceIp, subscriptions: new Map() };
    connections.add(connection);
    const auth = authenticator.authenticateToken(token, sourceIp).then(
      (caller) => {
        connection.caller = caller;
        connection.token = token;
        if (socket.readyState === socket.OPEN) {
          // Keep-alives run from the start of the connection: connection_init is optional.
          connection.keepAlive = setInterval(() => send(connection, { type: 'ka' }), keepAliveMs);
          connection.unwatch = sessions.watch(token!, caller, sourceIp, (message) =>
            endConnection(connection, message),
          );
        }
        return true;
      },
      (error: unknown) => {
        const message = error instanceof UnauthorizedError ? error.message : 'Unauthorized';
        options.log?.(`WS /graphql/realtime connection refused: UnauthorizedException ${message}`);
        send(connection, {
          type: 'connection_error',
          payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] },
        });
        socket.close(1000);
        return false;
      },
    );
    socket.on('message', (data) => void auth.then((ok) => ok && handleMessage(connection, data.toString())));
    socket.on('close', () => close(connection));
    socket.on('error', () => close(connection));
  }

  return {
    /** Whether an HTTP upgrade request is for the real-time endpoint. */
    matches(req: IncomingMessage): boolean {
      return (req.url ?? '').split('?')[0].replace(/\/+/g, '/') === '/graphql/realtime';
    },

    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      const protocols = String(req.headers['sec-websocket-protocol'] ?? '');
      if (!protocols.split(',').some((p) => p.trim() === 'graphql-ws')) {
        socket.end(
          'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nThe graphql-ws subprotocol is required\r\n',
        );
        return;
      }
      const token = connectionToken(req);
      const sourceIp = sourceIpOf(req);
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, token, sourceIp));
    },

    /** Fan a successful mutation's result out to matching subscriptions. */
    publish: registry.publish,

    subscriberCount: registry.count,

    async close() {
      sessions.close();
      for (const connection of [...connections]) {
        close(connection);
        connection.socket.terminate();
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export type RealtimeServer = ReturnType<typeof createRealtimeServer>;
