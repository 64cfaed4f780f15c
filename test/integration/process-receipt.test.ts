import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Event } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionDefinition } from '../../model/functions.ts';
import { IN_FLIGHT, statusKeyOf } from '../../model/receipts.ts';
import type { ReceiptStatus } from '../../generated/graphql.ts';
import { processReceipt, type ProcessReceiptDeps } from '../../functions/process-receipt/core.ts';
import { processReceiptDeps } from '../../functions/process-receipt/deps.ts';
import { createProfileReader, stuckReceipts } from '../../functions/process-receipt/dynamo-adapters.ts';
import { PROJECT_ROOT, startLocalStack, type LocalStack } from '../../local/stack.ts';
import { createCognito, createResolvers } from '../../local/wiring.ts';
import {
  eventually,
  givenSignedInUser,
  graphql,
  stackDynamoDb,
  subscribeOverWebSocket,
  type SignedInUser,
} from '../e2e/steps.ts';
import { createSavedTextract, MEGA_MARKET_IMAGE, MEGA_MARKET_TOTAL } from '../support/saved-textract.ts';

/**
 * The OCR function for real: its handler run by the local Lambda with the S3 events the local S3
 * really sends, against dynalite, the resolvers (the receipt-processed and budget-alert
 * publishes) and the SES outbox; only Textract answers from a saved AnalyzeExpense response.
 * S3 events are tapped instead of delivered, so each test delivers them as it needs: five
 * times at once, after a failure, after a crash.
 */
// Short leases, so a crashed run's lease runs out within a test (and still outlasts a stall of busy cores).
const LEASE_MS = 1000;
const textract = createSavedTextract();
const tapped: S3Event[] = [];
let stack: LocalStack;
let dataDir: string;
let db: DynamoDBDocumentClient;
let s3: S3Client;
let image: Buffer;
const savedLease = process.env.PROCESSING_LEASE_MS;
const logger = new Logger({ serviceName: 'process-receipt-test', logLevel: 'ERROR' });

// The OCR function without its S3 trigger, and a tap in its place.
const functions: FunctionDefinition[] = [
  ...FUNCTIONS.map((fn) => (fn.name === 'ProcessReceiptFn' ? { ...fn, triggers: ['schedule-sweep' as const] } : fn)),
  {
    name: 'S3EventTap',
    entry: '(test)',
    memoryMb: 128,
    timeoutSeconds: 5,
    tables: {},
    triggers: ['s3-object-created'],
  },
];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'process-receipt-'));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    quiet: true,
    env: {},
    createResolvers,
    createCognito,
    extraRoutes: async () => [textract.route],
    functions,
    lambdaRetryDelaysMs: [100, 200],
    loadHandler: async (fn) => {
      if (fn.name === 'S3EventTap') return async (event) => void tapped.push(event as S3Event);
      return (
        (await import(pathToFileURL(path.resolve(PROJECT_ROOT, fn.entry)).href)) as {
          handler: (e: unknown, c: unknown) => Promise<unknown>;
        }
      ).handler;
    },
  });
  process.env.PROCESSING_LEASE_MS = String(LEASE_MS);
  db = stackDynamoDb(stack);
  s3 = new S3Client({
    endpoint: stack.urls.s3,
    region: stack.config.region,
    credentials: stack.config.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  image = await readFile(MEGA_MARKET_IMAGE);
}, 60_000);

