import type { IncomingMessage } from 'node:http';
import type { FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import type { WebSocket } from 'ws';
import type { Caller } from '../server/auth.ts';
import type { SubscriptionFilter } from './filters.ts';

/** One real-time connection, its subscriptions by the client's ids, and how messages go out on it. */
export interface Subscription {
  id: string;
  connection: Connection;
  field: string;
  responseKey: string;
  selectionSet: SelectionSetNode | undefined;
  fragments: Record<string, FragmentDefinitionNode>;
  args: Record<string, unknown>;
  filter?: SubscriptionFilter;
  invalidationFilter?: SubscriptionFilter;
  /** Who started it: the connection's caller, or the one of the start's own token. */
  caller: Caller;
  /** Set when it was started with a token other than the connection's, which it then outlives not. */
  unwatch?: () => void;
  /** Its data messages' start, `{"id":<id>,"type":"data","payload":{"data":`, made at its first event. */
  dataPrefix?: Buffer;
}

export interface Connection {
  socket: WebSocket;
  sourceIp: string[];
  caller?: Caller;
  token?: string;
  unwatch?: () => void;
  subscriptions: Map<string, Subscription>;
  keepAlive?: NodeJS.Timeout;
}

/** An error entry of an `error` message: validation errors carry only `message`, refusals an `errorType` too. */
export type ProtocolError = { message: string; errorType?: string };

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function send(connection: Connection, message: unknown): void {
  if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(message));
}

export function sendErrors(connection: Connection, id: string | undefined, errors: ProtocolError[]): void {
  send(connection, { type: 'error', ...(id ? { id } : {}), payload: { errors } });
}

export const sendError = (connection: Connection, id: string | undefined, errorType: string, message: string) =>
  sendErrors(connection, id, [{ errorType, message }]);

function decodeHeaderJson(encoded: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** The `Authorization` value of the connection's auth header (subprotocol or query string). */
export function connectionToken(req: IncomingMessage): string | undefined {
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  const header = protocols.find((p) => p.startsWith('header-'));
  const query = new URL(req.url ?? '/', 'http://local').searchParams.get('header');
  const encoded = header ? header.slice('header-'.length) : query;
  if (!encoded) return undefined;
  try {
    const json = decodeHeaderJson(encoded);
    const token = json.Authorization ?? json.authorization;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}
