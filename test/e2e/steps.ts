import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readFile } from 'node:fs/promises';
import { WebSocket } from 'ws';
import type { BudgetAlertInput } from '../../generated/graphql.ts';
import type { LocalStack, LocalStackOptions } from '../../local/stack.ts';
import type { OutboxMessage } from '../../local/ses-outbox.ts';

/**
 * Given / when steps shared by the end-to-end tests and the API benchmark: users signed up
 * through the local Cognito with their code read from the outbox, and GraphQL calls.
 */
export interface SignedInUser {
  email: string;
  password: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export const PASSWORD = 'Corr3ct-Horse!';

/** Where a running stack answers; from an in-process stack or from its amplify_outputs.json. */
export interface StackEndpoints {
  graphql: string;
  cognito: string;
  outbox: string;
  region: string;
  clientId: string;
}

export function endpointsOf(stack: LocalStack): StackEndpoints {
  return {
    graphql: stack.urls.graphql,
    cognito: stack.urls.cognito,
    outbox: stack.urls.outbox,
    region: stack.config.region,
    clientId: stack.cognito.userPoolClientId,
  };
}

export async function endpointsFromOutputs(amplifyOutputsUrl: string): Promise<StackEndpoints> {
  const outputs = (await (await fetch(amplifyOutputsUrl)).json()) as {
    auth: { user_pool_endpoint: string; user_pool_client_id: string; aws_region: string };
    data: { url: string };
  };
  return {
    graphql: outputs.data.url,
    cognito: outputs.auth.user_pool_endpoint,
    outbox: new URL('/outbox', outputs.data.url).href,
    region: outputs.auth.aws_region,
    clientId: outputs.auth.user_pool_client_id,
  };
}

export async function verificationCodeFor(
  stack: StackEndpoints | LocalStack,
  email: string,
  timeoutMs = 5000,
): Promise<string> {
  const endpoints = 'urls' in stack ? endpointsOf(stack) : stack;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = (await (await fetch(`${endpoints.outbox}.json`)).json()) as OutboxMessage[];
    const message = messages.filter((m) => m.to.includes(email)).at(-1);
    const code = message && /\b(\d{6})\b/.exec(`${message.text ?? ''} ${message.html ?? ''}`)?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`No verification code for ${email} in the outbox`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function cognitoClient(endpoints: StackEndpoints): CognitoIdentityProviderClient {
  // Sign-up and sign-in are unauthenticated Cognito calls: any credentials do.
  return new CognitoIdentityProviderClient({
    region: endpoints.region,
    endpoint: endpoints.cognito,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
}

/** Given a confirmed user (code read from the outbox), signed in with USER_PASSWORD_AUTH. */
export async function givenSignedInUser(
  stack: StackEndpoints | LocalStack,
  email: string,
  password = PASSWORD,
): Promise<SignedInUser> {
  const endpoints = 'urls' in stack ? endpointsOf(stack) : stack;
  const cognito = cognitoClient(endpoints);
  const ClientId = endpoints.clientId;
  await cognito.send(
    new SignUpCommand({
      ClientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  await cognito.send(
    new ConfirmSignUpCommand({
      ClientId,
      Username: email,
      ConfirmationCode: await verificationCodeFor(endpoints, email),
    }),
  );
  return signIn(endpoints, email, password);
}

export async function signIn(endpoints: StackEndpoints, email: string, password = PASSWORD): Promise<SignedInUser> {
  const result = await cognitoClient(endpoints).send(
    new InitiateAuthCommand({
      ClientId: endpoints.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const tokens = result.AuthenticationResult!;
  return {
    email,
    password,
    accessToken: tokens.AccessToken!,
    idToken: tokens.IdToken!,
    refreshToken: tokens.RefreshToken!,
  };
}

export interface GraphQLAnswer<T = any> {
  status: number;
  errorType: string | null;
  body: { data?: T; errors?: Array<{ message: string; errorType?: string; path?: unknown }> };
}

/** When a client posts an operation to the GraphQL endpoint (as Amplify does: raw token, no Bearer). */
export async function graphql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  authorization?: string,
): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    body: (await response.json()) as GraphQLAnswer<T>['body'],
  };
}

/**
 * When `user` calls an operation that must succeed (any GraphQL error fails the test), and the
 * Lambda work it started (budget evaluations, search index entries…) has run: its data.
 */
export async function ok<T = any>(
  stack: LocalStack,
  user: SignedInUser,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const answer = await graphql<T>(stack.urls.graphql, query, variables, user.accessToken);
  if (answer.body.errors) throw new Error(`${query}: ${JSON.stringify(answer.body.errors)}`);
  await stack.lambda.drain();
  return answer.body.data as T;
}

/** Where a stack's DynamoDB answers and the credentials it takes, for a stack run in a child process. */
export interface StackDynamoDbAccess {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** A document client on the stack's own DynamoDB (its endpoint, region and credentials), to look at or seed items. */
export function stackDynamoDb(stack: LocalStack | StackDynamoDbAccess): DynamoDBDocumentClient {
  const access =
    'urls' in stack
      ? { endpoint: stack.urls.dynamodb, region: stack.config.region, credentials: stack.config.credentials }
      : stack;
  return DynamoDBDocumentClient.from(new DynamoDBClient(access));
}

/**
 * Given a subscriber speaking AppSync's real-time protocol with `ws` over wss:// (trusting the
 * stack's certificate), on a connection opened with `token` and a start authorized by
 * `startToken` (the same by default): the data and errors it receives after its start_ack,
 * and how its connection closed (`closed()` settles within 5 s of being asked, open or not).
 */
export async function subscribeOverWebSocket(
  stack: LocalStack,
  token: string,
  query: string,
  options: { startToken?: string } = {},
): Promise<{
  socket: WebSocket;
  data: unknown[];
  errors: unknown[];
  closed(): Promise<{ code: number; reason: string }>;
}> {
  const host = new URL(stack.urls.graphql).host;
  const header = Buffer.from(JSON.stringify({ Authorization: token, host })).toString('base64url');
  const socket = new WebSocket(stack.urls.realtime, ['graphql-ws', `header-${header}`], {
    ca: await readFile(stack.certificateFile),
  });
  const data: unknown[] = [];
  const errors: unknown[] = [];
  const closing = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  let started = false;
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: 'ws-1',
            type: 'start',
            payload: {
              data: JSON.stringify({ query, variables: {} }),
              extensions: { authorization: { Authorization: options.startToken ?? token, host } },
            },
          }),
        );
      }
      if (message.type === 'start_ack') {
        started = true;
        resolve();
      }
      if (message.type === 'data') data.push(message.payload.data);
      if (message.type === 'error') {
        if (started) errors.push(message);
        else reject(new Error(JSON.stringify(message.payload)));
      }
    });
  });
  const closed = () =>
    Promise.race([
      closing,
      new Promise<{ code: number; reason: string }>((resolve) =>
        setTimeout(() => resolve({ code: 0, reason: 'still open after 5 s' }), 5000).unref(),
      ),
    ]);
  return { socket, data, errors, closed };
}

