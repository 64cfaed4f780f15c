import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { UnauthorizedError, type Authenticator, type Caller } from '../server/auth.ts';
import { variableErrorsAsAppSync } from '../server/appsync-request-errors.ts';
import { selectionSetListOf, type ExecutionOutcome, type GraphQLExecutor, type ResolverRunner } from '../server/graphql.ts';
import { sourceIpOf } from '../server/http.ts';
import type { ApiSchema } from '../server/schema.ts';
import { isSubscriptionFilter, matchesFilter, type SubscriptionFilter } from './filters.ts';

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
 */
export const CONNECTION_TIMEOUT_MS = 300_000;

interface Subscription {
  id: string;
  connection: Connection;
  field: string;
  responseKey: string;
  selectionSet: SelectionSetNode | undefined;
  fragments: Record<string, FragmentDefinitionNode>;
  args: Record<string, unknown>;
  filter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
}

interface Connection {
  socket: WebSocket;
  sourceIp: string[];
  caller?: Caller;
  subscriptions: Map<string, Subscription>;
  keepAlive?: NodeJS.Timeout;
}

export interface RealtimeOptions {
  api: ApiSchema;
  executor: GraphQLExecutor;
  resolvers: ResolverRunner;
  authenticator: Authenticator;
  keepAliveMs?: number;
  log?: (line: string) => void;
}

function decodeHeaderJson(encoded: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, unknown>;
}

/** The `Authorization` value of the connection's auth header (subprotocol or query string). */
function connectionToken(req: IncomingMessage): string | undefined {
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const header = protocols.find((p) => p.startsWith('header-'));
  const query = new URL(req.url ?? '/', 'http://local').searchParams.get('header');
  const encoded = header ? header.slice('header-'.length) : query;
  if (!encoded) return undefined;
  try {
    const json = decodeHeaderJson(encoded);
    return (json.Authorization ?? json.authorization) as string | undefined;
  } catch {
    return undefined;
  }
}

/** The subscriber's selection applied to the mutation's result: fields it did not return are null. */
function project(value: unknown, selectionSet: SelectionSetNode | undefined, type: GraphQLNamedType, fragments: Record<string, FragmentDefinitionNode>): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => project(v, selectionSet, type, fragments));
  if (!selectionSet || !isObjectType(type)) return value;
  const out: Record<string, unknown> = {};
  const fill = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (selection.name.value === '__typename') {
          out[key] = type.name;
          continue;
        }
        const field = (type as GraphQLObjectType).getFields()[selection.name.value];
        const raw = (value as Record<string, unknown>)[selection.name.value];
        out[key] = field ? project(raw, selection.selectionSet, getNamedType(field.type), fragments) : null;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) fill(selection.selectionSet);
      else if (fragments[selection.name.value]) fill(fragments[selection.name.value].selectionSet);
    }
  };
  fill(selectionSet);
  return out;
}

