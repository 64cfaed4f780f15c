import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { WebSocket } from 'ws';
import '../sdk-warnings.ts';
import { createUserSession, loadOutputs, type StackOutputs } from './import-receipts.ts';

/**
 * `npm run smoke -- --outputs FILE|URL`: the journey a new user makes, against any stack the
 * amplify_outputs.json names (the local one, or a deployed one): sign up and confirm, subscribe
 * to their events, upload a receipt (presigned PUT to S3), get it processed (onReceiptProcessed),
 * cross a budget threshold (onBudgetAlert), and have a report emailed (sendReport → onJobDone).
 * Each step is timed; the first that fails stops the run with its reason (exit code 1).
 *
 * Confirming the sign-up needs the emailed code: locally it is read from the outbox; on AWS it
 * is asked for on a terminal, or, with `--admin-confirm`, the sign-up is confirmed with your own
 * AWS credentials (cognito-idp:AdminConfirmSignUp on the pool), for unattended runs.
 */
export interface SmokeOptions {
  outputs: StackOutputs;
  /** The new user's address; on AWS one you can read (and, in the SES sandbox, a verified one). */
  email: string;
  password: string;
  receipt: { bytes: Buffer; contentType: string };
  /** How the sign-up is confirmed. */
  confirm: 'outbox' | 'prompt' | 'admin';
  /** How long each wait (OCR, alert, report) may take. */
  stepTimeoutMs: number;
  log(line: string): void;
}

export interface SmokeStep {
  name: string;
  ms: number;
}

const DEFAULT_RECEIPT = path.join(import.meta.dirname, '../../test/fixtures/textract/mega-market-receipt.jpg');
const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.pdf': 'application/pdf',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
};

/** Where AppSync's real-time endpoint is for a GraphQL URL (https://X.appsync-api.R.amazonaws.com/graphql; locally and on custom domains, /graphql/realtime). */
export function realtimeUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  if (url.hostname.includes('.appsync-api.'))
    url.hostname = url.hostname.replace('.appsync-api.', '.appsync-realtime-api.');
  else url.pathname = `${url.pathname.replace(/\/$/, '')}/realtime`;
  return url.href;
}

/** The local stack's outbox, when the pool is not AWS's (amplify_outputs of `npm start`). */
export function outboxUrlOf(outputs: StackOutputs): string | null {
  const endpoint = outputs.auth.user_pool_endpoint;
  if (!endpoint || new URL(endpoint).hostname.endsWith('.amazonaws.com')) return null;
  return new URL('/outbox.json', outputs.data.url).href;
}

class SmokeFailure extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SmokeFailure(message);
}

/** A subscriber speaking AppSync's real-time protocol (graphql-ws subprotocol, header auth), collecting events. */
async function subscribe(outputs: StackOutputs, token: string, subscriptions: Record<string, string>) {
  const host = new URL(outputs.data.url).host;
  const auth = { Authorization: token, host };
  const header = Buffer.from(JSON.stringify(auth)).toString('base64url');
  const socket = new WebSocket(realtimeUrlOf(outputs.data.url), ['graphql-ws', `header-${header}`]);
  const events = new Map<string, unknown[]>(Object.keys(subscriptions).map((name) => [name, []]));
  const started = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new SmokeFailure('subscriptions were not acknowledged in 15 s')), 15_000);
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'connection_ack') {
        for (const [name, query] of Object.entries(subscriptions)) {
          socket.send(
            JSON.stringify({
              id: name,
              type: 'start',
              payload: { data: JSON.stringify({ query, variables: {} }), extensions: { authorization: auth } },
            }),
          );
        }
      }
      if (message.type === 'start_ack') started.add(message.id);
      if (started.size === Object.keys(subscriptions).length) {
        clearTimeout(timer);
        resolve();
      }
      if (message.type === 'data') events.get(message.id)?.push(Object.values(message.payload.data)[0]);
      if (message.type === 'error') reject(new SmokeFailure(`subscription error: ${JSON.stringify(message.payload)}`));
    });
  });
  return { events, close: () => socket.close() };
}

