import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, functionByName, type FunctionDefinition } from '../../model/functions.ts';
import { categoryDateOf } from '../../model/expenses.ts';
import { METRICS_NAMESPACE } from '../../model/telemetry.ts';
import { serviceNameOf } from '../../infra/constructs/processing.ts';
import { startLocalStack, PROJECT_ROOT, type LocalStack } from '../../local/stack.ts';
import { createCognito, createExtraRoutes, createResolvers } from '../../local/wiring.ts';
import { givenSignedInUser, graphql, stackDynamoDb, type SignedInUser } from '../e2e/steps.ts';

/**
 * Every function of the catalog as Lambda runs it: its handler module imported once and
 * invoked with a Lambda context, event after event, as on a warm container (one invocation at
 * a time, Powertools state shared between them). Each invocation's JSON log lines carry its own
 * correlation id and nothing left by the one before; its metrics come out as EMF lines with the
 * same id; its publishes name it to the API. The local stack provides DynamoDB, S3, SES and the
 * API the functions call.
 */
type Handler = (event: unknown, context: Context) => Promise<unknown>;
type LogLine = Record<string, any>;

interface Invocation {
  event: unknown;
  /** The Lambda request id of the invocation's context. */
  requestId: string;
  /** The id its lines must carry. */
  correlationId: string;
  /** Strings of this invocation (keys it appends) that the next one must not print. */
  own: string[];
  /** It logs nothing when all goes well (its metrics still carry the id). */
  silent?: boolean;
}

let stack: LocalStack;
let dataDir: string;
let ada: SignedInUser;
let adaSub: string;
const serverLog: string[] = [];
/** Receipt A: created through the API, never uploaded; its stored correlation id is that API request's. */
let receiptA: { id: string; requestId: string };

function lambdaContext(fn: FunctionDefinition, requestId: string): Context {
  return {
    awsRequestId: requestId,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${fn.name}`,
    memoryLimitInMB: String(fn.memoryMb),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `test/${requestId}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => fn.timeoutSeconds * 1000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * Runs one invocation and returns what it printed (stdout and stderr): log lines, EMF lines and
 * their text. Lines of other functions the local stack runs meanwhile (an S3 event for a report
 * it stored) are left out.
 */
async function invoke(
  handler: Handler,
  fn: FunctionDefinition,
  invocation: Invocation,
): Promise<{ lines: LogLine[]; emf: LogLine[]; text: string; result: unknown }> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  let result: unknown;
  try {
    result = await handler(structuredClone(invocation.event), lambdaContext(fn, invocation.requestId));
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  await stack.lambda.drain();
  const json = chunks
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => (line._aws ? line.service === serviceNameOf(fn) : line.function_name === fn.name));
  return {
    lines: json.filter((l) => !l._aws),
    emf: json.filter((l) => l._aws),
    text: json.map((l) => JSON.stringify(l)).join('\n'),
    result,
  };
}

const fieldCall = (
  typeName: string,
  fieldName: string,
  requestId: string,
  args: Record<string, unknown> = {},
  source: unknown = null,
) => ({
  typeName,
  fieldName,
  arguments: args,
  sub: adaSub,
  source,
  requestId,
});

const confirmation = (sub: string) => ({
  version: '1',
  region: 'us-east-1',
  userPoolId: 'us-east-1_LocalPool1',
  userName: sub,
  triggerSource: 'PostConfirmation_ConfirmSignUp',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client1' },
  request: { userAttributes: { sub, email: `${sub}@example.com` } },
  response: {},
});

const s3Event = (key: string, s3RequestId: string) => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date().toISOString(),
      eventName: 'ObjectCreated:Put',
      responseElements: { 'x-amz-request-id': s3RequestId },
      s3: { bucket: { name: 'expense-tracker-receipts' }, object: { key, size: 1000 } },
    },
  ],
});

