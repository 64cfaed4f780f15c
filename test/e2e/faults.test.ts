import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/stack.ts';
import { BAKERY_RECEIPT, drawReceiptJpeg, GALLERY_RECEIPT } from '../support/drawn-receipts.ts';
import {
  eventually,
  givenSignedInUser,
  graphql,
  stackDynamoDb,
  type SignedInUser,
  type StackEndpoints,
} from './steps.ts';

/**
 * kill -9 at the worst moments, as `npm start` lives them: the whole stack in a child process
 * (every function and resolver; Textract answering a saved response), killed while a presigned
 * upload is half sent, while a receipt is in OCR, while BudgetFn evaluates the change that
 * crossed a threshold, while the alert's email is being sent, and while a report's email is;
 * then started again on the same DATA_DIR and PORT (each restart stopping at the next fault,
 * so four starts cover them all). Every receipt ends in a final state with
 * one expense, every crossed threshold is alerted exactly once with no pending alert left, the
 * report job finishes with one email, and nothing waits for the user's next change.
 */
const CHILD = `
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT, startLocalStack } from './local/stack.ts';
import { createCognito, createResolvers } from './local/wiring.ts';
import { createSavedTextract } from './test/support/saved-textract.ts';
// Where this run stops for good, to be killed there: OCR, BudgetFn on the change of one amount,
// the email of one alert threshold, a report's email.
const faults = JSON.parse(process.env.FAULTS ?? '{}');
const hang = (what) => { console.log('AT ' + what); return new Promise(() => {}); };
const textract = createSavedTextract({ timezone: 'Europe/Paris' });
const ocr = { ...textract.route, async handle(req, res) {
  if (!faults.ocr) return textract.route.handle(req, res);
  for await (const _ of req) void _;
  return hang('ocr');
} };
const loadHandler = async (fn) => {
  const { handler } = await import(pathToFileURL(path.resolve(PROJECT_ROOT, fn.entry)).href);
  if (faults.budgetAmount && fn.name === 'BudgetFn')
    return (event, context) => (event?.after?.amount === faults.budgetAmount ? hang('budget') : handler(event, context));
  return handler;
};
const emails = (outbox) => ({
  matches: (req) => outbox.isSesRequest(req),
  async handle(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const raw = Buffer.from(JSON.parse(body.toString()).Content?.Raw?.Data ?? '', 'base64').toString();
    if (faults.alertThreshold && /x-budget-alert-id/i.test(raw) && raw.includes(': ' + faults.alertThreshold + ' % of your budget'))
      return hang('alert-email');
    if (faults.report && raw.includes('.csv')) return hang('report-email');
    return outbox.handleSes(Object.assign(Readable.from([body]), { method: req.method, url: req.url, headers: req.headers }), res);
  },
});
const stack = await startLocalStack({
  port: Number(process.env.STACK_PORT), dataDir: process.env.DATA_DIR, quiet: true, env: { SMTP_PORT: '0' },
  createResolvers, createCognito, loadHandler, extraRoutes: async ({ outbox }) => [ocr, emails(outbox)],
});
console.log('READY ' + JSON.stringify({ ...stack.urls, port: stack.config.port, bucket: stack.config.receiptsBucket, clientId: stack.cognito.userPoolClientId, credentials: stack.config.credentials }));
`;

interface Child {
  process: ChildProcess;
  urls: Record<string, string> & { port: number; bucket: string; clientId: string };
  credentials: { accessKeyId: string; secretAccessKey: string };
  reached(marker: string): Promise<void>;
  output(): string;
}

let dataDir: string;
let port = 0;
let child: Child | undefined;
let ada: SignedInUser;

interface Faults {
  ocr?: boolean;
  budgetAmount?: number;
  alertThreshold?: number;
  report?: boolean;
}

