import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Context, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { publishBudgetAlert } from '../../functions/shared/publish.ts';
import type { BudgetAlertInput } from '../../generated/graphql.ts';
import { startAmplifyProcess } from '../e2e/amplify-process.ts';
import { UnauthorizedError, type CognitoIdentity } from '../../local/server/auth.ts';
import type { ResolverRunner } from '../../local/server/graphql.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';

/**
 * The HTTP and real-time layers of the local AppSync: auth modes, AppSync's error shapes,
 * IAM-signed publishing and filtered fan-out. Resolvers and Cognito are replaced by small
 * stand-ins here so the server's own behaviour is what is under test.
 */
const identityOf = (sub: string): CognitoIdentity => ({
  sub,
  issuer: 'local',
  username: sub,
  claims: { sub },
  sourceIp: ['127.0.0.1'],
  defaultAuthStrategy: 'ALLOW',
  groups: null,
});

const seenSelections: Array<{ list: string[]; graphql: string }> = [];
const resolvers: ResolverRunner = {
  hasResolver: (type, field) =>
    ['Query.me', 'Mutation.publishBudgetAlert', 'Subscription.onBudgetAlert', 'Mutation.createExpense'].includes(
      `${type}.${field}`,
    ),
  async run(type, field, ctx) {
    const sub = (ctx.identity as { sub?: string }).sub;
    switch (`${type}.${field}`) {
      case 'Query.me':
        seenSelections.push({ list: [...ctx.info.selectionSetList], graphql: ctx.info.selectionSetGraphQL });
        // A resolver that changes what it was given must not change what the next request sees.
        ctx.info.selectionSetList.push('tampered');
        return { data: { id: sub, email: `${sub}@example.com`, homeCurrency: 'EUR' }, errors: [] };
      case 'Mutation.createExpense':
        return {
          data: null,
          errors: [
            { message: 'amount must be positive', errorType: 'ValidationError', errorInfo: { field: 'amount' } },
          ],
        };
      case 'Mutation.publishBudgetAlert':
        return { data: ctx.arguments.input, errors: [] };
      default:
        return {
          data: null,
          errors: [],
          subscriptionFilter: { filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: sub }] }] },
        };
    }
  },
};

/** Cognito replaced: a token `valid:<sub>` is that user, anything else is refused. */
const stubCognito = async () => ({
  userPoolId: 'us-east-1_local',
  userPoolClientId: 'client',
  route: { matches: () => false, handle: () => {} },
  verify: async (token: string) => {
    if (!token.startsWith('valid:')) throw new UnauthorizedError('Token is not valid');
    return identityOf(token.slice('valid:'.length));
  },
});

let stack: LocalStack;
let dataDir: string;
/** What the S3-triggered function saw: it fails its first attempt, so Lambda's retry is exercised. */
const s3Invocations: Array<{ event: S3Event; context: Context }> = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'server-http-'));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    quiet: true,
    env: {},
    lambdaRetryDelaysMs: [10, 10],
    functions: [
      {
        name: 'OnUpload',
        entry: 'unused',
        memoryMb: 128,
        timeoutSeconds: 5,
        tables: {},
        triggers: ['s3-object-created'],
      },
    ],
    loadHandler: async () => async (event, context) => {
      s3Invocations.push({ event: event as S3Event, context });
      if (s3Invocations.length === 1) throw new Error('first attempt fails');
    },
    createResolvers: async () => resolvers,
    createCognito: stubCognito,
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function graphql(query: string, authorization?: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack.urls.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    body: (await response.json()) as any,
  };
}

function subscribe(token: string): Promise<{ messages: any[]; socket: WebSocket }> {
  const header = Buffer.from(JSON.stringify({ Authorization: token, host: `127.0.0.1:${stack.config.port}` })).toString(
    'base64url',
  );
  const socket = new WebSocket(stack.urls.realtime, ['graphql-ws', `header-${header}`], { rejectUnauthorized: false });
  const messages: any[] = [];
  return new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('error', reject);
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      messages.push(message);
      if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: 'sub-1',
            type: 'start',
            payload: {
              data: JSON.stringify({
                query: 'subscription { onBudgetAlert { owner threshold alias: budgetName __typename } }',
                variables: {},
              }),
              extensions: { authorization: { Authorization: token } },
            },
          }),
        );
      }
      if (message.type === 'start_ack') resolve({ messages, socket });
    });
  });
}