/** Two or more events per function, each kind it handles, in an order where a leak would show. */
function invocationsOf(name: string): Invocation[] {
  switch (name) {
    case 'PostConfirmationFn':
      return [
        { event: confirmation('new-user-one'), requestId: 'pc-1', correlationId: 'pc-1', own: ['new-user-one'] },
        { event: confirmation('new-user-two'), requestId: 'pc-2', correlationId: 'pc-2', own: ['new-user-two'] },
      ];
    case 'ReceiptFn':
      return [
        // A field ReceiptFn does not serve: logged as an internal error, with its field key.
        {
          event: fieldCall('Receipt', 'unknownField', 'req-r1'),
          requestId: 'lambda-r1',
          correlationId: 'req-r1',
          own: ['Receipt.unknownField'],
        },
        {
          event: fieldCall('Mutation', 'createReceiptUpload', 'req-r2', {
            input: { contentType: 'image/jpeg', size: 1234, sha256: 'ab'.repeat(32), fileName: 'r2.jpg' },
          }),
          requestId: 'lambda-r2',
          correlationId: 'req-r2',
          own: [],
          silent: true,
        },
        {
          event: fieldCall('Mutation', 'unknownMutation', 'req-r3'),
          requestId: 'lambda-r3',
          correlationId: 'req-r3',
          own: [],
        },
      ];
    case 'ProcessReceiptFn':
      return [
        // The S3 event of receipt A: its lines carry the id stored on the receipt, not the event's.
        {
          event: s3Event(`receipts/${adaSub}/${receiptA.id}.jpg`, 's3-request-1'),
          requestId: 'lambda-p1',
          correlationId: receiptA.requestId,
          own: [receiptA.id],
        },
        {
          event: { action: 'sweep', correlationId: 'sweep-2' },
          requestId: 'lambda-p2',
          correlationId: 'sweep-2',
          own: [],
        },
      ];
    case 'BudgetFn':
      return [
        {
          event: fieldCall('Budget', 'unknownField', 'req-b1'),
          requestId: 'lambda-b1',
          correlationId: 'req-b1',
          own: ['Budget.unknownField'],
        },
        {
          event: {
            action: 'expenseChanged',
            owner: adaSub,
            before: null,
            after: { date: today(), category: 'GROCERIES' },
            correlationId: 'change-2',
          },
          requestId: 'lambda-b2',
          correlationId: 'change-2',
          own: [],
        },
      ];
    case 'CategorizeFn':
      return [
        {
          event: fieldCall('Mutation', 'createExpense', 'req-c1', { input: { merchant: 'REWE Markt GmbH' } }),
          requestId: 'lambda-c1',
          correlationId: 'req-c1',
          own: [],
          silent: true,
        },
        {
          event: fieldCall('Mutation', 'createExpense', 'req-c2', { input: { merchant: 'Corner Bakery' } }),
          requestId: 'lambda-c2',
          correlationId: 'req-c2',
          own: [],
          silent: true,
        },
      ];
    case 'ReportFn':
      return [
        {
          event: fieldCall('Query', 'unknownReport', 'req-p1'),
          requestId: 'lambda-q1',
          correlationId: 'req-p1',
          own: ['Query.unknownReport'],
        },
        {
          event: { action: 'scheduledReports', period: 'WEEKLY', correlationId: 'schedule-run-2' },
          requestId: 'lambda-q2',
          correlationId: 'schedule-run-2',
          own: [],
        },
        // From `npm run report`: no id of its own, so the Lambda request id.
        {
          event: { action: 'sendReport', email: 'ada@example.com', period: 'WEEKLY' },
          requestId: 'lambda-q3',
          correlationId: 'lambda-q3',
          own: [],
          silent: true,
        },
      ];
    case 'RatesFn':
      return [
        {
          event: { action: 'refreshRates', correlationId: 'rates-1' },
          requestId: 'lambda-x1',
          correlationId: 'rates-1',
          own: [],
        },
        {
          event: { action: 'reconvertExpenses', owner: adaSub, currency: null, correlationId: 'reconvert-2' },
          requestId: 'lambda-x2',
          correlationId: 'reconvert-2',
          own: [],
        },
      ];
    case 'RecurringFn':
      return [
        {
          event: fieldCall('Query', 'unknownRecurring', 'req-r1'),
          requestId: 'lambda-r1',
          correlationId: 'req-r1',
          own: ['Query.unknownRecurring'],
        },
        {
          event: fieldCall('Query', 'recurringCandidates', 'req-r2'),
          requestId: 'lambda-r2',
          correlationId: 'req-r2',
          own: [],
          silent: true,
        },
      ];
    case 'SharingFn':
      return [
        {
          event: fieldCall('Query', 'unknownSharing', 'req-s1'),
          requestId: 'lambda-s1',
          correlationId: 'req-s1',
          own: ['Query.unknownSharing'],
        },
        {
          event: fieldCall('Query', 'shareBalances', 'req-s2'),
          requestId: 'lambda-s2',
          correlationId: 'req-s2',
          own: [],
          silent: true,
        },
      ];
    case 'ForwardingFn':
      return [
        {
          event: fieldCall('Mutation', 'unknownForwarding', 'req-f1'),
          requestId: 'lambda-f1',
          correlationId: 'req-f1',
          own: ['Mutation.unknownForwarding'],
        },
        {
          event: fieldCall('Mutation', 'rotateForwardingAddress', 'req-f2'),
          requestId: 'lambda-f2',
          correlationId: 'req-f2',
          own: [],
          silent: true,
        },
        {
          event: fieldCall('Mutation', 'addForwardingSender', 'req-f3', { email: 'bob@example.com' }),
          requestId: 'lambda-f3',
          correlationId: 'req-f3',
          own: [],
          silent: true,
        },
      ];
    case 'InboundEmailFn':
      return [
        // Marked as spam by SES: dropped unread. Then a message whose stored copy is gone (a redelivery).
        {
          event: sesEvent('ses-message-1', { spamVerdict: { status: 'FAIL' } }),
          requestId: 'lambda-m1',
          correlationId: 'ses-message-1',
          own: [],
        },
        {
          event: sesEvent('ses-message-2', {}),
          requestId: 'lambda-m2',
          correlationId: 'ses-message-2',
          own: [],
        },
      ];
    case 'StatementFn':
      return [
        {
          event: fieldCall('Mutation', 'unknownStatementField', 'req-s1'),
          requestId: 'lambda-s1',
          correlationId: 'req-s1',
          own: ['Mutation.unknownStatementField'],
        },
        {
          event: fieldCall('Mutation', 'createStatementUpload', 'req-s2', {
            input: { fileName: 'bank.csv', size: 120 },
          }),
          requestId: 'lambda-s2',
          correlationId: 'req-s2',
          own: [],
          silent: true,
        },
        // An import no longer there (its upload deleted meanwhile): nothing runs, and it says so under the API request's id.
        {
          event: { action: 'runImport', owner: adaSub, importId: 'NO-SUCH-IMPORT', correlationId: 'req-s3' },
          requestId: 'lambda-s3',
          correlationId: 'req-s3',
          own: ['NO-SUCH-IMPORT'],
        },
      ];
    case 'AccountFn':
      return [
        {
          event: fieldCall('AccountExport', 'unknownField', 'req-a1'),
          requestId: 'lambda-a1',
          correlationId: 'req-a1',
          own: ['AccountExport.unknownField'],
        },
        {
          event: { action: 'sweepExpiredImages', correlationId: 'images-2' },
          requestId: 'lambda-a2',
          correlationId: 'images-2',
          own: [],
        },
      ];
    case 'SearchFn':
      return [
        {
          event: fieldCall('Query', 'unknownSearch', 'req-q1'),
          requestId: 'lambda-n1',
          correlationId: 'req-q1',
          own: ['Query.unknownSearch'],
        },
        {
          event: {
            action: 'indexExpense',
            owner: adaSub,
            before: null,
            after: {
              user_id: adaSub,
              expense_id: 'EXPENSE-INDEXED-2',
              merchant: 'Hardware Store',
              amount: 1999,
              date: today(),
            },
            correlationId: 'req-q2',
          },
          requestId: 'lambda-n2',
          correlationId: 'req-q2',
          own: ['EXPENSE-INDEXED-2'],
        },
        {
          event: fieldCall('Query', 'searchExpenses', 'req-q3', { text: 'hardware' }),
          requestId: 'lambda-n3',
          correlationId: 'req-q3',
          own: [],
          silent: true,
        },
      ];
    default:
      return [];
  }
}