async function startStack(faults: Faults = {}): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      STACK_PORT: String(port),
      FAULTS: JSON.stringify(faults),
      NODE_NO_WARNINGS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners: Array<() => void> = [];
  proc.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    listeners.forEach((l) => l());
  });
  proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ready = await new Promise<Child['urls'] & { credentials: Child['credentials'] }>((resolve, reject) => {
    const check = () => {
      const line = output.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice('READY '.length)));
    };
    listeners.push(check);
    proc.on('exit', (code) => reject(new Error(`stack exited with ${code}:\n${output}`)));
  });
  port = ready.port;
  child = {
    process: proc,
    urls: ready,
    credentials: ready.credentials,
    output: () => output,
    reached: (marker) =>
      new Promise<void>((resolve, reject) => {
        const check = () => output.includes(`AT ${marker}`) && resolve();
        listeners.push(check);
        check();
        // Within 30 s, or the child's output says why not.
        setTimeout(() => reject(new Error(`never reached ${marker}:\n${output.slice(-3000)}`)), 30_000).unref();
      }),
  };
  return child;
}

async function kill9(target: Child): Promise<void> {
  const exited = new Promise<void>((resolve) => target.process.once('exit', () => resolve()));
  target.process.kill('SIGKILL');
  await exited;
}

const endpoints = (c: Child): StackEndpoints => ({
  graphql: c.urls.graphql,
  cognito: c.urls.cognito,
  outbox: c.urls.outbox,
  region: 'us-east-1',
  clientId: c.urls.clientId,
});
const call = (query: string, variables: Record<string, unknown> = {}) =>
  graphql(child!.urls.graphql, query, variables, ada.accessToken);
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

async function outbox(): Promise<Array<{ subject: string; to: string[] }>> {
  return (await (await fetch(`${child!.urls.outbox}.json`)).json()) as Array<{ subject: string; to: string[] }>;
}
const alertEmails = async (threshold: number) =>
  (await outbox()).filter((m) => m.subject === `Eating out: ${threshold} % of your budget used`).length;

/** The budget items' attributes as stored: a pending alert is an attribute `pendingAlert:<id>`. */
async function pendingAlerts(): Promise<string[]> {
  const sub = (await call('{ me { id } }')).body.data.me.id as string;
  const db = stackDynamoDb({ endpoint: child!.urls.dynamodb, region: 'us-east-1', credentials: child!.credentials });
  const out = await db.send(
    new QueryCommand({
      TableName: 'Budgets',
      KeyConditionExpression: 'user_id = :u',
      ExpressionAttributeValues: { ':u': sub },
      ConsistentRead: true,
    }),
  );
  db.destroy();
  return (out.Items ?? []).flatMap((item) => Object.keys(item).filter((name) => name.startsWith('pendingAlert:')));
}

async function receiptsSettled() {
  return eventually(
    async () =>
      (await call('{ listReceipts(limit: 100) { items { id status expenseId } } }')).body.data.listReceipts
        .items as Array<{
        id: string;
        status: string;
        expenseId: string | null;
      }>,
    (items) => items.every((r) => ['PROCESSED', 'NEEDS_REVIEW', 'FAILED'].includes(r.status)),
    30_000,
  );
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'faults-'));
  await startStack();
  ada = await givenSignedInUser(endpoints(child!), 'ada@example.com');
  await call('mutation { updateProfile(input: { homeCurrency: "USD", timezone: "Europe/Paris" }) { id } }');
  await call(
    'mutation { createBudget(input: { name: "Eating out", category: DINING, period: MONTHLY, amount: 10000 }) { id } }',
  );
}, 120_000);