const alert = (owner: string): BudgetAlertInput => ({
  id: 'b1:2026-11-01:80',
  owner,
  budgetId: 'b1',
  budgetName: 'Food',
  category: 'GROCERIES',
  period: 'MONTHLY',
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  threshold: 80,
  spent: 8000,
  limit: 10000,
  currency: 'EUR',
  firedAt: '2026-11-24T10:00:00.000Z',
});

describe('GraphQL over HTTP', () => {
  it('given no token, when querying, then 401 UnauthorizedException with the error type header', async () => {
    const { status, errorType, body } = await graphql('{ me { id } }');
    expect(status).toBe(401);
    expect(errorType).toBe('UnauthorizedException');
    expect(body.errors[0].errorType).toBe('UnauthorizedException');
  });

  it('given a user token, when querying me, then the resolver sees the identity and the selection set, the same on every request', async () => {
    seenSelections.length = 0;
    for (let i = 0; i < 2; i++) {
      const { status, body } = await graphql('{ me { id email ... on User { homeCurrency } } }', 'valid:alice');
      expect(status).toBe(200);
      expect(body).toEqual({ data: { me: { id: 'alice', email: 'alice@example.com', homeCurrency: 'EUR' } } });
    }
    const seen = {
      list: ['id', 'email', 'homeCurrency'],
      graphql: '{\n  id\n  email\n  ... on User {\n    homeCurrency\n  }\n}',
    };
    expect(seenSelections).toEqual([seen, seen]);
  });

  it('given a user token, when calling an @aws_iam mutation, then the field is Unauthorized as AppSync words it', async () => {
    const { body } = await graphql(
      'mutation ($input: BudgetAlertInput!) { publishBudgetAlert(input: $input) { owner } }',
      'valid:alice',
      { input: alert('alice') },
    );
    expect(body.data).toEqual({ publishBudgetAlert: null });
    expect(body.errors).toEqual([
      {
        path: ['publishBudgetAlert'],
        data: null,
        errorType: 'Unauthorized',
        errorInfo: null,
        locations: [{ line: 1, column: 40, sourceName: null }],
        message: 'Not Authorized to access publishBudgetAlert on type Mutation',
      },
    ]);
  });

  it('given a resolver error, then errorType, errorInfo and path come back with HTTP 200', async () => {
    const { status, body } = await graphql(
      'mutation { createExpense(input: {merchant: "x", amount: -1, date: "2026-01-01"}) { id } }',
      'valid:alice',
    );
    expect(status).toBe(200);
    expect(body.errors[0]).toMatchObject({
      path: ['createExpense'],
      errorType: 'ValidationError',
      errorInfo: { field: 'amount' },
      message: 'amount must be positive',
    });
  });

  it('given an unknown field, then a validation error worded like AppSync', async () => {
    const { body } = await graphql('{ nope }', 'valid:alice');
    expect(body).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: "Validation error of type FieldUndefined: Field 'nope' in type 'Query' is undefined @ 'nope'",
        },
      ],
    });
  });

  it('given GET with the query in the query string (introspection from tools), then it is answered', async () => {
    const response = await fetch(
      `${stack.urls.graphql}?query=${encodeURIComponent('{ __schema { queryType { name } } }')}`,
      { headers: { authorization: 'valid:alice' } },
    );
    expect(await response.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it("given a CORS preflight from a browser, then Amplify's headers are allowed", async () => {
    const response = await fetch(stack.urls.graphql, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    for (const header of [
      'authorization',
      'x-amz-user-agent',
      'x-amz-target',
      'cache-control',
      'amz-sdk-invocation-id',
      'amz-sdk-request',
    ]) {
      expect(response.headers.get('access-control-allow-headers')).toContain(header);
    }
  });

  it('given a forged SigV4 signature, when publishing, then 401', async () => {
    const response = await fetch(stack.urls.graphql, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        authorization: `AWS4-HMAC-SHA256 Credential=${stack.config.credentials.accessKeyId}/20260101/us-east-1/appsync/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(401);
  });
});

/** When a function publishes: an IAM-signed (SigV4, service appsync) POST, as functions/shared/publish.ts sends it. */
async function signedPost(
  query: string,
  options: {
    credentials?: { accessKeyId: string; secretAccessKey: string };
    service?: string;
    signingDate?: Date;
    variables?: Record<string, unknown>;
  } = {},
) {
  const url = new URL(stack.urls.graphql);
  const body = JSON.stringify({ query, variables: options.variables ?? {} });
  const signer = new SignatureV4({
    credentials: options.credentials ?? stack.config.credentials,
    region: 'us-east-1',
    service: options.service ?? 'appsync',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { 'content-type': 'application/json', host: url.host },
      body,
    }),
    { signingDate: options.signingDate },
  );
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body });
  return { status: response.status, body: (await response.json()) as any };
}

describe('IAM (SigV4) callers', () => {
  it('given a valid signature, when reading a field only user pools may read, then that field is Unauthorized', async () => {
    const { status, body } = await signedPost('{ me { id } }');
    expect(status).toBe(200);
    expect(body.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access me on type Query',
    });
  });

  it.each([
    ['an unknown access key', () => ({ credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' } })],
    [
      'the wrong secret',
      () => ({ credentials: { accessKeyId: stack.config.credentials.accessKeyId, secretAccessKey: 'wrong' } }),
    ],
    ['another service', () => ({ service: 'execute-api' })],
    ['a signature older than five minutes', () => ({ signingDate: new Date(Date.now() - 10 * 60 * 1000) })],
  ])('given %s, then 401', async (_name, options) => {
    expect((await signedPost('{ __typename }', options())).status).toBe(401);
  });
});

describe('real-time', () => {
  it('given two subscribers, when an IAM-signed publish for alice lands, then only alice receives it, shaped by her selection', async () => {
    const alice = await subscribe('valid:alice');
    const bob = await subscribe('valid:bob');
    expect(alice.socket.protocol).toBe('graphql-ws');
    expect(alice.messages.map((m) => m.type)).toEqual(['connection_ack', 'ka', 'start_ack']);
    expect(alice.messages[0].payload).toEqual({ connectionTimeoutMs: 300000 });

    await publishBudgetAlert(alert('alice'));
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(alice.messages.filter((m) => m.type === 'data')).toEqual([
      {
        id: 'sub-1',
        type: 'data',
        payload: {
          data: { onBudgetAlert: { owner: 'alice', threshold: 80, alias: 'Food', __typename: 'BudgetAlert' } },
        },
      },
    ]);
    expect(bob.messages.filter((m) => m.type === 'data')).toEqual([]);
    alice.socket.close();
    bob.socket.close();
  });

  it('given a publish whose selection uses aliases, then subscribers get the fields by name, filtered on the aliased owner, and null for what it did not select', async () => {
    const alice = await subscribe('valid:alice');
    const { body } = await signedPost(
      'mutation ($input: BudgetAlertInput!) { alert: publishBudgetAlert(input: $input) { o: owner t: threshold alias: budgetName } }',
      { variables: { input: alert('alice') } },
    );
    expect(body).toEqual({ data: { alert: { o: 'alice', t: 80, alias: 'Food' } } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The subscriber asked for owner, threshold, budgetName (as alias) and __typename; the
    // mutation selected owner, threshold and budgetName under other aliases.
    expect(alice.messages.filter((m) => m.type === 'data')).toEqual([
      {
        id: 'sub-1',
        type: 'data',
        payload: {
          data: { onBudgetAlert: { owner: 'alice', threshold: 80, alias: 'Food', __typename: 'BudgetAlert' } },
        },
      },
    ]);
    alice.socket.close();
  });

  it('given a publish that does not select a field the subscriber asks for, then that field is null', async () => {
    const alice = await subscribe('valid:alice');
    await signedPost('mutation ($input: BudgetAlertInput!) { publishBudgetAlert(input: $input) { owner threshold } }', {
      variables: { input: alert('alice') },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alice.messages.filter((m) => m.type === 'data').map((m) => m.payload.data)).toEqual([
      { onBudgetAlert: { owner: 'alice', threshold: 80, alias: null, __typename: 'BudgetAlert' } },
    ]);
    alice.socket.close();
  });

  it('given a bad token in the header subprotocol, then connection_error UnauthorizedException', async () => {
    const header = Buffer.from(JSON.stringify({ Authorization: 'forged', host: 'x' })).toString('base64url');
    const socket = new WebSocket(stack.urls.realtime, ['graphql-ws', `header-${header}`], {
      rejectUnauthorized: false,
    });
    const message = await new Promise<any>((resolve) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (raw) => resolve(JSON.parse(raw.toString())));
    });
    expect(message).toMatchObject({
      type: 'connection_error',
      payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 401 }] },
    });
  });
});

describe('real-time, query-string auth', () => {
  it('given auth in ?header=&payload=, when starting an invalid then a valid subscription and stopping it, then error, start_ack and complete', async () => {
    const header = Buffer.from(JSON.stringify({ Authorization: 'valid:carol', host: 'x' })).toString('base64');
    const socket = new WebSocket(
      `${stack.urls.realtime}?header=${encodeURIComponent(header)}&payload=e30=`,
      ['graphql-ws'],
      { rejectUnauthorized: false },
    );
    const messages: any[] = [];
    const start = (id: string, query: string) =>
      socket.send(
        JSON.stringify({
          id,
          type: 'start',
          payload: { data: JSON.stringify({ query }), extensions: { authorization: { Authorization: 'valid:carol' } } },
        }),
      );
    await new Promise<void>((resolve) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (raw) => {
        const message = JSON.parse(raw.toString());
        messages.push(message);
        if (message.type === 'connection_ack') start('bad', 'subscription { onBudgetAlert { nope } }');
        if (message.type === 'error') start('good', 'subscription { onBudgetAlert { owner } }');
        if (message.type === 'start_ack') socket.send(JSON.stringify({ id: 'good', type: 'stop' }));
        if (message.type === 'complete') resolve();
      });
    });
    socket.close();
    expect(messages.map((m) => m.type)).toEqual(['connection_ack', 'ka', 'error', 'start_ack', 'complete']);
    // As AppSync sends it: the query path from the root field, and the message only.
    expect(messages[2]).toEqual({
      type: 'error',
      id: 'bad',
      payload: {
        errors: [
          {
            message:
              "Validation error of type FieldUndefined: Field 'nope' in type 'BudgetAlert' is undefined @ 'onBudgetAlert/nope'",
          },
        ],
      },
    });
    expect(messages[4]).toEqual({ type: 'complete', id: 'good' });
    expect(stack.realtime.subscriberCount()).toBe(0);
  });
});

describe('the unmodified Amplify v6 client', () => {
  it('given its auth token, when it queries over http:// and subscribes over wss:// on the same port, then both work', async () => {
    // authMode 'lambda' sends the token as is, over HTTP and in the real-time header, like a user pool token.
    const auth = { authMode: 'lambda', authToken: 'valid:dave' };
    const amplify = await startAmplifyProcess(stack.certificateFile);
    try {
      await amplify.call('configure', stack.urls.amplifyOutputs);
      expect(await amplify.call('graphql', '{ me { id email } }', {}, auth)).toEqual({
        data: { me: { id: 'dave', email: 'dave@example.com' } },
      });
      await amplify.call('subscribe', 'alerts', 'subscription { onBudgetAlert { owner threshold } }', auth);
      for (let i = 0; i < 100 && stack.realtime.subscriberCount() === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));

      await publishBudgetAlert(alert('dave'));
      let received = await amplify.call('received', 'alerts');
      for (let i = 0; i < 100 && received.events.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        received = await amplify.call('received', 'alerts');
      }
      expect(received).toEqual({ events: [{ onBudgetAlert: { owner: 'dave', threshold: 80 } }], errors: [] });
    } finally {
      amplify.stop();
    }
  });
});

describe('SES outbox', () => {
  it('given the SESv2 client pointed at the stack, when sending, then the message is listed in /outbox.json', async () => {
    const ses = new SESv2Client({
      region: 'us-east-1',
      endpoint: stack.urls.app.replace(/\/$/, ''),
      credentials: stack.config.credentials,
    });
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'a@x.test',
        Destination: { ToAddresses: ['b@x.test'] },
        Content: {
          Simple: { Subject: { Data: 'Hello' }, Body: { Html: { Data: '<b>hi</b><script>alert(1)</script>' } } },
        },
      }),
    );
    const list = (await (await fetch(`${stack.urls.outbox}.json`)).json()) as any[];
    expect(list.at(-1)).toMatchObject({ to: ['b@x.test'], subject: 'Hello' });
    const body = await fetch(`${stack.urls.outbox}/${list.at(-1).id}/body`);
    expect(body.headers.get('content-security-policy')).toContain('sandbox');
    const page = await (await fetch(`${stack.urls.outbox}/${list.at(-1).id}`)).text();
    expect(page).toContain('<iframe sandbox');
    expect(page).not.toContain('<script>');
  });

  it('given SendEmail signed with the wrong secret, or not signed, then 403 and nothing reaches the outbox (SigV4 for service ses, as SES checks it)', async () => {
    const before = ((await (await fetch(`${stack.urls.outbox}.json`)).json()) as unknown[]).length;
    const forged = new SESv2Client({
      region: 'us-east-1',
      endpoint: stack.urls.app.replace(/\/$/, ''),
      credentials: { accessKeyId: stack.config.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    const send = new SendEmailCommand({
      FromEmailAddress: 'a@x.test',
      Destination: { ToAddresses: ['forged@x.test'] },
      Content: { Simple: { Subject: { Data: 'Forged' }, Body: { Text: { Data: 'x' } } } },
    });
    await expect(forged.send(send)).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
    const unsigned = await fetch(`${stack.urls.app}v2/email/outbound-emails`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(send.input),
    });
    expect(unsigned.status).toBe(403);
    expect(((await (await fetch(`${stack.urls.outbox}.json`)).json()) as unknown[]).length).toBe(before);
  });

  it('given a raw MIME message, then its subject and HTML part are read from it', async () => {
    const ses = new SESv2Client({
      region: 'us-east-1',
      endpoint: stack.urls.app.replace(/\/$/, ''),
      credentials: stack.config.credentials,
    });
    const raw = [
      'From: reports@x.test',
      'To: c@x.test',
      'Subject: =?UTF-8?B?' + Buffer.from('Rapport €').toString('base64') + '?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'plain',
      '--b1',
      'Content-Type: text/html',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<h1>Chart</h1>').toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    await ses.send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(raw) } } }));
    const list = (await (await fetch(`${stack.urls.outbox}.json`)).json()) as any[];
    expect(list.at(-1)).toMatchObject({
      from: 'reports@x.test',
      to: ['c@x.test'],
      subject: 'Rapport €',
      text: 'plain',
      html: '<h1>Chart</h1>',
    });
  });
});

describe('S3 stand-in', () => {
  it('given an upload with spaces in the key, then the triggered function gets the real S3 event shape, retried after a failure', async () => {
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: stack.urls.s3,
      forcePathStyle: true,
      credentials: stack.config.credentials,
    });
    await s3.send(
      new PutObjectCommand({ Bucket: stack.config.receiptsBucket, Key: 'receipts/user 1/r+1.jpg', Body: 'jpeg bytes' }),
    );
    for (let i = 0; i < 100 && s3Invocations.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(s3Invocations).toHaveLength(2);
    const [record] = s3Invocations[1].event.Records;
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      awsRegion: 'us-east-1',
      s3: {
        bucket: { name: stack.config.receiptsBucket, arn: `arn:aws:s3:::${stack.config.receiptsBucket}` },
        object: { key: 'receipts/user+1/r%2B1.jpg', size: 10 },
      },
    });
    expect(record.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
    const { context } = s3Invocations[1];
    expect(context.functionName).toBe('OnUpload');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(4000);
    expect(s3Invocations[0].context.awsRequestId).not.toBe(context.awsRequestId);
  });
});

describe('functions at start', () => {
  it('given a function whose handler module fails to load, when the stack starts, then its functionsLoaded fails naming it (npm start ends on it) before any event reached it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'server-functions-'));
    const fn = (name: string, file: string) => ({
      name,
      entry: path.join(dir, file),
      memoryMb: 128,
      timeoutSeconds: 5,
      tables: {},
    });
    await writeFile(
      path.join(dir, 'broken.mjs'),
      'import "a-package-that-is-not-installed";\nexport const handler = async () => "never";\n',
    );
    await writeFile(
      path.join(dir, 'counted.mjs'),
      'globalThis.__countedLoads = (globalThis.__countedLoads ?? 0) + 1;\nexport const handler = async () => "ok";\n',
    );
    const options = {
      port: 0,
      dataDir: path.join(dir, 'data'),
      quiet: true,
      env: {},
      createResolvers: async () => resolvers,
      createCognito: stubCognito,
    };
    try {
      // Ready without waiting for the modules (local/main.ts exits when functionsLoaded rejects).
      const broken = await startLocalStack({ ...options, functions: [fn('BrokenFn', 'broken.mjs')] });
      try {
        await expect(broken.functionsLoaded).rejects.toThrow(
          /BrokenFn \(.*broken\.mjs\): .*a-package-that-is-not-installed/,
        );
      } finally {
        await broken.stop();
      }

      const healthy = await startLocalStack({ ...options, functions: [fn('CountedFn', 'counted.mjs')] });
      try {
        // Loaded by the start itself, before any event reached it, and only once.
        await healthy.functionsLoaded;
        expect((globalThis as { __countedLoads?: number }).__countedLoads).toBe(1);
        expect(await healthy.lambda.invoke('CountedFn', {})).toBe('ok');
        expect((globalThis as { __countedLoads?: number }).__countedLoads).toBe(1);
      } finally {
        await healthy.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('given a function whose module is still loading, then the stack is ready without it, and an invocation right away waits for its module and answers', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'server-functions-'));
    let release!: () => void;
    const gate = globalThis as { __moduleGate?: Promise<void> };
    gate.__moduleGate = new Promise<void>((resolve) => (release = resolve));
    await writeFile(
      path.join(dir, 'gated.mjs'),
      'await globalThis.__moduleGate;\nexport const handler = async (event) => `loaded for ${event.who}`;\n',
    );
    // Would never resolve if readiness waited for the module (it waits for the gate released below).
    const started = await startLocalStack({
      port: 0,
      dataDir: path.join(dir, 'data'),
      quiet: true,
      env: {},
      createResolvers: async () => resolvers,
      createCognito: stubCognito,
      functions: [
        { name: 'GatedFn', entry: path.join(dir, 'gated.mjs'), memoryMb: 128, timeoutSeconds: 5, tables: {} },
      ],
    });
    try {
      const answer = started.lambda.invoke('GatedFn', { who: 'me' });
      let settled = false;
      void answer.finally(() => (settled = true)).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled).toBe(false);
      release();
      expect(await answer).toBe('loaded for me');
      await started.functionsLoaded;
    } finally {
      release();
      await started.stop();
      delete gate.__moduleGate;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the TLS certificate', () => {
  it('given the stack, then it serves a server certificate a browser accepts once the local CA is trusted: not a CA itself, serverAuth, the loopback names, at most 825 days, issued by DATA_DIR/tls/ca.pem', async () => {
    const { X509Certificate } = await import('node:crypto');
    const { connect } = await import('node:tls');
    const authority = new X509Certificate(await readFile(stack.certificateFile));
    expect(stack.certificateFile).toBe(path.join(dataDir, 'tls', 'ca.pem'));
    expect(authority.ca).toBe(true);

    // What a client sees in the handshake, verified against the CA alone (as a trust store would).
    const served = await new Promise<{ raw: Buffer; authorized: boolean }>((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port: stack.config.port, servername: 'localhost', ca: authority.toString() },
        () => {
          resolve({ raw: socket.getPeerCertificate().raw, authorized: socket.authorized });
          socket.end();
        },
      );
      socket.on('error', reject);
    });
    expect(served.authorized).toBe(true);
    const leaf = new X509Certificate(served.raw);
    expect(leaf.ca).toBe(false);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(leaf.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(leaf.checkIssued(authority) && leaf.verify(authority.publicKey)).toBe(true);
    expect(Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)).toBeLessThanOrEqual(825 * 24 * 3600 * 1000);
  });

  it('given a restart on the same DATA_DIR, then the same CA and server certificate are kept (trust set up once keeps working)', async () => {
    const { loadOrCreateCertificate } = await import('../../local/server/certificate.ts');
    const before = await readFile(path.join(dataDir, 'tls', 'cert.pem'), 'utf8');
    const again = await loadOrCreateCertificate(dataDir);
    expect(again.certFile).toBe(stack.certificateFile);
    expect(again.cert.startsWith(before.trim())).toBe(true);
    expect(await readFile(again.certFile, 'utf8')).toBe(await readFile(stack.certificateFile, 'utf8'));
  });
});