/** An SES receipt event (its Lambda action) for a message SES stored under inbound/. */
const sesEvent = (messageId: string, verdicts: Record<string, { status: string }>) => ({
  Records: [
    {
      eventSource: 'aws:ses',
      eventVersion: '1.0',
      ses: {
        mail: {
          messageId,
          timestamp: new Date().toISOString(),
          source: 'someone@example.org',
          destination: ['r-unknown@receipts.example.com'],
        },
        receipt: {
          recipients: ['r-unknown@receipts.example.com'],
          spamVerdict: { status: 'PASS' },
          virusVerdict: { status: 'PASS' },
          spfVerdict: { status: 'PASS' },
          dkimVerdict: { status: 'PASS' },
          dmarcVerdict: { status: 'PASS' },
          ...verdicts,
        },
      },
    },
  ],
});

const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'observability-'));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    env: {},
    quiet: false,
    logFormat: 'json',
    log: (line) => serverLog.push(line),
    createResolvers,
    createCognito,
    extraRoutes: createExtraRoutes,
  });
  ada = await givenSignedInUser(stack, 'ada@example.com');
  adaSub = JSON.parse(Buffer.from(ada.accessToken.split('.')[1], 'base64url').toString()).sub as string;
  const upload = await fetch(stack.urls.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: ada.accessToken },
    body: JSON.stringify({
      query: 'mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id } } }',
      variables: { input: { contentType: 'image/jpeg', size: 1000, sha256: 'cd'.repeat(32), fileName: 'a.jpg' } },
    }),
  });
  receiptA = {
    id: ((await upload.json()) as any).data.createReceiptUpload.receipt.id,
    requestId: upload.headers.get('x-amzn-requestid')!,
  };
  // A budget 90 % spent today: the expense change of BudgetFn's second event raises alerts (and publishes them).
  expect(
    (
      await graphql(
        stack.urls.graphql,
        'mutation { createBudget(input: { period: MONTHLY, amount: 10000 }) { id } }',
        {},
        ada.accessToken,
      )
    ).body.errors,
  ).toBeUndefined();
  await stack.lambda.drain(); // the new budget's own evaluation (nothing spent yet) is done before the expense lands
  const db = stackDynamoDb(stack);
  await db.send(
    new PutCommand({
      TableName: 'Expenses',
      Item: {
        user_id: adaSub,
        expense_id: '01JTESTEXPENSE0000000000000',
        merchant: 'Shop',
        amount: 9000,
        currency: 'USD',
        date: today(),
        category: 'GROCERIES',
        category_date: categoryDateOf('GROCERIES', today()),
        version: 1,
      },
    }),
  );
  db.destroy();
  await stack.lambda.drain();
  // On Lambda one invocation runs at a time per container: the shared state a warm container keeps.
  delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
  // Operators may turn on event logging; events still never reach the logs (they carry images and emails).
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
}, 60_000);