export function createRealtimeServer(options: RealtimeOptions) {
  const { api, executor, resolvers, authenticator } = options;
  const keepAliveMs = options.keepAliveMs ?? 60_000;
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
  });
  const byField = new Map<string, Set<Subscription>>();
  const connections = new Set<Connection>();

  const send = (connection: Connection, message: unknown) => {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(message));
  };
  const sendError = (connection: Connection, id: string | undefined, errorType: string, message: string) =>
    send(connection, { type: 'error', ...(id ? { id } : {}), payload: { errors: [{ errorType, message }] } });

  function remove(subscription: Subscription) {
    subscription.connection.subscriptions.delete(subscription.id);
    byField.get(subscription.field)?.delete(subscription);
  }

  async function start(connection: Connection, id: string, payload: { data?: string; extensions?: { authorization?: Record<string, string> } }) {
    let caller = connection.caller!;
    const token = payload.extensions?.authorization?.Authorization;
    if (token !== undefined) {
      try {
        caller = await authenticator.authenticateToken(token, connection.sourceIp);
      } catch (error) {
        return sendError(connection, id, 'UnauthorizedException', error instanceof UnauthorizedError ? error.message : 'Unauthorized');
      }
    }
    let request: { query?: unknown; variables?: Record<string, unknown> };
    try {
      request = JSON.parse(payload.data ?? '') as typeof request;
    } catch {
      return sendError(connection, id, 'MalformedHttpRequestException', 'Invalid data: a JSON string of {query, variables} is required');
    }
    const prepared = executor.prepare(request.query);
    if ('errors' in prepared) {
      return send(connection, { type: 'error', id, payload: { errors: (prepared.errors.body.errors ?? []).map(({ message }) => ({ message })) } });
    }
    const document: DocumentNode = prepared.document;
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const subscriptionType = api.schema.getSubscriptionType();
    const root = operation?.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD) ?? [];
    if (operation?.operation !== 'subscription' || !subscriptionType || root.length !== 1) {
      return sendError(connection, id, 'UnsupportedOperation', 'The operation must be a subscription with exactly one field');
    }
    const node = root[0];
    const fieldName = node.name.value;
    if (!api.allowedModes(subscriptionType.name, fieldName).has(caller.mode)) {
      return sendError(connection, id, 'Unauthorized', `Not Authorized to access ${fieldName} on type ${subscriptionType.name}`);
    }
    const variableErrors = variableErrorsAsAppSync(api.schema, operation, request.variables ?? {});
    if (variableErrors.length) return send(connection, { type: 'error', id, payload: { errors: variableErrors.map(({ message }) => ({ message })) } });
    const variables = getVariableValues(api.schema, operation.variableDefinitions ?? [], request.variables ?? {});
    if (variables.errors) return send(connection, { type: 'error', id, payload: { errors: variables.errors.map(({ message }) => ({ message })) } });
    const fieldDef = subscriptionType.getFields()[fieldName];
    const args = getArgumentValues(fieldDef, node, variables.coerced);
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const subscription: Subscription = { id, connection, field: fieldName, responseKey: node.alias?.value ?? fieldName, selectionSet: node.selectionSet, fragments, args };
    if (resolvers.hasResolver(subscriptionType.name, fieldName)) {
      // The subscription resolver runs once, at subscribe time: it may refuse, and it sets the filters.
      const outcome = await resolvers.run(subscriptionType.name, fieldName, {
        arguments: args,
        source: null,
        identity: caller.identity,
        info: { fieldName, parentTypeName: subscriptionType.name, variables: variables.coerced, selectionSetList: selectionSetListOf({ fieldNodes: [node], fragments }), selectionSetGraphQL: '' },
        request: { headers: {}, domainName: null },
      });
      if (outcome.errors.length) {
        const [first] = outcome.errors;
        return sendError(connection, id, first.errorType ?? 'Unknown', first.message);
      }
      if (isSubscriptionFilter(outcome.subscriptionFilter)) subscription.filter = outcome.subscriptionFilter;
      if (isSubscriptionFilter(outcome.invalidationFilter)) subscription.invalidationFilter = outcome.invalidationFilter;
    }
    const previous = connection.subscriptions.get(id);
    if (previous) remove(previous);
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.subscriptions.set(id, subscription);
    if (!byField.has(fieldName)) byField.set(fieldName, new Set());
    byField.get(fieldName)!.add(subscription);
    send(connection, { type: 'start_ack', id });
  }

  function handleMessage(connection: Connection, raw: string) {
    let message: { type?: string; id?: string; payload?: Record<string, unknown> };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return sendError(connection, undefined, 'MalformedHttpRequestException', 'Message is not valid JSON');
    }
    switch (message.type) {
      case 'connection_init':
        send(connection, { type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
        // Amplify starts its keep-alive watchdog at the ack: one right away.
        send(connection, { type: 'ka' });
        return;
      case 'start':
        if (!message.id) return sendError(connection, undefined, 'MalformedHttpRequestException', 'start requires an id');
        void start(connection, message.id, (message.payload ?? {}) as Parameters<typeof start>[2]).catch((error: unknown) => {
          options.log?.(`[realtime] start failed: ${(error as Error).stack ?? String(error)}`);
          sendError(connection, message.id, 'InternalFailure', 'An internal failure occurred.');
        });
        return;
      case 'stop': {
        const subscription = message.id ? connection.subscriptions.get(message.id) : undefined;
        if (subscription) remove(subscription);
        send(connection, { type: 'complete', id: message.id });
        return;
      }
      default:
        return sendError(connection, message.id, 'UnsupportedOperation', `Unknown message type ${String(message.type)}`);
    }
  }

  function close(connection: Connection) {
    clearInterval(connection.keepAlive);
    for (const subscription of [...connection.subscriptions.values()]) remove(subscription);
    connections.delete(connection);
  }

  return {
    /** Whether an HTTP upgrade request is for the real-time endpoint. */
    matches(req: IncomingMessage): boolean {
      return (req.url ?? '').split('?')[0].replace(/\/+/g, '/') === '/graphql/realtime';
    },

    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      const protocols = String(req.headers['sec-websocket-protocol'] ?? '');
      if (!protocols.split(',').some((p) => p.trim() === 'graphql-ws')) {
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nThe graphql-ws subprotocol is required\r\n');
        return;
      }
      const token = connectionToken(req);
      const sourceIp = sourceIpOf(req);
      wss.handleUpgrade(req, socket, head, (ws) => {
        const connection: Connection = { socket: ws, sourceIp, subscriptions: new Map() };
        connections.add(connection);
        // Authenticated before any message is read; a failure answers connection_init with connection_error.
        const auth = authenticator.authenticateToken(token, sourceIp).then(
          (caller) => {
            connection.caller = caller;
            // Keep-alives run from the start of the connection: connection_init is optional.
            if (ws.readyState === ws.OPEN) connection.keepAlive = setInterval(() => send(connection, { type: 'ka' }), keepAliveMs);
            return true;
          },
          (error: unknown) => {
            const message = error instanceof UnauthorizedError ? error.message : 'Unauthorized';
            send(connection, { type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] } });
            ws.close(1000);
            return false;
          },
        );
        ws.on('message', (data) => void auth.then((ok) => ok && handleMessage(connection, data.toString())));
        ws.on('close', () => close(connection));
        ws.on('error', () => close(connection));
      });
    },

    /** Fan a successful mutation's result out to matching subscriptions. */
    publish(published: ExecutionOutcome['published']) {
      const subscriptionType = api.schema.getSubscriptionType();
      if (!subscriptionType) return;
      for (const { mutationField, payload, invalidations } of published) {
        for (const field of api.subscriptionsOf(mutationField)) {
          const returnType = getNamedType(subscriptionType.getFields()[field].type);
          // Subscribers with the same operation text share one parsed selection: serialize it once.
          const serialized = new Map<SelectionSetNode | undefined, Map<string, string>>();
          for (const subscription of byField.get(field) ?? []) {
            // Argument filters: every argument the subscriber gave must equal the same-named result field.
            const argsMatch = Object.entries(subscription.args).every(([name, value]) => value === null || value === undefined || (payload as Record<string, unknown>)[name] === value);
            if (!argsMatch || (subscription.filter && !matchesFilter(subscription.filter, payload))) continue;
            const byKey = serialized.get(subscription.selectionSet) ?? new Map<string, string>();
            serialized.set(subscription.selectionSet, byKey);
            let data = byKey.get(subscription.responseKey);
            if (data === undefined) {
              data = JSON.stringify({ [subscription.responseKey]: project(payload, subscription.selectionSet, returnType, subscription.fragments) });
              byKey.set(subscription.responseKey, data);
            }
            const socket = subscription.connection.socket;
            if (socket.readyState === socket.OPEN) socket.send(`{"id":${JSON.stringify(subscription.id)},"type":"data","payload":{"data":${data}}}`);
          }
        }
        for (const { subscriptionField, payload: invalidation } of invalidations) {
          for (const subscription of [...(byField.get(subscriptionField) ?? [])]) {
            if (subscription.invalidationFilter && matchesFilter(subscription.invalidationFilter, invalidation)) {
              remove(subscription);
              send(subscription.connection, { type: 'complete', id: subscription.id });
            }
          }
        }
      }
    },

    subscriberCount: () => [...byField.values()].reduce((n, s) => n + s.size, 0),

    async close() {
      for (const connection of [...connections]) {
        close(connection);
        connection.socket.terminate();
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export type RealtimeServer = ReturnType<typeof createRealtimeServer>;
