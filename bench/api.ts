/**
 * `npm run bench:api`: the local AppSync runtime against the floor, side by side in one run.
 *
 * 1. `listExpenses(limit: 20)` through the whole local runtime (HTTP, JWT verification,
 *    graphql-js, the bundled resolver in the vm, the DynamoDB data source) versus the same
 *    DynamoDB Query issued directly with the SDK, at 1,000 and at 20,000 expenses: p50/p99
 *    latency and throughput, and their ratio (it must stay flat: one page costs one Query).
 * 2. Event delivery: 500 and 5,000 concurrent subscribers over wss://, an IAM-signed publish,
 *    latency from publish to each subscriber's `data` message (p50/p99). The subscribers run on
 *    a worker thread, as real ones run outside the server's process (BENCH_SUBSCRIBERS_PER_THREAD
 *    spreads them over several). Printed with it, per publish: when the server's fan-out started
 *    and wrote its last frame, how long after that the last message was read, and the CPU time
 *    of the server's and the subscribers' threads.
 *    BENCH_PARTS (start,list,delivery) runs only some parts.
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
// Subscribers per worker thread; unset: all on one. On 2 cores, more threads of subscribers take
// CPU time from the server's thread, the fan-out's critical path (see README, bench:api).
const PER_THREAD = Number(process.env.BENCH_SUBSCRIBERS_PER_THREAD ?? 0);
// Which parts run: `start` (npm start timing), `list` (listExpenses vs Query), `delivery`.
const PARTS = new Set((process.env.BENCH_PARTS ?? 'start,list,delivery').split(','));

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

const now = () => performance.timeOrigin + performance.now();

/** This thread's CPU time (ms) from Linux's schedstat; NaN elsewhere. */
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/**
 * `count` subscribers over ceil(count / PER_THREAD) worker threads (one when unset), each opening its share of
 * sockets; `collect` gathers every thread's arrival times of the current publish and the CPU
 * time the threads spent since `reset`.
 */