async function waitFor<T>(
  what: string,
  read: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new SmokeFailure(`${what}: nothing within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function confirmSignUp(options: SmokeOptions, cognito: CognitoIdentityProviderClient): Promise<void> {
  const { outputs, email } = options;
  const ClientId = outputs.auth.user_pool_client_id;
  if (options.confirm === 'admin') {
    // Your own credentials (not the placeholder ones the unauthenticated calls use).
    const admin = new CognitoIdentityProviderClient({ region: outputs.auth.aws_region });
    await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: outputs.auth.user_pool_id, Username: email }));
    return;
  }
  let code: string;
  if (options.confirm === 'prompt') {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    code = (await prompt.question(`Verification code emailed to ${email}: `)).trim();
    prompt.close();
  } else {
    const outbox = outboxUrlOf(outputs);
    check(outbox, 'no outbox on this stack: confirm with --admin-confirm or on a terminal');
    code = await waitFor(
      `verification code for ${email} in the outbox`,
      async () => {
        const messages = (await (await fetch(outbox)).json()) as Array<{ to: string[]; text?: string }>;
        const message = messages.filter((m) => m.to.includes(email)).at(-1);
        return message ? /\b(\d{6})\b/.exec(message.text ?? '')?.[1] : undefined;
      },
      options.stepTimeoutMs,
    );
  }
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: code }));
}

export async function runSmoke(options: SmokeOptions): Promise<SmokeStep[]> {
  const { outputs, email, password, log, stepTimeoutMs } = options;
  const steps: SmokeStep[] = [];
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const value = await run();
    steps.push({ name, ms: Date.now() - started });
    log(`ok  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return value;
  };
  const cognito = new CognitoIdentityProviderClient({
    region: outputs.auth.aws_region,
    endpoint: outputs.auth.user_pool_endpoint,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });

  await step(`sign up ${email} and confirm (${options.confirm})`, async () => {
    await cognito.send(
      new SignUpCommand({
        ClientId: outputs.auth.user_pool_client_id,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await confirmSignUp(options, cognito);
  });
  const session = createUserSession(outputs, email, password);
  const token = await step('sign in', () => session.token());
  const api = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(outputs.data.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await session.token() },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: Array<{ message: string; errorType?: string }> };
    check(!body.errors?.length, `${query.split('{')[0].trim() || 'query'}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const me = await step(
    'read the profile made at confirmation',
    async () => (await api('query { me { id email } }')).me,
  );
  check(me?.email === email, `me is ${JSON.stringify(me)}`);

  const events = await step('subscribe to onReceiptProcessed, onBudgetAlert, onJobDone', () =>
    subscribe(outputs, token, {
      receipts: 'subscription { onReceiptProcessed { id status expense { id amount currency date version } } }',
      alerts: 'subscription { onBudgetAlert { id threshold spent limit currency } }',
      jobs: 'subscription { onJobDone { id status error { errorType message } delivery { to periodStart } } }',
    }),
  );
  try {
    const receiptId = await step('upload a receipt (presigned PUT to S3)', async () => {
      const { bytes, contentType } = options.receipt;
      const upload = (
        await api(
          'mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id } uploadUrl uploadHeaders } }',
          {
            input: { contentType, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
          },
        )
      ).createReceiptUpload;
      const put = await fetch(upload.uploadUrl, {
        method: 'PUT',
        headers: JSON.parse(upload.uploadHeaders),
        body: bytes,
      });
      check(put.ok, `S3 answered the upload ${put.status}: ${await put.text()}`);
      return upload.receipt.id as string;
    });
    const processed = await step('receipt processed, pushed to onReceiptProcessed', () =>
      waitFor(
        'onReceiptProcessed',
        () => (events.events.get('receipts') as any[]).find((r) => r.id === receiptId),
        stepTimeoutMs,
      ),
    );
    check(
      processed.status !== 'FAILED' && processed.expense,
      `receipt ${processed.status}: ${JSON.stringify(processed)}`,
    );

    const today = new Date().toISOString().slice(0, 10);
    await step(
      'budget crossed: expense moved to today, budget of its amount, alert pushed to onBudgetAlert',
      async () => {
        const expense = processed.expense;
        await api('mutation ($input: UpdateExpenseInput!) { updateExpense(input: $input) { id } }', {
          input: { id: expense.id, expectedVersion: expense.version, date: today },
        });
        await api('mutation ($input: CreateBudgetInput!) { createBudget(input: $input) { id } }', {
          input: {
            name: 'Smoke test',
            period: 'MONTHLY',
            amount: Math.max(1, expense.amount),
            currency: expense.currency,
            thresholds: [50],
          },
        });
        const alert = await waitFor('onBudgetAlert', () => (events.events.get('alerts') as any[])[0], stepTimeoutMs);
        check(alert.threshold === 50, `alert ${JSON.stringify(alert)}`);
      },
    );

    await step('report emailed: sendReport answers a job, onJobDone pushes it SUCCEEDED', async () => {
      const job = (await api(`mutation { sendReport(period: MONTHLY, date: "${today}") { id status } }`)).sendReport;
      check(job.status === 'PENDING', `sendReport answered ${JSON.stringify(job)}`);
      const done = await waitFor(
        'onJobDone',
        () => (events.events.get('jobs') as any[]).find((j) => j.id === job.id),
        stepTimeoutMs,
      );
      check(done.status === 'SUCCEEDED' && done.delivery?.to === email, `job ${JSON.stringify(done)}`);
      const read = (await api('query ($id: ID!) { job(id: $id) { status } }', { id: job.id })).job;
      check(read.status === 'SUCCEEDED', `job(id) says ${JSON.stringify(read)}`);
    });
  } finally {
    events.close();
  }
  return steps;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      outputs: { type: 'string' },
      email: { type: 'string' },
      receipt: { type: 'string' },
      'admin-confirm': { type: 'boolean', default: false },
      'timeout-s': { type: 'string', default: '120' },
    },
  });
  if (!values.outputs) {
    console.error(
      'usage: npm run smoke -- --outputs amplify_outputs.json|URL [--email you@example.org] [--admin-confirm] [--receipt FILE] [--timeout-s 120]',
    );
    process.exit(2);
  }
  const outputs = await loadOutputs(values.outputs);
  const local = outboxUrlOf(outputs) !== null;
  if (!local && !values.email) {
    console.error(
      '--email is required against AWS: an address you can read (verified in SES while the account is in the sandbox)',
    );
    process.exit(2);
  }
  const receiptFile = values.receipt ?? DEFAULT_RECEIPT;
  const contentType = CONTENT_TYPES[path.extname(receiptFile).toLowerCase()];
  if (!contentType) throw new Error(`${receiptFile}: not a receipt type (${Object.keys(CONTENT_TYPES).join(' ')})`);
  const email = values.email ?? `smoke-${Date.now()}@example.com`;
  const started = Date.now();
  try {
    const steps = await runSmoke({
      outputs,
      email,
      // Meets the pool's policy (upper, lower, digit, symbol, 12+); used once, never shown.
      password: `Sm0ke!${randomBytes(12).toString('base64url')}`,
      receipt: { bytes: await readFile(receiptFile), contentType },
      confirm: local ? 'outbox' : values['admin-confirm'] ? 'admin' : 'prompt',
      stepTimeoutMs: Number(values['timeout-s']) * 1000,
      log: (line) => console.log(line),
    });
    console.log(
      `smoke passed: ${steps.length} steps in ${((Date.now() - started) / 1000).toFixed(1)} s against ${outputs.data.url}`,
    );
  } catch (error) {
    console.error(`smoke FAILED against ${outputs.data.url}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