afterAll(async () => {
  if (savedLease === undefined) delete process.env.PROCESSING_LEASE_MS;
  else process.env.PROCESSING_LEASE_MS = savedLease;
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const RECEIPT =
  'id status expenseId error sha256 possibleDuplicateOf updatedAt expense { id amount merchant date updatedAt }';
let users = 0;

/** Given a signed-in user with an all-spending budget of 3000.00 (the receipt is 60 % of it), subscribed to both events. */
async function givenUser() {
  const user: SignedInUser = await givenSignedInUser(stack, `user${(users += 1)}@example.com`);
  const sub = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString()).sub as string;
  const call = (query: string, variables: Record<string, unknown> = {}) =>
    graphql(stack.urls.graphql, query, variables, user.accessToken);
  expect(
    (await call('mutation { createBudget(input: { name: "Everything", period: MONTHLY, amount: 300000 }) { id } }'))
      .body.errors,
  ).toBeUndefined();
  await stack.lambda.drain(); // the new budget's own evaluation is done before any receipt is read
  const receipts = await subscribeOverWebSocket(
    stack,
    user.accessToken,
    `subscription { onReceiptProcessed { ${RECEIPT} } }`,
  );
  const alerts = await subscribeOverWebSocket(
    stack,
    user.accessToken,
    'subscription { onBudgetAlert { budgetId threshold spent } }',
  );
  return {
    ...user,
    sub,
    call,
    receiptEvents: () =>
      receipts.data.map((d) => (d as { onReceiptProcessed: Record<string, any> }).onReceiptProcessed),
    alertEvents: () => alerts.data.map((d) => (d as { onBudgetAlert: Record<string, unknown> }).onBudgetAlert),
    alertEmails: async () =>
      (await stack.outbox.list()).filter((m) => m.to.includes(user.email) && m.subject.startsWith('Everything')),
    receipt: async (id: string) =>
      (await call(`query ($id: ID!) { receipt(id: $id) { ${RECEIPT} } }`, { id })).body.data.receipt,
    expenses: async () =>
      (await call('query { listExpenses(limit: 100) { items { id receiptId amount } } }')).body.data.listExpenses
        .items as Array<{ id: string; receiptId: string; amount: number }>,
    close: () => [receipts.socket, alerts.socket].forEach((s) => s.close()),
  };
}
type User = Awaited<ReturnType<typeof givenUser>>;

/** The S3 event the local S3 sent for a receipt's object. */
async function tappedEventFor(receiptId: string): Promise<S3Event> {
  const find = () => tapped.find((e) => e.Records.some((r) => r.s3.object.key.includes(receiptId)));
  await eventually(find, Boolean, 5000);
  return find()!;
}

/** When the user uploads bytes inline; the receipt id, and the S3 event it raised (not delivered yet). */
async function whenUploadedInline(user: User, bytes: Buffer): Promise<{ id: string; event: S3Event }> {
  const answer = await user.call('mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
    input: { image: bytes.toString('base64') },
  });
  expect(answer.body.errors).toBeUndefined();
  const id = answer.body.data.uploadReceipt.id as string;
  return { id, event: await tappedEventFor(id) };
}

/** When the user uploads through a presigned URL with plain fetch (no hash declared unless given). */
async function whenUploadedPresigned(
  user: User,
  body: Buffer,
  input: { contentType?: string; size?: number; sha256?: string } = {},
): Promise<{ id: string; event: S3Event; key: string }> {
  const answer = await user.call(
    'mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id } uploadUrl uploadHeaders } }',
    {
      input: {
        contentType: input.contentType ?? 'image/jpeg',
        size: input.size ?? body.length,
        ...(input.sha256 ? { sha256: input.sha256 } : {}),
      },
    },
  );
  expect(answer.body.errors).toBeUndefined();
  const { receipt, uploadUrl, uploadHeaders } = answer.body.data.createReceiptUpload;
  const put = await fetch(uploadUrl, { method: 'PUT', headers: JSON.parse(uploadHeaders), body });
  expect(put.status).toBe(200);
  const event = await tappedEventFor(receipt.id);
  return { id: receipt.id, event, key: decodeURIComponent(event.Records[0].s3.object.key) };
}

const deliver = (event: unknown) =>
  stack.lambda.invoke('ProcessReceiptFn', event, 'RequestResponse') as Promise<{ processed: number }>;
const sweep = () => deliver({ action: 'sweep' });
const item = async (owner: string, id: string) =>
  (
    await db.send(
      new GetCommand({ TableName: 'Receipts', Key: { user_id: owner, receipt_id: id }, ConsistentRead: true }),
    )
  ).Item!;
const settle = () => new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate push would arrive within this
const leaseRunsOut = () => new Promise((resolve) => setTimeout(resolve, LEASE_MS + 50));

