import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from '../../local/config.ts';
import { endpointsFromOutputs, givenSignedInUser, signIn } from '../e2e/steps.ts';

/**
 * The local stack in a child process, as `npm start` runs it: what was written to its
 * Cognito, DynamoDB, S3 and SES stand-ins survives a kill -9 and a restart on the same
 * DATA_DIR, and SIGTERM shuts it down cleanly. (No resolvers run: the child starts the stack
 * with an inert runner, so only persistence is under test.)
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const credentials = { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY };
const region = 'us-east-1';
let dataDir: string;
let child: ChildProcess | undefined;

// The child: startLocalStack with inert resolvers and Cognito, printing its URLs, stopping on SIGTERM.
const CHILD = `
import { startLocalStack } from './local/stack.ts';
import { createCognito } from './local/wiring.ts';
const stack = await startLocalStack({
  port: 0, dataDir: process.env.DATA_DIR, quiet: true, env: {}, functions: [], createCognito,
  createResolvers: async () => ({ hasResolver: () => false, run: async () => ({ data: null, errors: [] }) }),
});
process.on('SIGTERM', async () => { await stack.stop(); process.exit(0); });
console.log(JSON.stringify(stack.urls));
`;

async function startStack(): Promise<{ urls: { dynamodb: string; s3: string; console: string; outbox: string; amplifyOutputs: string }; process: ChildProcess }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  const urls = await new Promise<any>((resolve, reject) => {
    proc.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.on('exit', (code) => reject(new Error(`stack exited with ${code}:\n${output}`)));
  });
  return { urls, process: proc };
}

const exited = (proc: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.exitCode !== null || proc.signalCode !== null ? resolve({ code: proc.exitCode, signal: proc.signalCode }) : proc.once('exit', (code, signal) => resolve({ code, signal })),
  );

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited(child);
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('persistence across restarts', () => {
  it('given data written to every stand-in, when the process is killed with -9 and restarted, then it is all still there', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'persistence-'));
    const first = await startStack();
    await givenSignedInUser(await endpointsFromOutputs(first.urls.amplifyOutputs), 'persist@example.com');
    const item = { user_id: { S: 'user-1' }, expense_id: { S: '01JDURABLE' }, merchant: { S: 'Durable Goods' }, amount: { N: '4200' } };
    await new DynamoDBClient({ region, credentials, endpoint: first.urls.dynamodb }).send(new PutItemCommand({ TableName: 'Expenses', Item: item }));
    await new S3Client({ region, credentials, endpoint: first.urls.s3, forcePathStyle: true }).send(
      new PutObjectCommand({ Bucket: 'expense-tracker-receipts', Key: 'notes/kept.txt', Body: 'still here' }),
    );
    await new SESv2Client({ region, credentials, endpoint: first.urls.console.replace(/\/$/, '') }).send(
      new SendEmailCommand({ FromEmailAddress: 'a@x.test', Destination: { ToAddresses: ['persist@x.test'] }, Content: { Simple: { Subject: { Data: 'Kept' }, Body: { Text: { Data: 'kept' } } } } }),
    );

    first.process.kill('SIGKILL');
    expect(await exited(first.process)).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await startStack();
    const again = await signIn(await endpointsFromOutputs(second.urls.amplifyOutputs), 'persist@example.com');
    expect(again.accessToken).toMatch(/^ey/);
    const read = await new DynamoDBClient({ region, credentials, endpoint: second.urls.dynamodb }).send(
      new GetItemCommand({ TableName: 'Expenses', Key: { user_id: item.user_id, expense_id: item.expense_id } }),
    );
    expect(read.Item).toEqual(item);
    const object = await new S3Client({ region, credentials, endpoint: second.urls.s3, forcePathStyle: true }).send(
      new GetObjectCommand({ Bucket: 'expense-tracker-receipts', Key: 'notes/kept.txt' }),
    );
    expect(await object.Body!.transformToString()).toBe('still here');
    const outbox = (await (await fetch(`${second.urls.outbox}.json`)).json()) as Array<{ to: string[]; subject: string }>;
    expect(outbox.map((m) => m.to[0])).toEqual(['persist@example.com', 'persist@x.test']);

    second.process.kill('SIGTERM');
    expect(await exited(second.process)).toEqual({ code: 0, signal: null });
  }, 60_000);
});
