/**
 * `npm run bench:api`: the local AppSync runtime against the floor, side by side in one run.
 *
 * 1. `listExpenses(limit: 20)` through the whole local runtime (HTTP, JWT verification,
 *    graphql-js, the bundled resolver in the vm, the DynamoDB data source) versus the same
 *    DynamoDB Query issued directly with the SDK, at 1,000 and at 20,000 expenses: p50/p99
 *    latency and throughput, and their ratio (it must stay flat: one page costs one Query).
 * 2. Event delivery: 500 and 5,000 concurrent subscribers over wss://, an IAM-signed publish,
 *    latency from publish to each subscriber's `data` message (p50/p99). The subscribers run on
 *    a worker thread, as real ones run outside the server's process.
 * 3. `npm start` until it prints its URLs, in a fresh DATA_DIR (first start) and again on it
 *    (warm: certificate, tables and caches made), run before the stack of 1. and 2. starts.
 */
import '../local/sdk-warnings.ts';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { decodeJwt } from 'jose';
import { ulid } from 'ulid';
import { publishBudgetAlert } from '../functions/shared/publish.ts';
import { categoryDateOf } from '../model/expenses.ts';
import { keepAliveClient, percentile } from './keep-alive-http.ts';
import { startLocalStack } from '../local/stack.ts';
import { createCognito, createExtraRoutes, createResolvers } from '../local/wiring.ts';
import { givenSignedInUser, graphql } from '../test/e2e/steps.ts';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SUBSCRIBER_COUNTS = (process.env.BENCH_SUBSCRIBERS ?? '500,5000').split(',').map(Number);
const PUBLISHES = Number(process.env.BENCH_PUBLISHES ?? 20);

// The SDK reaches DynamoDB through node:http with keep-alive; the API is called the same way, for a fair floor.
const { post } = keepAliveClient();

/**
 * The two paths measured side by side: sequential calls alternate between them (ABAB…, then
 * BABA…), so a slow moment of this shared machine lands on both; throughput alternates rounds
 * of CONCURRENCY calls in flight the same way.
 */
async function measurePair(runtime: () => Promise<unknown>, direct: () => Promise<unknown>) {
  const paths = [runtime, direct];
  for (let i = 0; i < 30; i++) for (const run of paths) await run();
  const latencies: number[][] = [[], []];
  for (let i = 0; i < SAMPLES; i++) {
    const order = i % 2 ? [1, 0] : [0, 1];
    for (const which of order) {
      const start = performance.now();
      await paths[which]();
      latencies[which].push(performance.now() - start);
    }
  }
  const elapsed = [0, 0];
  const ROUNDS = 8;
  for (let round = 0; round < ROUNDS; round++) {
    for (const which of round % 2 ? [1, 0] : [0, 1]) {
      let done = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (done < SAMPLES / ROUNDS) {
            done++;
            await paths[which]();
          }
        }),
      );
      elapsed[which] += performance.now() - started;
    }
  }
  const stats = (which: number) => ({
    p50: percentile(latencies[which], 50),
    p99: percentile(latencies[which], 99),
    rps: SAMPLES / (elapsed[which] / 1000),
  });
  return { runtime: stats(0), direct: stats(1) };
}