/** Then, within a few seconds: polls `read` until `until` holds (or time runs out) and returns the last value. */
export async function eventually<T>(
  read: () => Promise<T> | T,
  until: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A budget alert for `owner` as the functions publish it. */
export const budgetAlertFor = (owner: string, threshold: number): BudgetAlertInput => ({
  id: `budget-1:2026-11-01:${threshold}`,
  owner,
  budgetId: 'budget-1',
  budgetName: 'Eating out',
  category: 'DINING',
  period: 'MONTHLY',
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  threshold,
  spent: threshold * 100,
  limit: 10000,
  currency: 'EUR',
  firedAt: '2026-11-24T10:00:00.000Z',
});

/** Given the whole system as `npm start` runs it (every real module), on a free port and a temp data dir; `options` as startLocalStack takes them. */
export async function givenRunningStack(
  name: string,
  options: Partial<LocalStackOptions> = {},
): Promise<{ stack: LocalStack; stop(): Promise<void> }> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { startLocalStack } = await import('../../local/stack.ts');
  const { createCognito, createExtraRoutes, createResolvers } = await import('../../local/wiring.ts');
  const dataDir = await mkdtemp(path.join(tmpdir(), `e2e-${name}-`));
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    quiet: true,
    env: {},
    createResolvers,
    createCognito,
    extraRoutes: createExtraRoutes,
    ...options,
  });
  return {
    stack,
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
