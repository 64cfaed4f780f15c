import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { callGraphQLWithIam } from '../../functions/shared/publish.ts';
import { UnauthorizedError, type CognitoIdentity } from '../../local/server/auth.ts';
import { PROJECT_ROOT, startLocalStack, type LocalStack } from '../../local/stack.ts';
import { createResolvers } from '../../local/wiring.ts';
import { eventually } from '../e2e/steps.ts';

/**
 * Subscriptions through the whole local runtime (real-time server, GraphQL executor and the
 * APPSYNC_JS resolver executor) on a small chat API written for this test: argument filters
 * (matched against the fields the mutation selected), an enhanced filter set by the
 * subscription's resolver (`extensions.setSubscriptionFilter`), and invalidation
 * (`extensions.setSubscriptionInvalidationFilter` on the subscription, `invalidateSubscriptions`
 * in an IAM mutation), plus the real-time protocol's keep-alives.
 */
const SCHEMA = `
type Message @aws_cognito_user_pools @aws_iam {
  room: String!
  owner: String!
  text: String!
  level: Int
}
type Membership @aws_iam {
  room: String!
  owner: String!
}
type Query { none: String }
type Mutation {
  post(room: String!, text: String!, level: Int): Message
  removeMember(room: String!, owner: String!): Membership @aws_iam
}
type Subscription {
  onPost(room: String, owner: String): Message @aws_subscribe(mutations: ["post"])
  onImportant: Message @aws_subscribe(mutations: ["post"])
  onRoom(room: String!): Message @aws_subscribe(mutations: ["post"])
}
`;

const RESOLVERS: Record<string, string> = {
  'Mutation.post.NONE.ts': `
import { util } from '@aws-appsync/utils';
export function request(ctx) {
  return { payload: { ...ctx.args, owner: ctx.identity.sub } };
}
export function response(ctx) {
  return ctx.result;
}`,
  'Mutation.removeMember.NONE.ts': `
import { extensions } from '@aws-appsync/utils';
export function request(ctx) {
  return { payload: ctx.args };
}
export function response(ctx) {
  extensions.invalidateSubscriptions({ subscriptionField: 'onRoom', payload: { room: ctx.args.room, owner: ctx.args.owner } });
  return ctx.result;
}`,
  'Subscription.onImportant.NONE.ts': `
import { util, extensions } from '@aws-appsync/utils';
export function request(ctx) {
  return { payload: null };
}
// Other people's posts of level 5 or more.
export function response(ctx) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ level: { ge: 5 }, owner: { ne: ctx.identity.sub } }));
  return null;
}`,
  'Subscription.onRoom.NONE.ts': `
import { util, extensions } from '@aws-appsync/utils';
export function request(ctx) {
  return { payload: null };
}
export function response(ctx) {
  extensions.setSubscriptionInvalidationFilter(util.transform.toSubscriptionFilter({ room: { eq: ctx.args.room }, owner: { eq: ctx.identity.sub } }));
  return null;
}`,
};

const identityOf = (sub: string): CognitoIdentity => ({
  sub,
  issuer: 'local',
  username: sub,
  claims: { sub },
  sourceIp: ['127.0.0.1'],
  defaultAuthStrategy: 'ALLOW',
  groups: null,
});
let stack: LocalStack;
let dataDir: string;
let apiRoot: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'server-subscriptions-'));
  apiRoot = await mkdtemp(path.join(tmpdir(), 'chat-api-'));
  await mkdir(path.join(apiRoot, 'resolvers'));
  await copyFile(path.join(PROJECT_ROOT, 'appsync.graphql'), path.join(apiRoot, 'appsync.graphql'));
  await writeFile(path.join(apiRoot, 'schema.graphql'), SCHEMA);
  for (const [file, code] of Object.entries(RESOLVERS)) await writeFile(path.join(apiRoot, 'resolvers', file), code);
  stack = await startLocalStack({
    port: 0,
    dataDir,
    quiet: true,
    env: {},
    functions: [],
    apiRoot,
    keepAliveMs: 300,
    createResolvers,
    createCognito: async () => ({
      userPoolId: 'us-east-1_local',
      userPoolClientId: 'client',
      route: { matches: () => false, handle: () => {} },
      verify: async (token) => {
        if (!token.startsWith('valid:')) throw new UnauthorizedError('Unauthorized');
        return identityOf(token.slice('valid:'.length));
      },
    }),
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(apiRoot, { recursive: true, force: true });
});

interface Client {
  messages: any[];
  socket: WebSocket;
  start(id: string, query: string, variables?: Record<string, unknown>): Promise<any>;
  data(id: string): unknown[];
}

