import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { decodeJwt, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishBudgetAlert } from '../../functions/shared/publish.ts';
import { createLocalCognitoStandIn } from '../../local/cognito/stand-in.ts';
import type { ResolverRunner } from '../../local/server/graphql.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { startAmplifyProcess, type AmplifyProcess } from '../e2e/amplify-process.ts';
import {
  budgetAlertFor,
  endpointsOf,
  eventually,
  givenSignedInUser,
  graphql,
  PASSWORD,
  signIn,
  subscribeOverWebSocket,
  verificationCodeFor,
  type SignedInUser,
} from '../e2e/steps.ts';

/**
 * The API's auth with the real Cognito stand-in: the unmodified Amplify v6 client signs up
 * (code from the outbox), signs in with SRP and subscribes over wss://; an IAM-signed publish
 * reaches its owner only; forged, expired, mismatched and revoked tokens are refused on every door.
 * The resolver executor is not part of this test: a few fields answer from a small runner.
 */
const resolvers: ResolverRunner = {
  hasResolver: (type, field) =>
    ['Query.listExpenses', 'Mutation.publishBudgetAlert', 'Subscription.onBudgetAlert'].includes(`${type}.${field}`),
  async run(type, field, ctx) {
    if (field === 'listExpenses') return { data: { items: [], nextToken: null }, errors: [] };
    if (field === 'publishBudgetAlert') return { data: ctx.arguments.input, errors: [] };
    // As the real subscription resolver does: filtered on the subscriber's own sub.
    return {
      data: null,
      errors: [],
      subscriptionFilter: {
        filterGroup: [
          { filters: [{ fieldName: 'owner', operator: 'eq', value: (ctx.identity as { sub: string }).sub }] },
        ],
      },
    };
  },
};

let stack: LocalStack;
let dataDir: string;
let amplify: AmplifyProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'server-cognito-'));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    quiet: true,
    env: {},
    functions: [],
    createResolvers: async () => resolvers,
    createCognito: createLocalCognitoStandIn,
  });
  amplify = await startAmplifyProcess(stack.certificateFile);
  await amplify.call('configure', stack.urls.amplifyOutputs);
});

