import fc from 'fast-check';
import { getNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { readFile } from 'node:fs/promises';
import type { LocalStack } from '../../local/stack.ts';
import { BAKERY_RECEIPT, drawReceiptJpeg } from '../support/drawn-receipts.ts';
import { hostileString, hostileValueOf } from '../support/hostile-values.ts';
import { givenReceiptStack } from '../support/receipt-stack.ts';
import { rootFields, selectionOf } from '../support/schema-operations.ts';
import { signedFetch } from '../support/signed-fetch.ts';
import { eventually, givenSignedInUser, graphql, type GraphQLAnswer, type SignedInUser } from './steps.ts';

/**
 * Hostile input, generated (fast-check) for every mutation from its argument types and for the
 * raw endpoints (GraphQL over HTTP, the real-time WebSocket, S3, DynamoDB, Lambda, SES,
 * Textract): every answer is a typed error or a success, never a 5xx, a crash of the process,
 * an internal message (stack, path, exception name) or a write left half done. HOSTILE_RUNS
 * sets the runs per property (`npm run test:attacks` runs more).
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 15);
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
const ids: string[] = [];

/** The error types of the API's contract, AppSync's own, and AppSync's request limits. */
const TYPED = new Set([
  'ValidationError',
  'NotFound',
  'Unauthorized',
  'Conflict',
  'DuplicateReceipt',
  'LimitExceeded',
  'OcrFailed',
  'UnauthorizedException',
  'MalformedHttpRequestException',
  'QueryDepthLimitReached',
  'ResolverExecutionLimitReached',
]);
/** AppSync's request errors (no errorType): validation, coercion and syntax, worded by graphql-java. */
const REQUEST_ERROR = /^(Validation error of type |Variable '|The variables input contains|Invalid Syntax)/;
/** What an answer must never show: internals of the code or the services behind it. */
const LEAK =
  /\bat [\w$.<>]+ \(|node_modules|\/work\/|\.[jt]s:\d+|TypeError|ReferenceError|RangeError|Cannot read prop|is not a function|is not iterable|undefined is not|ECONN|DynamoDB:|com\.amazon|ValidationException|ConditionalCheckFailed|InternalFailure|Internal server error|stack/i;

/** A stack frame, a path into the code or its dependencies. */
const CODE_INTERNALS = /\bat [\w$.<>]+ \(|node_modules|\/work\/|\.[jt]s:\d+/;

function expectTyped(answer: GraphQLAnswer, context: string): void {
  expect(answer.status, context).toBeLessThan(500);
  for (const error of answer.body.errors ?? []) {
    expect(error.message, context).not.toMatch(LEAK);
    if (error.errorType === undefined) expect(error.message, context).toMatch(REQUEST_ERROR);
    else expect(TYPED.has(error.errorType), `${context}: errorType ${error.errorType} (${error.message})`).toBe(true);
  }
}

const call = (query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, ada.accessToken);

/** Everything of the user's a write could touch, as the API shows it. */
async function stateOf(): Promise<string> {
  const answer = await call(
    '{ me { id name homeCurrency timezone dateOrder } listExpenses(limit: 100) { items { id version merchant amount currency date category note receiptId } } listBudgets(limit: 100) { items { id version name amount thresholds rollover } } listReceipts(limit: 100) { items { id status expenseId } } }',
  );
  return JSON.stringify(answer.body.data);
}

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenReceiptStack('hostile'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  await call('mutation { updateProfile(input: { homeCurrency: "EUR", timezone: "Europe/Paris" }) { id } }');
  const expense = await call(
    'mutation { createExpense(input: { merchant: "Cafe", amount: 500, date: "2026-11-20" }) { id } }',
  );
  const budget = await call(
    'mutation { createBudget(input: { category: DINING, period: MONTHLY, amount: 10000 }) { id } }',
  );
  const image = await drawReceiptJpeg(BAKERY_RECEIPT);
  const receipt = await call('mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
    input: { image: image.toString('base64') },
  });
  ids.push(expense.body.data.createExpense.id, budget.body.data.createBudget.id, receipt.body.data.uploadReceipt.id);
  await eventually(
    async () => (await call(`{ receipt(id: "${ids[2]}") { status } }`)).body.data.receipt.status,
    (status) => ['PROCESSED', 'NEEDS_REVIEW', 'FAILED'].includes(status),
    20_000,
  );
}, 90_000);

afterAll(async () => {
  await stopStack?.();
});

describe('every mutation, hostile arguments', () => {
  const mutations = rootFields().filter((f) => f.root === 'Mutation');

  it.each(mutations.map((m) => [m.field.name, m] as const))(
    'given hostile arguments to %s, then a typed answer and no write left half done',
    async (_name, { field }) => {
      const selection = selectionOf(getNamedType(field.type), 1);
      const declarations = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const query = `mutation${declarations ? `(${declarations})` : ''} { ${field.name}${field.args.length ? `(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''}${selection ? ` { ${selection} }` : ''} }`;
      // deleteAccount without a password, right after signing in, deletes the caller (test/e2e/account-data.test.ts):
      // here it always gets one, hostile, so the suite's user stays and each call must be refused.
      const variables =
        field.name === 'deleteAccount'
          ? fc.record({
              password: hostileValueOf(field.args[0].type, ids).filter((v) => typeof v === 'string' && v.length > 0),
            })
          : fc.record(Object.fromEntries(field.args.map((a) => [a.name, hostileValueOf(a.type, ids)])), {
              requiredKeys: [],
            });
      await fc.assert(
        fc.asyncProperty(variables, async (vars) => {
          // What earlier runs started (an OCR, a budget evaluation) has finished: only this call can change the state.
          await stack.lambda.drain();
          const before = await stateOf();
          const answer = await call(query, vars);
          const context = `${field.name}(${JSON.stringify(vars).slice(0, 300)}) → ${JSON.stringify(answer.body).slice(0, 500)}`;
          expectTyped(answer, context);
          // A mutation that failed wrote nothing.
          if (answer.body.errors?.length && !answer.body.data?.[field.name]) {
            await stack.lambda.drain();
            expect(await stateOf(), context).toBe(before);
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    },
    120_000,
  );
});

describe('raw GraphQL over HTTP', () => {
  it('given hostile methods, content types, bodies and authorization headers, then a typed answer, never a 5xx', async () => {
    const request = fc.record({
      method: fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH'),
      contentType: fc.constantFrom(
        'application/json',
        'text/plain',
        'application/graphql',
        'multipart/form-data; boundary=x',
        '',
      ),
      body: fc.oneof(
        hostileString,
        fc.json(),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
        fc
          .record({ query: hostileString, variables: fc.json(), operationName: hostileString })
          .map((r) => JSON.stringify(r)),
        fc.constantFrom('{"query":"{ me { id } }","variables":"{\\"__proto__\\":1}"}', '{"query":null}', '[]', 'null'),
      ),
      authorization: fc.oneof(
        fc.constant<string | null>(null),
        fc.constant('token'),
        hostileString,
        fc.constantFrom('AWS4-HMAC-SHA256 Credential=x', 'Bearer x', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const authorization = r.authorization === 'token' ? ada.accessToken : r.authorization;
        const response = await fetch(stack.urls.graphql, {
          method: r.method,
          headers: {
            ...(r.contentType ? { 'content-type': r.contentType } : {}),
            ...(authorization ? { authorization: authorization.replace(/[^\t\x20-\x7e]/g, '') } : {}),
          },
          body: r.method === 'GET' ? undefined : r.body,
        });
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        expect(text).not.toMatch(LEAK);
        // 404: no route for the method; 431: headers past Node's limit, refused by the HTTP parser itself.
        if (response.status !== 404 && response.status !== 431) expect(() => JSON.parse(text), text).not.toThrow();
      }),
      { numRuns: RUNS * 4 },
    );
  });
});

describe('raw stand-in endpoints', () => {
  const signing = (service: string) => ({
    service,
    region: stack.config.region,
    credentials: stack.config.credentials,
  });
  const safeSegment = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9._~-]{0,20}$/),
    fc.constantFrom('__proto__', 'constructor', '..', '.', '%2F', 'a%00b'),
  );

  it('given S3 requests signed with the stack credentials but hostile methods, keys, queries and bodies, then S3 XML errors, never a 5xx', async () => {
    const request = fc.record({
      method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH'),
      key: fc.array(safeSegment, { maxLength: 4 }).map((parts) => parts.join('/')),
      query: fc.constantFrom(
        '',
        'delete',
        'uploads',
        'uploadId=x&partNumber=0',
        'uploadId=x',
        'list-type=2&max-keys=-1',
        'versions',
        'max-keys=abc',
        'continuation-token=%FF',
        'acl',
        'partNumber=99999&uploadId=y',
      ),
      body: fc.oneof(
        hostileString,
        fc.constantFrom(
          '<Delete><Object><Key>__proto__</Key></Object></Delete>',
          '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>',
          '<Delete>',
          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Delete><Object><Key>&e;</Key></Object></Delete>',
        ),
      ),
      headers: fc.dictionary(
        fc.constantFrom(
          'if-none-match',
          'content-md5',
          'x-amz-checksum-sha256',
          'x-amz-checksum-crc32',
          'x-amz-copy-source',
          'content-type',
          'x-amz-meta-__proto__',
        ),
        fc.stringMatching(/^[ -~]{0,30}$/),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const url = `${stack.urls.s3}/${stack.config.receiptsBucket}/${r.key}${r.query ? `?${r.query}` : ''}`;
        const response = await signedFetch(url, { method: r.method, headers: r.headers, body: r.body }, signing('s3'));
        const text = await response.text();
        expect(response.status, `${r.method} ${url}: ${text}`).toBeLessThan(500);
        // A key of `..` segments climbs out of the endpoint's path as any URL client resolves it ("/s3/bucket/../../a"
        // is "/a"): such a request never reaches S3, and only what applies to every route applies to it.
        const reachesS3 = new URL(url).pathname.startsWith(`${new URL(stack.urls.s3).pathname}/`);
        if (reachesS3 && response.status >= 400 && r.method !== 'HEAD') expect(text).toMatch(/<Code>\w+<\/Code>/);
        // (S3 itself echoes the canonical request in SignatureDoesNotMatch: only code internals count here.)
        expect(text).not.toMatch(CODE_INTERNALS);
      }),
      { numRuns: RUNS * 4 },
    );
    // Nothing of it reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('given DynamoDB requests signed with the stack credentials but hostile bodies, then DynamoDB errors, never a 5xx', async () => {
    const request = fc.record({
      operation: fc.constantFrom(
        'GetItem',
        'PutItem',
        'Query',
        'Scan',
        'UpdateItem',
        'BatchWriteItem',
        'DescribeTable',
        'Nope',
      ),
      body: fc.oneof(
        fc.json(),
        hostileString,
        fc.constantFrom(
          '{"TableName":"Users","Key":{"__proto__":{"S":"x"}}}',
          '{"TableName":"Users","Item":{"user_id":{"S":"x"},"__proto__":{"M":{"polluted":{"BOOL":true}}}}}',
          '{"TableName":{"__proto__":1}}',
          '{"TableName":"Users","ExpressionAttributeNames":{"#__proto__":"x"},"KeyConditionExpression":"#__proto__ = :v","ExpressionAttributeValues":{":v":{"S":"x"}}}',
        ),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const response = await signedFetch(
          stack.urls.dynamodb,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amz-target': `DynamoDB_20120810.${r.operation}`,
            },
            body: r.body,
          },
          signing('dynamodb'),
        );
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
      }),
      { numRuns: RUNS * 4 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('given Lambda, SES and Textract requests unsigned, or signed with hostile bodies, then their typed errors, never a 5xx', async () => {
    const api = new URL(stack.urls.graphql).origin;
    const endpoints: Array<{ path: string; service: string; headers: Record<string, string> }> = [
      { path: '/v2/email/outbound-emails', service: 'ses', headers: { 'content-type': 'application/json' } },
      {
        path: '/',
        service: 'textract',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Textract.AnalyzeExpense' },
      },
      { path: '/2015-03-31/functions/NoSuchFn/invocations', service: 'lambda', headers: {} },
      { path: '/2015-03-31/functions/__proto__/invocations', service: 'lambda', headers: {} },
    ];
    const request = fc.record({
      endpoint: fc.constantFrom(...endpoints),
      signed: fc.boolean(),
      body: fc.oneof(
        fc.json(),
        hostileString,
        fc.constantFrom(
          '{"Document":{"Bytes":"////"}}',
          '{"Content":{"Raw":{"Data":"%%%"}}}',
          '{"Document":{"Bytes":{"__proto__":1}}}',
        ),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const url = `${api}${r.endpoint.path}`;
        const response = r.signed
          ? await signedFetch(
              url,
              { method: 'POST', headers: r.endpoint.headers, body: r.body },
              signing(r.endpoint.service),
            )
          : await fetch(url, { method: 'POST', headers: r.endpoint.headers, body: r.body });
        const text = await response.text();
        expect(response.status, `${url}: ${text}`).toBeLessThan(500);
        expect(text).not.toMatch(CODE_INTERNALS);
      }),
      { numRuns: RUNS * 4 },
    );
  });
});

describe('the real-time WebSocket', () => {
  it('given hostile messages on an authenticated connection, then typed error messages or nothing, the connection stays usable, and the process keeps serving', async () => {
    const host = new URL(stack.urls.graphql).host;
    const header = Buffer.from(JSON.stringify({ Authorization: ada.accessToken, host })).toString('base64url');
    // Frames past the 240 KB cap close the connection: that is checked last, on its own.
    const message = fc
      .oneof(
        hostileString,
        fc.json(),
        fc
          .record({
            type: fc.constantFrom('connection_init', 'start', 'stop', 'ka', 'data', '__proto__', 'nope'),
            id: fc.oneof(hostileString, fc.constant(undefined), fc.integer()),
            payload: fc.oneof(
              fc.json(),
              fc.record({
                data: fc.oneof(
                  hostileString,
                  fc.constant('{"query":"subscription { onBudgetAlert { id } }"}'),
                  fc.json(),
                ),
                extensions: fc.oneof(
                  fc.constant(undefined),
                  fc.record({ authorization: fc.record({ Authorization: hostileString }) }),
                ),
              }),
            ),
          })
          .map((m) => JSON.stringify(m)),
      )
      .filter((m) => Buffer.byteLength(m) < 200_000);
    const socket = new WebSocket(stack.urls.realtime, ['graphql-ws', `header-${header}`], {
      ca: await readFile(stack.certificateFile),
    });
    const received: Array<{ type: string; payload?: { errors?: Array<{ message: string; errorType?: string }> } }> = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve());
      socket.on('error', reject);
    });
    socket.on('message', (raw) => received.push(JSON.parse(raw.toString())));
    let closedWith: string | null = null;
    socket.on('close', (code, reason) => (closedWith = `${code} ${reason.toString()}`));
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        socket.send(m);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }),
      { numRuns: RUNS * 10 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(closedWith).toBeNull();
    expect(socket.readyState).toBe(WebSocket.OPEN);
    for (const m of received) {
      expect(['ka', 'connection_ack', 'error', 'start_ack', 'complete', 'data'], JSON.stringify(m)).toContain(m.type);
      for (const e of m.payload?.errors ?? []) expect(e.message).not.toMatch(LEAK);
    }
    // Still a working connection: a proper subscription is acknowledged.
    const acked = new Promise<void>((resolve) =>
      socket.on('message', (raw) => JSON.parse(raw.toString()).id === 'final' && resolve()),
    );
    socket.send(
      JSON.stringify({
        id: 'final',
        type: 'start',
        payload: {
          data: JSON.stringify({ query: 'subscription { onBudgetAlert { id } }', variables: {} }),
          extensions: { authorization: { Authorization: ada.accessToken, host } },
        },
      }),
    );
    await acked;
    // A frame past AppSync's 240 KB closes the connection (1009), and the server keeps serving.
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send('x'.repeat(300 * 1024));
    expect(await closed).toBe(1009);
    expect((await call('{ me { id } }')).status).toBe(200);
  }, 120_000);
});