afterAll(async () => {
  if (child && child.process.exitCode === null && child.process.signalCode === null) await kill9(child);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('kill -9, then start again', () => {
  const receiptIds: string[] = [];
  let upload: { id: string; owner: string; url: string; headers: Record<string, string>; image: Buffer };
  let reportsBefore = 0;
  const reports = async () => (await outbox()).filter((m) => /report/i.test(m.subject)).length;
  const jobStatus = async (id: string) =>
    (await call('query ($id: ID!) { job(id: $id) { status } }', { id })).body.data?.job?.status as string | undefined;

  it('given a presigned upload half sent and a receipt in OCR, when the process is killed, then after the restart no partial object exists, the URL completes the upload, the sweep finishes the OCR: every receipt final with one expense', async () => {
    await kill9(child!);
    await startStack({ ocr: true });
    const image = await drawReceiptJpeg(BAKERY_RECEIPT);
    const created = await call(
      'mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id owner } uploadUrl uploadHeaders } }',
      { input: { contentType: 'image/jpeg', size: image.length } },
    );
    const { receipt, uploadUrl, uploadHeaders } = created.body.data.createReceiptUpload;
    upload = { id: receipt.id, owner: receipt.owner, url: uploadUrl, headers: JSON.parse(uploadHeaders), image };
    const inline = await call('mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
      input: { image: (await drawReceiptJpeg(GALLERY_RECEIPT)).toString('base64') },
    });
    receiptIds.push(upload.id, inline.body.data.uploadReceipt.id);
    await child!.reached('ocr');
    const put = httpRequest(uploadUrl, {
      method: 'PUT',
      headers: { ...upload.headers, 'content-length': image.length },
    });
    put.on('error', () => {});
    put.write(image.subarray(0, image.length >> 1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await kill9(child!);
    put.destroy();

    await startStack({ alertThreshold: 50, report: true });
    const s3 = new S3Client({
      endpoint: child!.urls.s3,
      region: 'us-east-1',
      credentials: child!.credentials,
      forcePathStyle: true,
    });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: child!.urls.bucket, Key: `receipts/${upload.owner}/${upload.id}.jpg` })),
    ).rejects.toMatchObject({ name: 'NotFound' });
    expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: image })).status).toBe(200);
    const settled = await receiptsSettled();
    for (const id of receiptIds) expect(settled.find((r) => r.id === id)?.expenseId).toBe(id);
  }, 180_000);

  it('given an alert (50 %) whose email is being sent and a report job emailing its report, when the process is killed, then the restart delivers the alert once and finishes the job: one report', async () => {
    reportsBefore = await reports();
    await call(
      'mutation ($date: AWSDate!) { createExpense(input: { merchant: "Dinner", amount: 6000, date: $date, category: DINING }) { id } }',
      { date: today() },
    );
    await child!.reached('alert-email');
    // Claimed and pending on the budget, its push maybe out: what a crash leaves behind.
    expect(await pendingAlerts()).toHaveLength(1);
    const started = await call('mutation ($date: AWSDate!) { sendReport(period: MONTHLY, date: $date) { id } }', {
      date: today(),
    });
    const jobId = started.body.data.sendReport.id as string;
    await child!.reached('report-email');
    await kill9(child!);

    await startStack({ budgetAmount: 2500 });
    expect(
      await eventually(
        () => alertEmails(50),
        (n) => n >= 1,
        20_000,
      ),
    ).toBe(1);
    await eventually(pendingAlerts, (pending) => pending.length === 0, 10_000);
    expect(await pendingAlerts()).toEqual([]);
    // The job's run was cut short: the restart runs it to its end, without the user asking again.
    expect(
      await eventually(
        () => jobStatus(jobId),
        (status) => status === 'SUCCEEDED',
        30_000,
      ),
    ).toBe('SUCCEEDED');
    expect(await reports()).toBe(reportsBefore + 1);
  }, 180_000);

  it('given BudgetFn evaluating a change that crossed 80 % when the process is killed, then the restart alerts it once, with nothing left pending, nothing left queued, and every receipt still with one expense', async () => {
    await call(
      'mutation ($date: AWSDate!) { createExpense(input: { merchant: "Dinner", amount: 2500, date: $date, category: DINING }) { id } }',
      { date: today() },
    );
    await child!.reached('budget');
    await kill9(child!);

    await startStack();
    expect(
      await eventually(
        () => alertEmails(80),
        (n) => n >= 1,
        20_000,
      ),
    ).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second one would arrive in this window
    expect([await alertEmails(50), await alertEmails(80)]).toEqual([1, 1]);
    expect(await pendingAlerts()).toEqual([]);
    await eventually(
      () => readdir(path.join(dataDir, 'lambda-events', 'pending')),
      (left) => left.length === 0,
      10_000,
    );
    expect(await readdir(path.join(dataDir, 'lambda-events', 'pending'))).toEqual([]);
    const receipts = await receiptsSettled();
    const expenses = (await call('{ listExpenses(limit: 100) { items { id receiptId } } }')).body.data.listExpenses
      .items as Array<{ id: string; receiptId: string | null }>;
    const byReceipt = expenses.filter((e) => e.receiptId);
    expect(new Set(byReceipt.map((e) => e.receiptId)).size).toBe(byReceipt.length);
    expect(receipts.map((r) => r.id).sort()).toEqual([...receiptIds].sort());
    for (const id of receiptIds) expect(byReceipt.filter((e) => e.receiptId === id)).toHaveLength(1);
  }, 180_000);
});