/** `npm start` from launch until it prints that it is running (its URLs); stopped with SIGTERM after. */
async function timeNpmStart(dir: string): Promise<{ ms: number; said: string }> {
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, DATA_DIR: dir, PORT: '0', SMTP_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    return await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const said = /is running \(ready ([\d.]+) s/.exec(output);
        if (said) resolve({ ms: performance.now() - started, said: said[1] });
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const startDir = await mkdtemp(path.join(tmpdir(), 'bench-api-start-'));
const startLoad = loadavg()[0];
const starts: Array<{ ms: number; said: string }> = [];
try {
  for (let i = 0; i < 2; i++) starts.push(await timeNpmStart(startDir));
} finally {
  await rm(startDir, { recursive: true, force: true });
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-api-'));
const stack = await startLocalStack({
  port: 0,
  dataDir,
  quiet: true,
  env: {},
  createResolvers,
  createCognito,
  extraRoutes: createExtraRoutes,
});
try {
  const user = await givenSignedInUser(stack, 'bench@example.com');
  const sub = decodeJwt(user.accessToken).sub!;
  const dynamodb = new DynamoDBClient({
    region: stack.config.region,
    endpoint: stack.urls.dynamodb,
    credentials: stack.config.credentials,
  });

  // One expense through the API gives the exact item shape the resolvers write; the rest are clones.
  const created = await graphql(
    stack.urls.graphql,
    'mutation { createExpense(input: {merchant: "Seed", amount: 100, currency: "EUR", date: "2026-01-01", category: OTHER}) { id } }',
    {},
    user.accessToken,
  );
  if (created.body.errors) throw new Error(JSON.stringify(created.body.errors));
  const template = (await dynamodb.send(new ScanCommand({ TableName: 'Expenses', Limit: 1 }))).Items![0];
  let count = 1;
  async function seedUpTo(total: number) {
    while (count < total) {
      const batch = Array.from({ length: Math.min(25, total - count) }, (_, i) => {
        const day = new Date(Date.UTC(2020, 0, 1) + ((count + i) % 2000) * 86400_000).toISOString().slice(0, 10);
        const item: Record<string, AttributeValue> = { ...template, expense_id: { S: ulid() }, date: { S: day } };
        if (template.category_date) item.category_date = { S: categoryDateOf('OTHER', day) };
        return { PutRequest: { Item: item } };
      });
      await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { Expenses: batch } }));
      count += batch.length;
    }
  }

  const listBody = JSON.stringify({
    query: 'query { listExpenses(limit: 20) { items { id merchant amount currency date category } nextToken } }',
  });
  const rows: string[] = [];
  for (const size of [1000, 20000]) {
    await seedUpTo(size);
    // The floor is the very request the listExpenses resolver makes (its `query()` helper's
    // expression, names and values, the same index, order and page), sent by an SDK client over
    // HTTP, as an application would. (The runtime's data source calls the embedded dynalite in-process.)
    const { runtime, direct } = await measurePair(
      async () => {
        const answer = JSON.parse((await post(stack.urls.graphql, listBody, user.accessToken)).text);
        if (answer.errors || answer.data.listExpenses.items.length !== 20) throw new Error(JSON.stringify(answer));
      },
      async () => {
        const out = await dynamodb.send(
          new QueryCommand({
            TableName: 'Expenses',
            IndexName: 'user-date-index',
            KeyConditionExpression: '#user_id = :user_id_eq',
            ExpressionAttributeNames: { '#user_id': 'user_id' },
            ExpressionAttributeValues: { ':user_id_eq': { S: sub } },
            ScanIndexForward: false,
            ConsistentRead: false,
            Limit: 20,
          }),
        );
        if (out.Items?.length !== 20) throw new Error('short page');
      },
    );
    rows.push(
      `${String(size).padStart(6)} expenses | runtime p50 ${runtime.p50.toFixed(2)} ms p99 ${runtime.p99.toFixed(2)} ms ${runtime.rps.toFixed(0)} req/s | direct p50 ${direct.p50.toFixed(2)} ms p99 ${direct.p99.toFixed(2)} ms ${direct.rps.toFixed(0)} req/s | overhead p50 ${(runtime.p50 / direct.p50).toFixed(2)}x p99 ${(runtime.p99 / direct.p99).toFixed(2)}x throughput ${(direct.rps / runtime.rps).toFixed(2)}x`,
    );
  }

  // Event delivery: N sockets of the same user on a thread of their own (bench/api-subscribers.worker.mjs),
  // one IAM-signed publish at a time, timed from the publish call to each socket's data frame.
  const ca = readFileSync(stack.certificateFile, 'utf8');
  const host = new URL(stack.urls.graphql).host;
  const header = Buffer.from(JSON.stringify({ Authorization: user.accessToken, host })).toString('base64url');
  const deliveryRows: string[] = [];
  for (const subscribers of SUBSCRIBER_COUNTS) {
    const worker = new Worker(new URL('./api-subscribers.worker.mjs', import.meta.url), {
      workerData: { url: stack.urls.realtime, ca, header, token: user.accessToken, host, count: subscribers },
    });
    const failed = new Promise<never>((_, reject) => worker.once('error', reject));
    failed.catch(() => {});
    const reply = <T>(type: string) =>
      Promise.race([
        new Promise<T>((resolve) => {
          const listener = (message: { type: string } & T) => {
            if (message.type !== type) return;
            worker.off('message', listener);
            resolve(message);
          };
          worker.on('message', listener);
        }),
        failed,
      ]);
    const ask = <T>(type: string, command: Record<string, unknown> = {}) => {
      const answer = reply<T>(type);
      worker.postMessage({ type: command.type ?? type, ...command });
      return answer;
    };
    await reply('ready');
    const delivery: number[] = [];
    try {
      for (let i = 0; i < PUBLISHES; i++) {
        await ask('reset');
        const publishedAt = performance.timeOrigin + performance.now();
        await publishBudgetAlert({
          id: `b:2026-11-01:${i}`,
          owner: sub,
          budgetId: 'b',
          budgetName: 'Bench',
          category: null,
          period: 'MONTHLY',
          periodStart: '2026-11-01',
          periodEnd: '2026-11-30',
          threshold: 80,
          spent: i,
          limit: 100,
          currency: 'EUR',
          firedAt: new Date().toISOString(),
        });
        const { arrivals } = await ask<{ arrivals: number[] }>('arrivals', { type: 'collect', timeoutMs: 5000 });
        if (arrivals.length < subscribers)
          throw new Error(`only ${arrivals.length}/${subscribers} subscribers received publish ${i}`);
        delivery.push(...arrivals.map((at) => at - publishedAt));
      }
      await ask('closed', { type: 'close' });
    } finally {
      await worker.terminate();
    }

    deliveryRows.push(
      `${String(subscribers).padStart(6)} subscribers x ${PUBLISHES} IAM-signed publishes: p50 ${percentile(delivery, 50).toFixed(1)} ms  p99 ${percentile(delivery, 99).toFixed(1)} ms  max ${Math.max(...delivery).toFixed(1)} ms  (${delivery.length} deliveries, load average ${loadavg()[0].toFixed(1)})`,
    );
  }

  console.log(
    `\nlistExpenses(limit: 20): local runtime vs the same DynamoDB Query sent directly (dynalite), ${SAMPLES} sequential samples each (interleaved), throughput at ${CONCURRENCY} in flight, load average ${loadavg()[0].toFixed(1)}`,
  );
  for (const row of rows) console.log(row);
  console.log('\nEvent delivery (publish call start -> data frame received; subscribers on a worker thread):');
  for (const row of deliveryRows) console.log(row);
  console.log(
    `\nnpm start until it prints its URLs (load average ${startLoad.toFixed(1)} when measured): first start ${(starts[0].ms / 1000).toFixed(1)} s, warm start ${(starts[1].ms / 1000).toFixed(1)} s (it says ready ${starts[1].said} s after launch)`,
  );
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