async function startSubscriberThreads(count: number, connect: Record<string, string>) {
  const perThread = PER_THREAD > 0 ? PER_THREAD : count;
  const shares = Array.from({ length: Math.ceil(count / perThread) }, (_, t) =>
    Math.min(perThread, count - t * perThread),
  );
  const workers = shares.map(
    (share, t) =>
      new Worker(new URL('./api-subscribers.worker.mjs', import.meta.url), {
        workerData: { ...connect, count: share, firstId: t * perThread },
      }),
  );
  const failed = Promise.race(workers.map((worker) => new Promise<never>((_, reject) => worker.once('error', reject))));
  failed.catch(() => {});
  const reply = <T>(worker: Worker, type: string) =>
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
  const ask = <T>(type: string, command: Record<string, unknown> = {}) =>
    Promise.all(
      workers.map((worker) => {
        const answer = reply<T>(worker, type);
        worker.postMessage({ type: command.type ?? type, ...command });
        return answer;
      }),
    );
  // One thread at a time opens its sockets: thousands of TLS handshakes at once overflow the listen backlog.
  for (const worker of workers) {
    const ready = reply(worker, 'ready');
    worker.postMessage({ type: 'open' });
    await ready;
  }
  return {
    count: workers.length,
    reset: () => ask('reset'),
    async collect(timeoutMs: number) {
      const answers = await ask<{ arrivals: number[]; cpuMs: number }>('arrivals', { type: 'collect', timeoutMs });
      return {
        arrivals: answers.flatMap((answer) => answer.arrivals),
        cpuMs: answers.reduce((sum, answer) => sum + answer.cpuMs, 0),
      };
    },
    async close() {
      await ask('closed', { type: 'close' }).catch(() => {});
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

const startDir = await mkdtemp(path.join(tmpdir(), 'bench-api-start-'));
const startLoad = loadavg()[0];
const starts: Array<{ ms: number; said: string }> = [];
try {
  for (let i = 0; PARTS.has('start') && i < 2; i++) starts.push(await timeNpmStart(startDir));
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
  for (const size of PARTS.has('list') ? [1000, 20000] : []) {
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

  // Event delivery: N sockets of the same user, spread over worker threads of their own
  // (bench/api-subscribers.worker.mjs, all on one unless PER_THREAD is set), one IAM-signed publish at a time,
  // timed from the publish call to each socket's data message.
  const ca = readFileSync(stack.certificateFile, 'utf8');
  const host = new URL(stack.urls.graphql).host;
  const header = Buffer.from(JSON.stringify({ Authorization: user.accessToken, host })).toString('base64url');
  // Where the time goes: when the server's fan-out (synchronous: every matching socket's frame
  // is written before it returns) started and wrote its last frame.
  const fanouts: Array<{ start: number; end: number }> = [];
  const publish = stack.realtime.publish;
  stack.realtime.publish = (published) => {
    const start = now();
    publish(published);
    fanouts.push({ start, end: now() });
  };
  const deliveryRows: string[] = [];
  for (const subscribers of PARTS.has('delivery') ? SUBSCRIBER_COUNTS : []) {
    const threads = await startSubscriberThreads(subscribers, {
      url: stack.urls.realtime,
      ca,
      header,
      token: user.accessToken,
      host,
    });
    const delivery: number[] = [];
    const toFirstWrite: number[] = [];
    const toLastWrite: number[] = [];
    const afterLastWrite: number[] = [];
    let serverCpu = 0;
    let subscriberCpu = 0;
    try {
      for (let i = 0; i < PUBLISHES; i++) {
        await threads.reset();
        fanouts.length = 0;
        const cpuBefore = threadCpuMs();
        const publishedAt = now();
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
        const { arrivals, cpuMs } = await threads.collect(5000);
        serverCpu += threadCpuMs() - cpuBefore;
        subscriberCpu += cpuMs;
        if (arrivals.length < subscribers)
          throw new Error(`only ${arrivals.length}/${subscribers} subscribers received publish ${i}`);
        delivery.push(...arrivals.map((at) => at - publishedAt));
        const [fanout] = fanouts;
        toFirstWrite.push(fanout.start - publishedAt);
        toLastWrite.push(fanout.end - publishedAt);
        afterLastWrite.push(Math.max(...arrivals) - fanout.end);
      }
    } finally {
      await threads.close();
    }
    const median = (values: number[]) => percentile(values, 50).toFixed(1);
    deliveryRows.push(
      `${String(subscribers).padStart(6)} subscribers (${threads.count} thread${threads.count > 1 ? 's' : ''}) x ${PUBLISHES} IAM-signed publishes: p50 ${percentile(delivery, 50).toFixed(1)} ms  p99 ${percentile(delivery, 99).toFixed(1)} ms  max ${delivery.reduce((a, b) => Math.max(a, b), 0).toFixed(1)} ms  (${delivery.length} deliveries, load average ${loadavg()[0].toFixed(1)})`,
      `         median per publish: fan-out starts ${median(toFirstWrite)} ms after the call, last frame written at ${median(toLastWrite)} ms, last one read ${median(afterLastWrite)} ms after that; CPU per publish: server thread ${(serverCpu / PUBLISHES).toFixed(1)} ms, subscriber threads ${(subscriberCpu / PUBLISHES).toFixed(1)} ms`,
    );
  }

  if (rows.length)
    console.log(
      `\nlistExpenses(limit: 20): local runtime vs the same DynamoDB Query sent directly (dynalite), ${SAMPLES} sequential samples each (interleaved), throughput at ${CONCURRENCY} in flight, load average ${loadavg()[0].toFixed(1)}`,
    );
  for (const row of rows) console.log(row);
  if (deliveryRows.length)
    console.log(
      `\nEvent delivery (publish call start -> data message received and parsed; subscribers over wss://, ${PER_THREAD > 0 ? `up to ${PER_THREAD} per worker thread` : 'on one worker thread'} outside the server's event loop, each doing TLS, the WebSocket frame and JSON.parse):`,
    );
  for (const row of deliveryRows) console.log(row);
  if (starts.length)
    console.log(
      `\nnpm start until it prints its URLs (load average ${startLoad.toFixed(1)} when measured): first start ${(starts[0].ms / 1000).toFixed(1)} s, warm start ${(starts[1].ms / 1000).toFixed(1)} s (it says ready ${starts[1].said} s after launch)`,
    );
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