/** Then: one expense, the receipt PROCESSED and out of flight, pushed (identical payloads if more than once), one 50 % alert. */
async function thenDone(user: User, id: string) {
  expect(await user.receipt(id)).toMatchObject({
    status: 'PROCESSED',
    expenseId: id,
    expense: { id, amount: MEGA_MARKET_TOTAL },
  });
  expect((await user.expenses()).map((e) => e.id)).toEqual([id]);
  const internal = await item(user.sub, id);
  expect(internal.inflight).toBeUndefined();
  expect(internal.followUpsPending).toBeUndefined();
  await eventually(
    () => user.receiptEvents().length,
    (n) => n >= 1,
  );
  await eventually(
    () => user.alertEvents().length,
    (n) => n >= 1,
  );
  await settle();
  const pushed = user.receiptEvents();
  expect(pushed[0]).toMatchObject({ id, status: 'PROCESSED', expense: { amount: MEGA_MARKET_TOTAL } });
  for (const again of pushed.slice(1)) expect(again).toEqual(pushed[0]);
  expect(user.alertEvents()).toEqual([{ budgetId: 'ALL-MONTHLY', threshold: 50, spent: MEGA_MARKET_TOTAL }]);
  expect((await user.alertEmails()).map((m) => m.subject)).toEqual(['Everything: 50 % of your budget used']);
  // The receipt's history: its upload, then OCR's reading, each once however often the run was retried.
  expect(await historyOf(user, id)).toEqual([
    [1, 'CREATED', user.sub, 'API'],
    [2, 'UPDATED', 'system', 'OCR'],
  ]);
}

/** A receipt's history as its owner asks for it: version, action, by whom, through which path. */
async function historyOf(user: User, id: string): Promise<Array<[number, string, string, string]>> {
  const out = await user.call(
    'query ($id: ID!) { history(itemId: $id, itemType: RECEIPT) { items { version action by path } } }',
    { id },
  );
  expect(out.body.errors).toBeUndefined();
  return out.body.data.history.items.map((e: { version: number; action: string; by: string; path: string }) => [
    e.version,
    e.action,
    e.by,
    e.path,
  ]);
}

/** The OCR function's real dependencies, with the lease of the test. */
function realDeps(): ProcessReceiptDeps {
  return { ...processReceiptDeps({ logger, count: () => undefined }), lease: { ms: LEASE_MS, voidBefore: null } };
}

/** A step that fails once (a dropped connection), then works. */
function failingOnce<T extends (...args: any[]) => Promise<any>>(step: T): T {
  let failed = false;
  return (async (...args: any[]) => {
    if (failed) return step(...args);
    failed = true;
    throw new Error('connection reset');
  }) as T;
}

/** The deps of a run that dies right after `step` completes: from then on nothing it tries reaches the world. */
function dyingAfter(
  deps: ProcessReceiptDeps,
  step: 'acquire' | 'putFromReceipt' | 'recordOutcome' | 'evaluateBudgets' | 'publishProcessed',
): ProcessReceiptDeps {
  let dead = false;
  const guard = <T extends (...args: any[]) => Promise<any>>(fn: T, crashAfter = false): T =>
    (async (...args: any[]) => {
      if (dead) throw new Error('process killed');
      const result = await fn(...args);
      if (crashAfter) {
        dead = true;
        throw new Error('process killed');
      }
      return result;
    }) as T;
  const r = deps.receipts;
  const e = deps.expenses;
  return {
    ...deps,
    receipts: {
      acquire: guard(r.acquire, step === 'acquire'),
      renew: guard(r.renew),
      recordOutcome: guard(r.recordOutcome, step === 'recordOutcome'),
      finish: guard(r.finish),
      release: guard(r.release),
    },
    expenses: {
      ...e,
      get: guard(e.get),
      putFromReceipt: guard(e.putFromReceipt, step === 'putFromReceipt'),
      sameDay: guard(e.sameDay),
    },
    evaluateBudgets: guard(deps.evaluateBudgets, step === 'evaluateBudgets'),
    publishProcessed: guard(deps.publishProcessed, step === 'publishProcessed'),
    history: { put: guard(deps.history.put) },
  };
}