/** Given a client speaking AppSync's real-time protocol, authenticated as `sub`. */
async function connect(sub: string, options: { init?: boolean } = {}): Promise<Client> {
  const host = new URL(stack.urls.graphql).host;
  const header = Buffer.from(JSON.stringify({ Authorization: `valid:${sub}`, host })).toString('base64url');
  const socket = new WebSocket(stack.urls.realtime, ['graphql-ws', `header-${header}`], { rejectUnauthorized: false });
  const messages: any[] = [];
  socket.on('message', (raw) => messages.push(JSON.parse(raw.toString())));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  if (options.init !== false) {
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await eventually(
      () => messages,
      (m) => m.some((x) => x.type === 'connection_ack'),
    );
  }
  return {
    messages,
    socket,
    async start(id, query, variables = {}) {
      socket.send(
        JSON.stringify({
          id,
          type: 'start',
          payload: {
            data: JSON.stringify({ query, variables }),
            extensions: { authorization: { Authorization: `valid:${sub}`, host } },
          },
        }),
      );
      return eventually(
        () => messages.find((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error')),
        Boolean,
      );
    },
    data: (id) => messages.filter((m) => m.id === id && m.type === 'data').map((m) => m.payload.data),
  };
}

/** When `sub` posts a message through the API (user pool auth), selecting `selection`. */
async function post(sub: string, args: string, selection = 'r: room t: text owner level') {
  const response = await fetch(stack.urls.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `valid:${sub}` },
    body: JSON.stringify({ query: `mutation { post(${args}) { ${selection} } }` }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** Waits for `count` deliveries in total across `clients`, then a little more to catch strays. */
async function settle(clients: Client[], ids: string[], count: number) {
  await eventually(
    () => clients.flatMap((c) => ids.flatMap((id) => c.data(id))).length,
    (n) => n >= count,
  );
  await new Promise((resolve) => setTimeout(resolve, 150));
}

describe('subscription argument filters', () => {
  it('given subscribers with and without arguments, when messages are posted, then each gets only those whose selected fields equal its arguments', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const carol = await connect('carol');
    expect(await alice.start('a', 'subscription { onPost(room: "a") { room text } }')).toMatchObject({
      type: 'start_ack',
    });
    expect(
      await bob.start('b', 'subscription ($room: String) { onPost(room: $room) { room text } }', { room: 'b' }),
    ).toMatchObject({ type: 'start_ack' });
    expect(await carol.start('c', 'subscription { onPost { room owner } }')).toMatchObject({ type: 'start_ack' });
    expect(await carol.start('c-own', 'subscription { onPost(owner: "bob") { text } }')).toMatchObject({
      type: 'start_ack',
    });

    // The posts select their fields under aliases: filters still match them by field name.
    await post('alice', 'room: "a", text: "hello a"');
    await post('bob', 'room: "b", text: "hello b"');
    await settle([alice, bob, carol], ['a', 'b', 'c', 'c-own'], 5);

    expect(alice.data('a')).toEqual([{ onPost: { room: 'a', text: 'hello a' } }]);
    expect(bob.data('b')).toEqual([{ onPost: { room: 'b', text: 'hello b' } }]);
    expect(carol.data('c')).toEqual([
      { onPost: { room: 'a', owner: 'alice' } },
      { onPost: { room: 'b', owner: 'bob' } },
    ]);
    expect(carol.data('c-own')).toEqual([{ onPost: { text: 'hello b' } }]);
    for (const c of [alice, bob, carol]) c.socket.close();
  });

  it("given aliases and fragments named after Object.prototype's properties, then the data delivered has exactly the keys asked for", async () => {
    const alice = await connect('alice');
    const query =
      'subscription { onPost(room: "proto") { __proto__: text constructor: room ...toString ...__proto__ } } ' +
      'fragment toString on Message { owner } fragment __proto__ on Message { level }';
    expect(await alice.start('p', query)).toMatchObject({ type: 'start_ack' });
    await post('alice', 'room: "proto", text: "hi", level: 3');
    await settle([alice], ['p'], 1);
    expect(JSON.stringify(alice.data('p'))).toBe(
      '[{"onPost":{"__proto__":"hi","constructor":"proto","owner":"alice","level":3}}]',
    );
    alice.socket.close();
  });

  it('given a subscriber filtering on room, when a post does not select room, then it is not delivered to it (AppSync filters on the mutation selection)', async () => {
    const alice = await connect('alice');
    const carol = await connect('carol');
    await alice.start('a', 'subscription { onPost(room: "a") { room text } }');
    await carol.start('c', 'subscription { onPost { room text } }');
    await post('alice', 'room: "a", text: "no room selected"', 'text');
    await settle([carol], ['c'], 1);
    expect(carol.data('c')).toEqual([{ onPost: { room: null, text: 'no room selected' } }]);
    expect(alice.data('a')).toEqual([]);
    alice.socket.close();
    carol.socket.close();
  });
});

describe('enhanced subscription filters', () => {
  it("given a resolver filter on level >= 5 and someone else's posts, then only those are delivered", async () => {
    const dave = await connect('dave');
    expect(await dave.start('imp', 'subscription { onImportant { text level } }')).toMatchObject({ type: 'start_ack' });
    await post('erin', 'room: "x", text: "low", level: 2');
    await post('erin', 'room: "x", text: "high", level: 7');
    await post('dave', 'room: "x", text: "my own", level: 9');
    await post('erin', 'room: "x", text: "exact", level: 5');
    await post('erin', 'room: "x", text: "no level"');
    await settle([dave], ['imp'], 2);
    expect(dave.data('imp')).toEqual([
      { onImportant: { text: 'high', level: 7 } },
      { onImportant: { text: 'exact', level: 5 } },
    ]);
    dave.socket.close();
  });
});

describe('subscription invalidation', () => {
  it('given two members subscribed to a room, when an IAM mutation removes one, then only that subscription is ended with complete and receives nothing more', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    await alice.start('room', 'subscription { onRoom(room: "r1") { text } }');
    await bob.start('room', 'subscription { onRoom(room: "r1") { text } }');
    await alice.start('other', 'subscription { onRoom(room: "r2") { text } }');

    await callGraphQLWithIam('mutation { removeMember(room: "r1", owner: "alice") { room owner } }', {});
    await eventually(
      () => alice.messages,
      (m) => m.some((x) => x.type === 'complete'),
    );
    expect(alice.messages.filter((m) => m.type === 'complete')).toEqual([{ type: 'complete', id: 'room' }]);
    expect(bob.messages.filter((m) => m.type === 'complete')).toEqual([]);

    await post('carol', 'room: "r1", text: "after removal"');
    await post('carol', 'room: "r2", text: "other room"');
    await settle([alice, bob], ['room', 'other'], 2);
    expect(alice.data('room')).toEqual([]);
    expect(alice.data('other')).toEqual([{ onRoom: { text: 'other room' } }]);
    expect(bob.data('room')).toEqual([{ onRoom: { text: 'after removal' } }]);
    alice.socket.close();
    bob.socket.close();
  });

  it('given a user pool caller, when it calls the IAM-only invalidating mutation, then it is refused and nothing is invalidated', async () => {
    const bob = await connect('bob');
    await bob.start('room', 'subscription { onRoom(room: "r3") { text } }');
    const response = await fetch(stack.urls.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'valid:mallory' },
      body: JSON.stringify({ query: 'mutation { removeMember(room: "r3", owner: "bob") { room } }' }),
    });
    expect(((await response.json()) as { errors: Array<{ errorType: string }> }).errors[0].errorType).toBe(
      'Unauthorized',
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(bob.messages.filter((m) => m.type === 'complete')).toEqual([]);
    bob.socket.close();
  });
});

describe('the real-time protocol', () => {
  it('given a client that never sends connection_init, then it still gets keep-alives and can subscribe', async () => {
    const quiet = await connect('frank', { init: false });
    await eventually(
      () => quiet.messages,
      (m) => m.filter((x) => x.type === 'ka').length >= 2,
      3000,
    );
    expect(quiet.messages.length).toBeGreaterThanOrEqual(2);
    expect(quiet.messages.every((m) => m.type === 'ka')).toBe(true);
    expect(await quiet.start('p', 'subscription { onPost(room: "q") { text } }')).toEqual({
      type: 'start_ack',
      id: 'p',
    });
    await post('frank', 'room: "q", text: "no init needed"');
    await settle([quiet], ['p'], 1);
    expect(quiet.data('p')).toEqual([{ onPost: { text: 'no init needed' } }]);
    quiet.socket.close();
  });

  it('given connection_init, then connection_ack with the timeout, an immediate ka, then periodic ones', async () => {
    const client = await connect('gina');
    await eventually(
      () => client.messages,
      (m) => m.filter((x) => x.type === 'ka').length >= 3,
      3000,
    );
    expect(client.messages.filter((m) => m.type === 'ka').length).toBeGreaterThanOrEqual(3);
    expect(client.messages.slice(0, 2)).toEqual([
      { type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } },
      { type: 'ka' },
    ]);
    client.socket.close();
  });
});
