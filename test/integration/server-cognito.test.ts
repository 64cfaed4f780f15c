import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishBudgetAlert } from '../../functions/shared/publish.ts';
import { createLocalCognitoStandIn } from '../../local/cognito/stand-in.ts';
import type { ResolverRunner } from '../../local/server/graphql.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { startAmplifyProcess, type AmplifyProcess } from '../e2e/amplify-process.ts';
import { givenSignedInUser, graphql, PASSWORD, subscribeOverWebSocket, verificationCodeFor, eventually, budgetAlertFor, type SignedInUser } from '../e2e/steps.ts';

/**
 * The API's auth with the real Cognito stand-in: the unmodified Amplify v6 client signs up
 * (code from the outbox), signs in with SRP and subscribes over wss://; an IAM-signed publish
 * reaches its owner only; forged, expired and mismatched tokens get 401 at the HTTP layer.
 * The resolver executor is not part of this test: a few fields answer from a small runner.
 */
const resolvers: ResolverRunner = {
  hasResolver: (type, field) => ['Query.listExpenses', 'Mutation.publishBudgetAlert', 'Subscription.onBudgetAlert'].includes(`${type}.${field}`),
  async run(type, field, ctx) {
    if (field === 'listExpenses') return { data: { items: [], nextToken: null }, errors: [] };
    if (field === 'publishBudgetAlert') return { data: ctx.arguments.input, errors: [] };
    // As the real subscription resolver does: filtered on the subscriber's own sub.
    return { data: null, errors: [], subscriptionFilter: { filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: (ctx.identity as { sub: string }).sub }] }] } };
  },
};

let stack: LocalStack;
let dataDir: string;
let amplify: AmplifyProcess;



beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'server-cognito-'));
  stack = await startLocalStack({ port: 0, dataDir, quiet: true, env: {}, functions: [], createResolvers: async () => resolvers, createCognito: createLocalCognitoStandIn });
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
    expect((await amplify.call('confirmSignUp', email, await verificationCodeFor(stack, email))).isSignUpComplete).toBe(true);
    expect((await amplify.call('signIn', email, PASSWORD)).isSignedIn).toBe(true);
    const alice = await amplify.call<{ sub: string }>('session');

    expect(await amplify.call('graphql', '{ listExpenses { items { id } nextToken } }')).toEqual({ data: { listExpenses: { items: [], nextToken: null } } });
    const forbidden = await amplify.call('graphql', 'mutation ($input: BudgetAlertInput!) { publishBudgetAlert(input: $input) { owner } }', { input: budgetAlertFor(alice.sub, 100) });
    expect(forbidden.errors).toEqual([{ message: 'Not Authorized to access publishBudgetAlert on type Mutation', errorType: 'Unauthorized' }]);

    const bob = await givenSignedInUser(stack, 'bob@example.com');
    const bobSub = decodeJwt(bob.accessToken).sub!;
    await amplify.call('subscribe', 'alerts', 'subscription { onBudgetAlert { owner budgetName threshold } }');
    const bobSocket = await subscribeOverWebSocket(stack, bob.accessToken, 'subscription { onBudgetAlert { owner threshold } }');
    await eventually(() => stack.realtime.subscriberCount(), (n) => n >= 2);

    await publishBudgetAlert(budgetAlertFor(alice.sub, 80));
    await publishBudgetAlert(budgetAlertFor(bobSub, 50));
    const received = await eventually(() => amplify.call('received', 'alerts'), (r) => r.events.length >= 1);
    await eventually(() => bobSocket.data, (d) => d.length >= 1);
    expect(received).toEqual({ events: [{ onBudgetAlert: { owner: alice.sub, budgetName: 'Eating out', threshold: 80 } }], errors: [] });
    expect(bobSocket.data).toEqual([{ onBudgetAlert: { owner: bobSub, threshold: 50 } }]);
    bobSocket.socket.close();
    await amplify.call('unsubscribe', 'alerts');
  });
});

describe('token attacks are rejected at the HTTP layer with 401 UnauthorizedException', () => {
  const query = '{ listExpenses { items { id } } }';
  let user: SignedInUser;
  const expectRejected = async (token: string) => {
    const answer = await graphql(stack.urls.graphql, query, {}, token);
    expect(answer.status).toBe(401);
    expect(answer.errorType).toBe('UnauthorizedException');
    expect(answer.body.errors?.[0].errorType).toBe('UnauthorizedException');
  };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  beforeAll(async () => {
    user = await givenSignedInUser(stack, 'carol@example.com');
  });

  it('accepts the genuine access and id tokens (AppSync takes both)', async () => {
    expect((await graphql(stack.urls.graphql, query, {}, user.accessToken)).status).toBe(200);
    expect((await graphql(stack.urls.graphql, query, {}, user.idToken)).status).toBe(200);
  });

  it('rejects an expired token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3600 * 1000);
    try {
      await expectRejected(user.accessToken);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects changed claims under the original signature, and a garbage signature', async () => {
    const [header, payload, signature] = user.accessToken.split('.');
    await expectRejected(`${header}.${encode({ ...decodeJwt(user.accessToken), sub: 'someone-else' })}.${signature}`);
    await expectRejected(`${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`);
  });

  it('rejects tokens of another pool, of another app client, and of a foreign key under this pool\'s kid', async () => {
    const claims = decodeJwt(user.accessToken);
    const { kid } = JSON.parse(Buffer.from(user.accessToken.split('.')[0], 'base64url').toString()) as { kid: string };
    const { privateKey } = await generateKeyPair('RS256');
    const sign = (c: Record<string, unknown>) => new SignJWT(c).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    await expectRejected(await sign({ ...claims, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool' }));
    await expectRejected(await sign({ ...claims, client_id: 'another-client' }));
    await expectRejected(await sign(claims));
  });

  it('rejects alg none, the refresh token, and a Bearer-prefixed token', async () => {
    await expectRejected(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(decodeJwt(user.accessToken))}.`);
    await expectRejected(user.refreshToken);
    await expectRejected(`Bearer ${user.accessToken}`);
  });

  it('rejects a token after the user signs out everywhere', async () => {
    const dave = await givenSignedInUser(stack, 'dave@example.com');
    const response = await fetch(stack.urls.cognito, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.GlobalSignOut' },
      body: JSON.stringify({ AccessToken: dave.accessToken }),
    });
    expect(response.status).toBe(200);
    await expectRejected(dave.accessToken);
  });
});
