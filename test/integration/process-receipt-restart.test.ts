import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, describe, expect, it } from 'vitest';
import { localIamCredentials } from '../../local/iam-credentials.ts';
import { PROJECT_ROOT } from '../../local/stack.ts';
import { statusKeyOf } from '../../model/receipts.ts';
import { eventually, stackDynamoDb } from '../e2e/steps.ts';
import { MEGA_MARKET_IMAGE } from '../support/saved-textract.ts';

/**
 * Recovery after kill -9, as `npm start` lives it: the whole stack in a child process (every
 * function, the resolvers; Textract answering a saved response, slowly in the first run so it
 * can be killed mid-OCR). One receipt is in OCR when the process dies, holding a lease with
 * most of its time left (2 minutes here, so the test holds on busy cores); another lost its
 * S3 event. After a quick restart on the same DATA_DIR, the start-up sweep must finish both
 * at once, long before that lease would run out (and the next sweep, 5 minutes later).
 */
const region = 'us-east-1';
let dataDir: string;
let child: ChildProcess | undefined;

const CHILD = `
import { startLocalStack } from './local/stack.ts';
import { createCognito, createResolvers } from './local/wiring.ts';
import { createSavedTextract } from './test/support/saved-textract.ts';
const textract = createSavedTextract();
textract.delayMs = Number(process.env.TEXTRACT_DELAY_MS);
const route = { ...textract.route, handle: (req, res) => { console.log('TEXTRACT called'); return textract.route.handle(req, res); } };
const stack = await startLocalStack({ port: 0, dataDir: process.env.DATA_DIR, quiet: true, env: {}, createResolvers, createCognito, extraRoutes: async () => [route] });
process.on('SIGTERM', async () => { await stack.stop(); process.exit(0); });
console.log('READY ' + JSON.stringify({ ...stack.urls, bucket: stack.config.receiptsBucket }));
`;

interface Child {
  process: ChildProcess;
  urls: { dynamodb: string; s3: string; bucket: string };
  readyAt: number;
  output: () => string;
}

async function startStack(textractDelayMs: number, leaseMs?: number): Promise<Child> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    TEXTRACT_DELAY_MS: String(textractDelayMs),
    NODE_NO_WARNINGS: '1',
  };
  if (leaseMs) env.PROCESSING_LEASE_MS = String(leaseMs);
  else delete env.PROCESSING_LEASE_MS; // the default lease, as npm start runs
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  const urls = await new Promise<Child['urls']>((resolve, reject) => {
    proc.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice('READY '.length)));
    });
    proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.on('exit', (code) => reject(new Error(`stack exited with ${code}:\n${output}`)));
  });
  return { process: proc, urls, readyAt: Date.now(), output: () => output };
}

const exited = (proc: ChildProcess) =>
  new Promise<void>((resolve) =>
    proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve()),
  );

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited(child);
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('receipts after kill -9', () => {
  it('given a receipt in OCR and one whose event was lost when the process is killed, when it restarts, then the start-up sweep finishes both at once, each with one expense', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ocr-restart-'));
    // The data dir's IAM pair, made here first: the stack started on it signs and checks with the same.
    const credentials = localIamCredentials(dataDir);
    const image = await readFile(MEGA_MARKET_IMAGE);
    const owner = 'restart-user';
    const first = await startStack(60_000, 120_000);
    const db = stackDynamoDb({ endpoint: first.urls.dynamodb, region, credentials });
    const s3 = new S3Client({
      region,
      credentials,
      endpoint: first.urls.s3,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const now = new Date().toISOString();
    const record = (id: string, size: number) => ({
      user_id: owner,
      receipt_id: id,
      status: 'UPLOADED',
      status_key: statusKeyOf('UPLOADED', id),
      inflight: 'Y',
      s3Key: `receipts/${owner}/${id}.jpg`,
      contentType: 'image/jpeg',
      size,
      createdAt: now,
      updatedAt: now,
    });
    const upload = (id: string, body: Buffer) =>
      s3.send(
        new PutObjectCommand({
          Bucket: first.urls.bucket,
          Key: `receipts/${owner}/${id}.jpg`,
          Body: body,
          ContentType: 'image/jpeg',
        }),
      );

    // In OCR: its event arrives, the run takes the lease and waits on Textract.
    const inOcr = ulid();
    await db.send(new PutCommand({ TableName: 'Receipts', Item: record(inOcr, image.length) }));
    await upload(inOcr, image);
    await eventually(() => first.output().includes('TEXTRACT called'), Boolean, 10_000);
    // Lost event: the object's event finds no record yet (so it is dropped); the record comes after.
    const lostEvent = ulid();
    const other = Buffer.concat([image, Buffer.from('another receipt')]);
    await upload(lostEvent, other);
    await eventually(() => first.output().includes(`"receiptId":"${lostEvent}"`), Boolean, 10_000);
    await db.send(new PutCommand({ TableName: 'Receipts', Item: record(lostEvent, other.length) }));

    const leased = (
      await db.send(
        new GetCommand({ TableName: 'Receipts', Key: { user_id: owner, receipt_id: inOcr }, ConsistentRead: true }),
      )
    ).Item!;
    expect(leased.status).toBe('PROCESSING');
    first.process.kill('SIGKILL');
    await exited(first.process);
    const killedAt = Date.now();
    expect(leased.leaseUntil).toBeGreaterThan(killedAt + 100_000); // the lease would hold for 100 s more

    const second = await startStack(0);
    const db2 = stackDynamoDb({ endpoint: second.urls.dynamodb, region, credentials });
    const status = async (id: string) =>
      (
        await db2.send(
          new GetCommand({ TableName: 'Receipts', Key: { user_id: owner, receipt_id: id }, ConsistentRead: true }),
        )
      ).Item;
    // Done: PROCESSED, and out of flight once budgets and the push are done too.
    const doneOf = async (id: string) =>
      ((r) => (r?.inflight ? `${r.status} (in flight)` : r?.status))(await status(id));
    const bothDone = async () => [await doneOf(inOcr), await doneOf(lostEvent)];
    expect(await eventually(bothDone, (s) => s.every((v) => v === 'PROCESSED'), 60_000)).toEqual([
      'PROCESSED',
      'PROCESSED',
    ]);
    console.log(
      `recovered ${Date.now() - second.readyAt} ms after the restart was ready (${Date.now() - killedAt} ms after kill -9)`,
    );
    const expenses = await db2.send(
      new QueryCommand({
        TableName: 'Expenses',
        KeyConditionExpression: 'user_id = :o',
        ExpressionAttributeValues: { ':o': owner },
        ConsistentRead: true,
      }),
    );
    expect(expenses.Items!.map((e) => e.expense_id).sort()).toEqual([inOcr, lostEvent].sort());
    // Read by the new process while the dead run's lease still had time left.
    const readAgain = expenses.Items!.find((e) => e.expense_id === inOcr)!;
    expect(Date.parse(readAgain.createdAt)).toBeLessThan(leased.leaseUntil);

    second.process.kill('SIGTERM');
    await exited(second.process);
  }, 150_000);
});