describe('the OCR function on the local stack', () => {
  it('given a real S3 event, when it is delivered 5 times at once, then one OCR, one expense, one PROCESSED receipt, one event and one budget alert', async () => {
    const ada = await givenUser();
    const { id, event } = await whenUploadedInline(ada, image);
    expect(event.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: { object: { key: `receipts/${ada.sub}/${id}.jpg` } },
    });
    const calls = textract.calls;

    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => deliver(event)));
    expect(answers.map((a) => a.processed).sort()).toEqual([0, 0, 0, 0, 1]);
    expect(textract.calls - calls).toBe(1);
    await thenDone(ada, id);
    expect(ada.receiptEvents()).toHaveLength(1);
    expect((await ada.receipt(id)).sha256).toBe(createHash('sha256').update(image).digest('hex'));
    ada.close();
  });

  it('given an owner whose key S3 URL-encodes (":", "+", a space), when its event is delivered, then that receipt is processed', async () => {
    const owner = 'us-east-1:a+b c';
    const id = ulid();
    const key = `receipts/${owner}/${id}.jpg`;
    const now = new Date().toISOString();
    await db.send(
      new PutCommand({
        TableName: 'Receipts',
        Item: {
          user_id: owner,
          receipt_id: id,
          status: 'UPLOADED',
          status_key: statusKeyOf('UPLOADED', id),
          inflight: 'Y',
          s3Key: key,
          contentType: 'image/jpeg',
          size: image.length,
          createdAt: now,
          updatedAt: now,
        },
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key, Body: image, ContentType: 'image/jpeg' }),
    );
    const event = await tappedEventFor(id);
    expect(event.Records[0].s3.object.key).toBe(`receipts/us-east-1%3Aa%2Bb+c/${id}.jpg`);

    expect(await deliver(event)).toEqual({ processed: 1 });
    expect(await item(owner, id)).toMatchObject({ status: 'PROCESSED', expenseId: id });
    const expense = await db.send(new GetCommand({ TableName: 'Expenses', Key: { user_id: owner, expense_id: id } }));
    expect(expense.Item).toMatchObject({ amount: MEGA_MARKET_TOTAL, merchant: 'MEGA MARKET PLUS' });
  });

  it('given publishing fails once, when the event is retried, then one expense, PROCESSED, the event and the alert delivered', async () => {
    const bea = await givenUser();
    const { id, event } = await whenUploadedInline(bea, image);
    const deps = realDeps();
    await expect(
      processReceipt({ ...deps, publishProcessed: failingOnce(deps.publishProcessed) }, bea.sub, id, 'first'),
    ).rejects.toThrow('connection reset');
    expect(await item(bea.sub, id)).toMatchObject({ status: 'PROCESSED', followUpsPending: true, inflight: 'Y' });

    expect(await deliver(event)).toEqual({ processed: 1 });
    await thenDone(bea, id);
    expect(bea.receiptEvents()).toHaveLength(1);
    bea.close();
  });

  it('given budget evaluation fails once, when the sweep runs, then one expense, PROCESSED, the event and the alert delivered', async () => {
    const cid = await givenUser();
    const { id } = await whenUploadedInline(cid, image);
    const deps = realDeps();
    await expect(
      processReceipt({ ...deps, evaluateBudgets: failingOnce(deps.evaluateBudgets) }, cid.sub, id, 'first'),
    ).rejects.toThrow('connection reset');
    expect(cid.receiptEvents()).toEqual([]);

    await leaseRunsOut(); // the sweep leaves receipts changed within the last lease alone
    expect((await sweep()).processed).toBeGreaterThanOrEqual(1);
    await thenDone(cid, id);
    cid.close();
  });

  it.each(['acquire', 'putFromReceipt', 'recordOutcome', 'evaluateBudgets', 'publishProcessed'] as const)(
    'given a run that dies right after %s, when its lease runs out and the sweep re-drives it, then one expense, PROCESSED, the event and the alert delivered once',
    async (step) => {
      const dan = await givenUser();
      const { id } = await whenUploadedInline(dan, image);
      await expect(processReceipt(dyingAfter(realDeps(), step), dan.sub, id, 'dying')).rejects.toThrow(
        'process killed',
      );
      await leaseRunsOut();
      await sweep();
      await thenDone(dan, id);
      dan.close();
    },
  );

  it('given receipts in every state, when swept, then only the stuck ones are re-driven: a lost event, a dead run; not a live run, a fresh upload or a finished one', async () => {
    const owner = `sweep-${ulid()}`;
    const old = new Date(Date.now() - 60_000).toISOString();
    const fresh = new Date().toISOString();
    const put = async (status: ReceiptStatus, updatedAt: string, extra: Record<string, unknown> = {}) => {
      const id = ulid();
      const key = `receipts/${owner}/${id}.jpg`;
      // A different file each (the same one twice would be a DuplicateReceipt).
      const body = Buffer.concat([image, Buffer.from(id)]);
      await s3.send(
        new PutObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key, Body: body, ContentType: 'image/jpeg' }),
      );
      const inflight = ['PENDING_UPLOAD', 'UPLOADED', 'PROCESSING'].includes(status) ? { inflight: IN_FLIGHT } : {};
      await db.send(
        new PutCommand({
          TableName: 'Receipts',
          Item: {
            user_id: owner,
            receipt_id: id,
            status,
            status_key: statusKeyOf(status, id),
            s3Key: key,
            contentType: 'image/jpeg',
            size: body.length,
            createdAt: old,
            updatedAt,
            ...inflight,
            ...extra,
          },
        }),
      );
      return id;
    };
    const lostEvent = await put('UPLOADED', old);
    const deadRun = await put('PROCESSING', old, {
      leaseId: 'dead',
      leaseUntil: Date.now() - 1000,
      leasedAt: Date.now() - 61_000,
      attempts: 1,
    });
    const liveRun = await put('PROCESSING', old, {
      leaseId: 'live',
      leaseUntil: Date.now() + 60_000,
      leasedAt: Date.now(),
      attempts: 1,
    });
    const justUploaded = await put('UPLOADED', fresh);
    const waitingForUpload = await put('PENDING_UPLOAD', old);
    const finished = await put('PROCESSED', old);

    // A lease of 30 s here, so the fresh upload stays fresh however slow the cores are.
    const listed: string[] = [];
    for await (const r of stuckReceipts(db, 'Receipts', new Date(Date.now() - 30_000)))
      if (r.user_id === owner) listed.push(r.receipt_id);
    expect(listed.sort()).toEqual([lostEvent, deadRun, liveRun, waitingForUpload].sort());

    process.env.PROCESSING_LEASE_MS = '30000';
    try {
      await sweep();
    } finally {
      process.env.PROCESSING_LEASE_MS = String(LEASE_MS);
    }
    expect((await item(owner, lostEvent)).status).toBe('PROCESSED');
    expect(await item(owner, deadRun)).toMatchObject({ status: 'PROCESSED' });
    expect(await item(owner, liveRun)).toMatchObject({ status: 'PROCESSING', leaseId: 'live' });
    expect((await item(owner, justUploaded)).status).toBe('UPLOADED');
    expect((await item(owner, waitingForUpload)).status).toBe('PENDING_UPLOAD');
    expect((await item(owner, finished)).status).toBe('PROCESSED');
  });

  it('given a processed receipt, when the owner reprocesses it, then it is read again through the API, with still one expense, and pushed again', async () => {
    const eve = await givenUser();
    const { id, event } = await whenUploadedInline(eve, image);
    await deliver(event);
    await eventually(
      () => eve.receiptEvents().length,
      (n) => n >= 1,
    );
    const calls = textract.calls;

    const answer = await eve.call('mutation ($id: ID!) { reprocessReceipt(id: $id) { id status } }', { id });
    expect(answer.body.data.reprocessReceipt).toEqual({ id, status: 'UPLOADED' });
    await eventually(
      () => eve.receiptEvents().length,
      (n) => n >= 2,
      5000,
    );
    expect(textract.calls - calls).toBe(1);
    expect(eve.receiptEvents()[1]).toMatchObject({ id, status: 'PROCESSED', expenseId: id });
    expect((await eve.expenses()).map((e) => e.id)).toEqual([id]);
    // The push goes out before the run's last write takes the receipt out of flight.
    const settled = await eventually(
      () => item(eve.sub, id),
      (receipt) => receipt.inflight === undefined,
    );
    expect(settled.inflight).toBeUndefined();
    // The same expense again: no second alert.
    await settle();
    expect(eve.alertEvents()).toHaveLength(1);
    // Each reading is in its history, and the reprocess its owner asked for between them.
    expect(await historyOf(eve, id)).toEqual([
      [1, 'CREATED', eve.sub, 'API'],
      [2, 'UPDATED', 'system', 'OCR'],
      [3, 'UPDATED', eve.sub, 'API'],
      [4, 'UPDATED', 'system', 'OCR'],
    ]);
    eve.close();
  });

  it('given a different image with the same merchant, date and total, when processed, then it is flagged as a possible duplicate of the first', async () => {
    const fay = await givenUser();
    const first = await whenUploadedInline(fay, image);
    await deliver(first.event);
    const other = await whenUploadedInline(fay, Buffer.concat([image, Buffer.from('another photo of it')]));
    await deliver(other.event);
    expect(await fay.receipt(other.id)).toMatchObject({ status: 'PROCESSED', possibleDuplicateOf: first.id });
    expect((await fay.receipt(first.id)).possibleDuplicateOf).toBeNull();
    expect(await fay.expenses()).toHaveLength(2);
    fay.close();
  });

  it("given a receipt's expense filed under one of the owner's categories, when another receipt from that shop is read, then its expense is filed there too, under its parent, as LEARNED", async () => {
    const gus = await givenUser();
    const made = await gus.call(
      'mutation { createCategory(input: { name: "Corner shops", colour: "#336699", parent: HOUSEHOLD }) { id } }',
    );
    const category = made.body.data.createCategory.id as string;
    const first = await whenUploadedInline(gus, image);
    await deliver(first.event);
    const read = await gus.call('query ($id: ID!) { expense(id: $id) { version categorySource } }', { id: first.id });
    expect(read.body.data.expense.categorySource).not.toBe('LEARNED');
    const filed = await gus.call(
      'mutation ($input: UpdateExpenseInput!) { updateExpense(input: $input) { category customCategoryId } }',
      { input: { id: first.id, expectedVersion: read.body.data.expense.version, customCategoryId: category } },
    );
    expect(filed.body.errors).toBeUndefined();

    const second = await whenUploadedInline(gus, Buffer.concat([image, Buffer.from('the next visit')]));
    await deliver(second.event);
    const next = await gus.call(
      'query ($id: ID!) { expense(id: $id) { category categorySource customCategoryId customCategory { name } } }',
      { id: second.id },
    );
    expect(next.body.data.expense).toEqual({
      category: 'HOUSEHOLD',
      categorySource: 'LEARNED',
      customCategoryId: category,
      customCategory: { name: 'Corner shops' },
    });
    gus.close();
  });

  it('given presigned uploads without a hash, when read, then the hash is recorded and the same file again FAILS as a DuplicateReceipt naming the first, with no expense', async () => {
    const gus = await givenUser();
    const inline = await whenUploadedInline(gus, image);
    await deliver(inline.event);
    const again = await whenUploadedPresigned(gus, image);
    await deliver(again.event);
    expect(await gus.receipt(again.id)).toMatchObject({
      status: 'FAILED',
      error: `DuplicateReceipt: This file was already uploaded as receipt ${inline.id}`,
      possibleDuplicateOf: inline.id,
      expenseId: null,
    });

    const unique = Buffer.concat([image, Buffer.from('only once')]);
    const first = await whenUploadedPresigned(gus, unique);
    await deliver(first.event);
    expect(await gus.receipt(first.id)).toMatchObject({
      status: 'PROCESSED',
      sha256: createHash('sha256').update(unique).digest('hex'),
    });
    const second = await whenUploadedPresigned(gus, unique);
    await deliver(second.event);
    expect(await gus.receipt(second.id)).toMatchObject({
      status: 'FAILED',
      error: `DuplicateReceipt: This file was already uploaded as receipt ${first.id}`,
    });
    expect((await gus.expenses()).map((e) => e.id).sort()).toEqual([inline.id, first.id].sort());
    gus.close();
  });

  it('given what arrived in S3 differs from what was declared, when read, then FAILED with the reason and no expense', async () => {
    const hal = await givenUser();
    const asPng = await whenUploadedPresigned(hal, Buffer.concat([image, Buffer.from('1')]), {
      contentType: 'image/png',
    });
    await deliver(asPng.event);
    expect(await hal.receipt(asPng.id)).toMatchObject({
      status: 'FAILED',
      error: 'ValidationError: The file is image/jpeg but was declared as image/png',
    });

    // Bytes written over the presigned upload's object (outside the URL's checks).
    const resized = await whenUploadedPresigned(hal, Buffer.concat([image, Buffer.from('2')]));
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.config.receiptsBucket,
        Key: resized.key,
        Body: Buffer.concat([image, Buffer.from('22')]),
      }),
    );
    await deliver(resized.event);
    expect(await hal.receipt(resized.id)).toMatchObject({
      status: 'FAILED',
      error: `ValidationError: The file is ${image.length + 2} bytes but ${image.length + 1} were declared`,
    });

    const large = await whenUploadedPresigned(hal, Buffer.concat([image, Buffer.from('3')]));
    expect(await processReceipt({ ...realDeps(), maxBytes: 100_000 }, hal.sub, large.id, 'small limit')).toMatchObject({
      status: 'FAILED',
      error: `LimitExceeded: The file is ${image.length + 1} bytes; the limit is 100000 bytes`,
    });
    expect(await hal.expenses()).toEqual([]);
    hal.close();
  });

  it('given a profile timezone the runtime does not know, when the profile is read, then UTC is used and the zone logged', async () => {
    await db.send(
      new PutCommand({
        TableName: 'Users',
        Item: { user_id: 'zone-user', email: 'z@example.com', timezone: 'Mars/Olympus_Mons', dateOrder: 'MDY' },
      }),
    );
    const warnings: Array<Record<string, unknown> | undefined> = [];
    const profiles = createProfileReader(db, 'Users', {
      info: () => {},
      warn: (_m, extra) => void warnings.push(extra),
      error: () => {},
    });
    expect(await profiles.get('zone-user')).toEqual({ timezone: 'UTC', dateOrder: 'MDY', homeCurrency: 'USD' });
    expect(warnings).toEqual([{ timezone: 'Mars/Olympus_Mons' }]);
  });

  it('given events that are not receipts being created (S3 test event, a removal, unknown shapes), when delivered, then they are ignored and no sweep runs', async () => {
    const owner = `ignored-${ulid()}`;
    const id = ulid();
    const old = new Date(Date.now() - 60_000).toISOString();
    await db.send(
      new PutCommand({
        TableName: 'Receipts',
        Item: {
          user_id: owner,
          receipt_id: id,
          status: 'UPLOADED',
          status_key: statusKeyOf('UPLOADED', id),
          inflight: 'Y',
          s3Key: `receipts/${owner}/${id}.jpg`,
          contentType: 'image/jpeg',
          size: 1,
          createdAt: old,
          updatedAt: old,
        },
      }),
    );
    const testEvent = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: old,
      Bucket: stack.config.receiptsBucket,
      RequestId: 'R',
      HostId: 'H',
    };
    const removal = {
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectRemoved:Delete',
          s3: { object: { key: `receipts/${owner}/${id}.jpg` } },
        },
      ],
    };
    for (const event of [testEvent, removal, { hello: 'world' }, { action: 'process' }])
      expect(await deliver(event)).toEqual({ processed: 0 });
    expect((await item(owner, id)).status).toBe('UPLOADED');
    const left = await db.send(
      new QueryCommand({
        TableName: 'Receipts',
        KeyConditionExpression: 'user_id = :o',
        ExpressionAttributeValues: { ':o': owner },
      }),
    );
    expect(left.Items).toHaveLength(1);
  });
});