afterAll(async () => {
  delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('functions observed in-process, as on a warm Lambda container', () => {
  it('given the catalog, then every function has events to be observed with', () => {
    for (const fn of FUNCTIONS) expect(invocationsOf(fn.name).length, fn.name).toBeGreaterThanOrEqual(2);
  });

  it.each(FUNCTIONS.map((fn) => fn.name))(
    'given %s, when its events run one after another in one module, then each prints only its own correlation id, as log lines and EMF metrics',
    async (name) => {
      const fn = functionByName(name);
      const { handler } = (await import(pathToFileURL(path.join(PROJECT_ROOT, fn.entry)).href)) as { handler: Handler };
      const emf: LogLine[] = [];
      let previous: Invocation | undefined;
      for (const invocation of invocationsOf(name)) {
        const printed = await invoke(handler, fn, invocation);
        if (!invocation.silent)
          expect(printed.lines.length, `${name} ${invocation.correlationId} logs`).toBeGreaterThan(0);
        for (const line of printed.lines) {
          expect(line, printed.text).toMatchObject({
            correlationId: invocation.correlationId,
            service: serviceNameOf(fn),
            function_name: fn.name,
            function_request_id: invocation.requestId,
          });
        }
        for (const leftover of previous ? [previous.correlationId, ...previous.own] : [])
          expect(printed.text, `${name}: ${leftover} leaked`).not.toContain(leftover);
        for (const metrics of printed.emf.filter((m) => m.correlationId !== undefined))
          expect(metrics.correlationId).toBe(invocation.correlationId);
        emf.push(...printed.emf.filter((m) => m.correlationId === invocation.correlationId));
        // The event itself is never logged, even with POWERTOOLS_LOGGER_LOG_EVENT on.
        expect(printed.text).not.toContain('"arguments"');
        previous = invocation;
      }
      expect(emf.length, `${name} emitted no business metric`).toBeGreaterThan(0);
      for (const metrics of emf) {
        expect(metrics._aws.CloudWatchMetrics[0]).toMatchObject({
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['service']],
        });
        expect(metrics.service).toBe(serviceNameOf(fn));
      }
    },
  );

  it('given an OCR run and a budget alert, when they publish to the API, then the API logs the correlation id of the invocation that published', () => {
    const publishes = serverLog
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.message === 'request' && line.authMode === 'AWS_IAM');
    expect(publishes).toContainEqual(
      expect.objectContaining({
        operation: 'mutation publishReceiptProcessed',
        status: 200,
        correlationId: receiptA.requestId,
      }),
    );
    expect(publishes).toContainEqual(
      expect.objectContaining({ operation: 'mutation publishBudgetAlert', correlationId: 'change-2' }),
    );
  });

  it('given an upload through the API, when its receipt is read, then it keeps the id its request logged under', async () => {
    const { handler } = (await import(
      pathToFileURL(path.join(PROJECT_ROOT, functionByName('ReceiptFn').entry)).href
    )) as { handler: Handler };
    const created = (await handler(
      fieldCall('Mutation', 'createReceiptUpload', 'req-keep', {
        input: { contentType: 'image/png', size: 99, sha256: 'ef'.repeat(32) },
      }),
      lambdaContext(functionByName('ReceiptFn'), 'lambda-keep'),
    )) as {
      data: { receipt: { id: string }; uploadUrl: string };
    };
    const { handler: process } = (await import(
      pathToFileURL(path.join(PROJECT_ROOT, functionByName('ProcessReceiptFn').entry)).href
    )) as { handler: Handler };
    const fn = functionByName('ProcessReceiptFn');
    const printed = await invoke(process, fn, {
      event: s3Event(`receipts/${adaSub}/${created.data.receipt.id}.png`, 's3-keep'),
      requestId: 'lambda-keep-ocr',
      correlationId: 'req-keep',
      own: [],
    });
    expect(printed.lines.map((l) => l.correlationId)).toContain('req-keep');
    expect(printed.emf.find((m) => m.ReceiptsFailed === 1)?.correlationId).toBe('req-keep');
  });
});