afterAll(async () => {
  amplify?.stop();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a user of the Amplify v6 client', () => {
  it('signs up, confirms with the emailed code, signs in with SRP, and receives only its own alerts', async () => {
    const email = 'alice@example.com';
    expect((await amplify.call('signUp', email, PASSWORD)).nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    expect((await amplify.call('confirmSignUp', email, await verificationCodeFor(stack, email))).isSignUpComplete).toBe(
      true,
    );
    expect((await amplify.call('signIn', email, PASSWORD)).isSignedIn).toBe(true);
    const alice = await amplify.call<{ sub: string }>('session');

    expect(await amplify.call('graphql', '{ listExpenses { items { id } nextToken } }')).toEqual({
      data: { listExpenses: { items: [], nextToken: null } },
    });
    const forbidden = await amplify.call(
      'graphql',
      'mutation ($input: BudgetAlertInput!) { publishBudgetAlert(input: $input) { owner } }',
      { input: budgetAlertFor(alice.sub, 100) },
    );
    expect(forbidden.errors).toEqual([
      { message: 'Not Authorized to access publishBudgetAlert on type Mutation', errorType: 'Unauthorized' },
    ]);

    const bob = await givenSignedInUser(stack, 'bob@example.com');
    const bobSub = decodeJwt(bob.accessToken).sub!;
    await amplify.call('subscribe', 'alerts', 'subscription { onBudgetAlert { owner budgetName threshold } }');
    const bobSocket = await subscribeOverWebSocket(
      stack,
      bob.accessToken,
      'subscription { onBudgetAlert { owner threshold } }',
    );
    await eventually(
      () => stack.realtime.subscriberCount(),
      (n) => n >= 2,
    );

    await publishBudgetAlert(budgetAlertFor(alice.sub, 80));
    await publishBudgetAlert(budgetAlertFor(bobSub, 50));
    const received = await eventually(
      () => amplify.call('received', 'alerts'),
      (r) => r.events.length >= 1,
    );
    await eventually(
      () => bobSocket.data,
      (d) => d.length >= 1,
    );
    expect(received).toEqual({
      events: [{ onBudgetAlert: { owner: alice.sub, budgetName: 'Eating out', threshold: 80 } }],
      errors: [],
    });
    expect(bobSocket.data).toEqual([{ onBudgetAlert: { owner: bobSub, threshold: 50 } }]);
    bobSocket.socket.close();
    await amplify.call('unsubscribe', 'alerts');
  });
});

/**
 * Token attacks, each a token AppSync must refuse for the one reason it names: the forgeries
 * are signed with the pool's own key (read from DATA_DIR, as an attacker who stole it could),
 * so the signature check passes and only the changed claim or header can reject them. The
 * same set is tried on the three doors: HTTP, the real-time connection (header subprotocol,
 * answered by connection_error) and a real-time start (`extensions.authorization`).
 */
describe('token attacks', () => {
  let user: SignedInUser;
  let poolKey: { key: Awaited<ReturnType<typeof importJWK>>; kid: string };
  const query = '{ listExpenses { items { id } } }';
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  /** `token`'s claims with `changes` (undefined removes a claim), signed with the pool's key. */
  const resign = (token: string, changes: Record<string, unknown> = {}) => {
    const claims: Record<string, unknown> = { ...decodeJwt(token), ...changes };
    for (const [name, value] of Object.entries(changes)) if (value === undefined) delete claims[name];
    return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: poolKey.kid }).sign(poolKey.key);
  };

  beforeAll(async () => {
    user = await givenSignedInUser(stack, 'carol@example.com');
    const state = JSON.parse(await readFile(path.join(dataDir, 'cognito', 'state.json'), 'utf8')) as {
      keys: { kid: string; privateJwk: JWK };
    };
    poolKey = { key: await importJWK(state.keys.privateJwk, 'RS256'), kid: state.keys.kid };
  });

  const INVALID = 'Unauthorized';
  const UNPARSABLE = 'Unable to parse JWT token.';
  const EXPIRED = 'Token has expired.';
  const now = () => Math.floor(Date.now() / 1000);
  const attacks: Array<[string, () => Promise<string> | string, string]> = [
    [
      'an access token of another pool (iss)',
      () => resign(user.accessToken, { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool' }),
      INVALID,
    ],
    [
      'an id token of another pool (iss)',
      () => resign(user.idToken, { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool' }),
      INVALID,
    ],
    [
      'an access token of another app client (client_id)',
      () => resign(user.accessToken, { client_id: 'another-client' }),
      INVALID,
    ],
    ['an id token for another app client (aud)', () => resign(user.idToken, { aud: 'another-client' }), INVALID],
    [
      'an access token presented as an id token (token_use id, no aud)',
      () => resign(user.accessToken, { token_use: 'id' }),
      INVALID,
    ],
    [
      'an id token presented as an access token (token_use access, no client_id)',
      () => resign(user.idToken, { token_use: 'access' }),
      INVALID,
    ],
    ['a token_use that is neither access nor id', () => resign(user.accessToken, { token_use: 'refresh' }), INVALID],
    [
      'an expired access token (exp)',
      () => resign(user.accessToken, { iat: now() - 7200, exp: now() - 3600 }),
      EXPIRED,
    ],
    ['an access token without exp', () => resign(user.accessToken, { exp: undefined }), EXPIRED],
    [
      'alg none with genuine claims',
      () => `${encode({ alg: 'none', typ: 'JWT' })}.${encode(decodeJwt(user.accessToken))}.`,
      UNPARSABLE,
    ],
    [
      'HS256 keyed with the public key',
      async () => {
        const state = JSON.parse(await readFile(path.join(dataDir, 'cognito', 'state.json'), 'utf8')) as {
          keys: { publicJwk: JWK };
        };
        return new SignJWT(decodeJwt(user.accessToken))
          .setProtectedHeader({ alg: 'HS256', kid: poolKey.kid })
          .sign(new TextEncoder().encode(JSON.stringify(state.keys.publicJwk)));
      },
      UNPARSABLE,
    ],
    [
      'changed claims under the original signature',
      () => {
        const [h, , sig] = user.accessToken.split('.');
        return `${h}.${encode({ ...decodeJwt(user.accessToken), sub: 'someone-else' })}.${sig}`;
      },
      INVALID,
    ],
    ['the refresh token', () => user.refreshToken, UNPARSABLE],
    ['a Bearer-prefixed access token', () => `Bearer ${user.accessToken}`, UNPARSABLE],
  ];

  it('given the genuine access and id tokens, and them re-signed unchanged with the pool key, then all are accepted everywhere (AppSync takes both)', async () => {
    for (const token of [user.accessToken, user.idToken, await resign(user.accessToken), await resign(user.idToken)]) {
      expect((await graphql(stack.urls.graphql, query, {}, token)).status).toBe(200);
      expect(await connectionAnswer(token)).toEqual({
        type: 'connection_ack',
        payload: { connectionTimeoutMs: 300000 },
      });
      expect(await startAnswer(user.accessToken, token)).toEqual({ type: 'start_ack', id: 'attack' });
    }
  });

  it.each(attacks)('given %s, then HTTP answers 401 UnauthorizedException', async (_name, forge, message) => {
    const answer = await graphql(stack.urls.graphql, query, {}, await forge());
    expect(answer).toEqual({
      status: 401,
      errorType: 'UnauthorizedException',
      body: { errors: [{ errorType: 'UnauthorizedException', message }] },
    });
  });

  it.each(attacks)('given %s in the real-time header, then connection_error 401', async (_name, forge, message) => {
    expect(await connectionAnswer(await forge())).toEqual({
      type: 'connection_error',
      payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] },
    });
  });

  it.each(attacks)(
    "given %s in a start's extensions.authorization, then that start fails with UnauthorizedException",
    async (_name, forge, message) => {
      expect(await startAnswer(user.accessToken, await forge())).toEqual({
        type: 'error',
        id: 'attack',
        payload: { errors: [{ errorType: 'UnauthorizedException', message }] },
      });
    },
  );

  it('given a token that worked, when the clock passes its exp, then it is refused as expired everywhere', async () => {
    expect((await graphql(stack.urls.graphql, query, {}, user.accessToken)).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3600 * 1000);
    try {
      expect((await graphql(stack.urls.graphql, query, {}, user.accessToken)).body.errors).toEqual([
        { errorType: 'UnauthorizedException', message: EXPIRED },
      ]);
      expect(await connectionAnswer(user.accessToken)).toMatchObject({
        type: 'connection_error',
        payload: { errors: [{ message: EXPIRED, errorCode: 401 }] },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('given two sessions, when one refresh token is revoked (RevokeToken) and then the user signs out everywhere (GlobalSignOut), then each session stops working on HTTP and over WebSocket', async () => {
    const dave = await givenSignedInUser(stack, 'dave@example.com');
    const daveAgain = await signIn(endpointsOf(stack), 'dave@example.com');
    const works = async (token: string) =>
      (await graphql(stack.urls.graphql, query, {}, token)).status === 200 &&
      (await connectionAnswer(token)).type === 'connection_ack' &&
      (await startAnswer(daveAgain.accessToken, token)).type === 'start_ack';
    const refused = async (token: string) => {
      expect((await graphql(stack.urls.graphql, query, {}, token)).body).toEqual({
        errors: [{ errorType: 'UnauthorizedException', message: INVALID }],
      });
      expect(await connectionAnswer(token)).toMatchObject({
        type: 'connection_error',
        payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 401 }] },
      });
      return true;
    };
    expect(await works(dave.accessToken)).toBe(true);
    expect(await works(dave.idToken)).toBe(true);

    await cognitoCall('RevokeToken', { ClientId: stack.cognito.userPoolClientId, Token: dave.refreshToken });
    expect(await refused(dave.accessToken)).toBe(true);
    expect(await refused(dave.idToken)).toBe(true);
    expect(await startAnswer(daveAgain.accessToken, dave.accessToken)).toMatchObject({
      type: 'error',
      payload: { errors: [{ errorType: 'UnauthorizedException' }] },
    });
    expect(await works(daveAgain.accessToken)).toBe(true);

    await cognitoCall('GlobalSignOut', { AccessToken: daveAgain.accessToken });
    expect(await refused(daveAgain.accessToken)).toBe(true);
    expect(await refused(daveAgain.idToken)).toBe(true);
  });
});

/**
 * The attack matrix for sessions that end: after RevokeToken, GlobalSignOut, a password reset
 * or the token's expiry, every door is shut for the session's tokens, including the
 * subscriptions it already had open. A subscription opened with the session's token closes
 * its connection (as AppSync does); one started with it on someone else's connection gets
 * UnauthorizedException and stops; another user's subscription carries on.
 */
describe('sessions that end', () => {
  const query = '{ listExpenses { items { id } } }';
  const slug = (text: string) => text.replace(/\W+/g, '-').toLowerCase();

  async function resetPassword(user: SignedInUser) {
    await cognitoCall('ForgotPassword', { ClientId: stack.cognito.userPoolClientId, Username: user.email });
    await cognitoCall('ConfirmForgotPassword', {
      ClientId: stack.cognito.userPoolClientId,
      Username: user.email,
      ConfirmationCode: await verificationCodeFor(stack, user.email),
      Password: 'N3w-Password!',
    });
  }
  const endings: Array<[string, (user: SignedInUser) => Promise<unknown>]> = [
    [
      'RevokeToken on its refresh token',
      (user) => cognitoCall('RevokeToken', { ClientId: stack.cognito.userPoolClientId, Token: user.refreshToken }),
    ],
    ['GlobalSignOut', (user) => cognitoCall('GlobalSignOut', { AccessToken: user.accessToken })],
    ['a password reset', resetPassword],
  ];

  it.each(endings)(
    'given a session ended by %s, then its open subscriptions stop, its tokens are refused on every door, and other users carry on',
    async (name, end) => {
      const user = await givenSignedInUser(stack, `ended-${slug(name)}@example.com`);
      const other = await givenSignedInUser(stack, `bystander-${slug(name)}@example.com`);
      const [userSub, otherSub] = [decodeJwt(user.accessToken).sub!, decodeJwt(other.accessToken).sub!];
      const own = await openSubscription(user.accessToken);
      const guest = await openSubscription(other.accessToken, user.accessToken);
      const bystander = await openSubscription(other.accessToken);
      await publishBudgetAlert(budgetAlertFor(userSub, 50));
      await eventually(
        () => own.data.length + guest.data.length,
        (n) => n === 2,
      );

      await end(user);
      expect(await own.closed()).toEqual({ code: 1008, reason: 'Unauthorized' });
      expect(
        await eventually(
          () => guest.errors,
          (errors) => errors.length > 0,
        ),
      ).toEqual([
        {
          type: 'error',
          id: 'ws-1',
          payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Unauthorized' }] },
        },
      ]);
      await publishBudgetAlert(budgetAlertFor(userSub, 80));
      await publishBudgetAlert(budgetAlertFor(otherSub, 80));
      await eventually(
        () => bystander.data.length,
        (n) => n === 1,
      );
      expect(bystander.data).toEqual([{ onBudgetAlert: { owner: otherSub, threshold: 80 } }]);
      expect(own.data).toEqual([{ onBudgetAlert: { owner: userSub, threshold: 50 } }]);
      expect(guest.data).toEqual([{ onBudgetAlert: { owner: userSub, threshold: 50 } }]);
      expect(guest.socket.readyState).toBe(WebSocket.OPEN);

      for (const token of [user.accessToken, user.idToken]) {
        expect((await graphql(stack.urls.graphql, query, {}, token)).body).toEqual({
          errors: [{ errorType: 'UnauthorizedException', message: 'Unauthorized' }],
        });
        expect(await connectionAnswer(token)).toMatchObject({
          type: 'connection_error',
          payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 401 }] },
        });
        expect(await startAnswer(other.accessToken, token)).toMatchObject({
          type: 'error',
          payload: { errors: [{ errorType: 'UnauthorizedException' }] },
        });
      }
      const refresh = await cognitoAnswer('GetTokensFromRefreshToken', {
        ClientId: stack.cognito.userPoolClientId,
        RefreshToken: user.refreshToken,
      });
      expect(refresh).toMatchObject({ status: 400, body: { __type: 'NotAuthorizedException' } });
      for (const subscriber of [guest, bystander]) subscriber.socket.close();
    },
  );

  it('given a subscription open when its token expires, then its connection is closed and gets nothing more, while the refresh token still works', async () => {
    const user = await givenSignedInUser(stack, 'expiring@example.com');
    const userSub = decodeJwt(user.accessToken).sub!;
    const own = await openSubscription(user.accessToken);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3601 * 1000);
    try {
      await publishBudgetAlert(budgetAlertFor(userSub, 50));
      expect(await own.closed()).toEqual({ code: 1008, reason: 'Token has expired.' });
      expect(own.data).toEqual([]);
      const refreshed = await cognitoAnswer('GetTokensFromRefreshToken', {
        ClientId: stack.cognito.userPoolClientId,
        RefreshToken: user.refreshToken,
      });
      expect(refreshed.status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('given a token that expires while its subscription is open, then the connection closes at the expiry without any event to deliver', async () => {
    const user = await givenSignedInUser(stack, 'expiring-idle@example.com');
    // A token of this session re-signed to expire in two seconds, as an attacker holding the pool key could not avoid either.
    const state = JSON.parse(await readFile(path.join(dataDir, 'cognito', 'state.json'), 'utf8')) as {
      keys: { kid: string; privateJwk: JWK };
    };
    const shortLived = await new SignJWT({ ...decodeJwt(user.accessToken), exp: Math.floor(Date.now() / 1000) + 2 })
      .setProtectedHeader({ alg: 'RS256', kid: state.keys.kid })
      .sign(await importJWK(state.keys.privateJwk, 'RS256'));
    const own = await openSubscription(shortLived);
    const started = Date.now();
    expect(await own.closed()).toEqual({ code: 1008, reason: 'Token has expired.' });
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('an Amplify v6 subscriber whose session ends elsewhere', () => {
  it('given a subscription, when the user signs out everywhere from another device, then the socket is closed, Amplify cannot reconnect with its token, the subscription fails and nothing more arrives', async () => {
    const email = 'amplify-signed-out@example.com';
    await amplify.call('signOut');
    await amplify.call('signUp', email, PASSWORD);
    await amplify.call('confirmSignUp', email, await verificationCodeFor(stack, email));
    await amplify.call('signIn', email, PASSWORD);
    const session = await amplify.call<{ sub: string; accessToken: string }>('session');
    await amplify.call('subscribe', 'signed-out', 'subscription { onBudgetAlert { owner threshold } }');
    await eventually(
      () => stack.realtime.subscriberCount(),
      (n) => n >= 1,
    );
    await publishBudgetAlert(budgetAlertFor(session.sub, 50));
    await eventually(
      () => amplify.call('received', 'signed-out'),
      (r) => r.events.length === 1,
    );

    // Another device signs the user out everywhere (its own tokens are of the same user).
    const elsewhere = await signIn(endpointsOf(stack), email);
    await cognitoCall('GlobalSignOut', { AccessToken: elsewhere.accessToken });
    await eventually(
      () => stack.realtime.subscriberCount(),
      (n) => n === 0,
    );
    await publishBudgetAlert(budgetAlertFor(session.sub, 80));
    const received = await eventually(
      () => amplify.call('received', 'signed-out'),
      (r) => r.errors.length > 0,
      15_000,
    );
    expect(received.events).toEqual([{ onBudgetAlert: { owner: session.sub, threshold: 50 } }]);
    // Amplify reports a failed reconnection without the server's message (it spreads a GraphQLError).
    expect(received.errors).toHaveLength(1);
    expect(stack.realtime.subscriberCount()).toBe(0);
  }, 30_000);
});

/** Responses of the Cognito endpoint, status and body. */
async function cognitoAnswer(operation: string, body: Record<string, unknown>) {
  const response = await fetch(stack.urls.cognito, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { __type?: string } };
}

/** A subscriber to onBudgetAlert on a connection opened with `connectionToken`, its start authorized by `startToken`. */
const openSubscription = (connectionToken: string, startToken = connectionToken) =>
  subscribeOverWebSocket(stack, connectionToken, 'subscription { onBudgetAlert { owner threshold } }', { startToken });

async function cognitoCall(operation: string, body: Record<string, unknown>) {
  expect((await cognitoAnswer(operation, body)).status).toBe(200);
}

/** A real-time connection authorized by `token` in the header subprotocol, as Amplify opens it. */
async function realtimeSocket(token: string) {
  const host = new URL(stack.urls.graphql).host;
  const header = Buffer.from(JSON.stringify({ Authorization: token, host })).toString('base64url');
  return {
    host,
    socket: new WebSocket(stack.urls.realtime, ['graphql-ws', `header-${header}`], {
      ca: await readFile(stack.certificateFile),
    }),
  };
}

/** The real-time endpoint's first answer to a connection authorized by `token`. */
async function connectionAnswer(token: string): Promise<any> {
  const { socket } = await realtimeSocket(token);
  try {
    return await new Promise((resolve, reject) => {
      socket.on('error', reject);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (raw) => resolve(JSON.parse(raw.toString())));
    });
  } finally {
    socket.close();
  }
}

/** The answer to a start authorized by `startToken` in `extensions.authorization`, on a connection opened with `connectionToken`. */
async function startAnswer(connectionToken: string, startToken: string): Promise<any> {
  const { host, socket } = await realtimeSocket(connectionToken);
  try {
    return await new Promise((resolve, reject) => {
      socket.on('error', reject);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (raw) => {
        const message = JSON.parse(raw.toString());
        if (message.type === 'connection_ack') {
          const data = JSON.stringify({ query: 'subscription { onBudgetAlert { owner } }', variables: {} });
          socket.send(
            JSON.stringify({
              id: 'attack',
              type: 'start',
              payload: { data, extensions: { authorization: { Authorization: startToken, host } } },
            }),
          );
        } else if (message.type !== 'ka') resolve(message);
      });
    });
  } finally {
    socket.close();
  }
}
