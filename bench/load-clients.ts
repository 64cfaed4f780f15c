/**
 * What `npm run load` and `npm run soak` share: `npm start`'s stack in a child process (the real
 * wiring, PaddleOCR included, on a fresh DATA_DIR and a free port, reporting its memory and open
 * connections every few seconds), signed-up users, and clients that each keep a real-time
 * connection with two subscriptions open and call the API in a realistic mix (lists, reads,
 * writes, budgets with their Lambda-resolved status, reports, exports, presigned and inline
 * receipt uploads that go through OCR), every answer checked and timed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { PROJECT_ROOT } from '../local/stack.ts';
import { drawReceiptJpeg, GALLERY_RECEIPT } from '../test/support/drawn-receipts.ts';
import { givenSignedInUser, type SignedInUser, type StackEndpoints } from '../test/e2e/steps.ts';
import { keepAliveClient, percentile } from './keep-alive-http.ts';

export interface Sample {
  at: number;
  rss: number;
  heapUsed: number;
  subscribers: number;
  connections: number;
}

export interface StackProcess {
  endpoints: StackEndpoints;
  realtime: string;
  certificateFile: string;
  samples: Sample[];
  stop(): Promise<void>;
}

const CHILD = `
import { startLocalStack } from './local/stack.ts';
import { createCognito, createExtraRoutes, createResolvers } from './local/wiring.ts';
const stack = await startLocalStack({ port: 0, dataDir: process.env.DATA_DIR, quiet: true, env: {}, createResolvers, createCognito, extraRoutes: createExtraRoutes });
const sample = () => {
  const m = process.memoryUsage();
  console.log('SAMPLE ' + JSON.stringify({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed, subscribers: stack.realtime.subscriberCount(), connections: stack.openConnections() }));
};
setInterval(sample, Number(process.env.SAMPLE_EVERY_MS)).unref();
process.on('SIGTERM', async () => { await stack.stop(); process.exit(0); });
console.log('READY ' + JSON.stringify({ urls: stack.urls, clientId: stack.cognito.userPoolClientId, region: stack.config.region, certificateFile: stack.certificateFile }));
`;

export async function startStackProcess(sampleEveryMs = 5000): Promise<StackProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'load-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      SAMPLE_EVERY_MS: String(sampleEveryMs),
      NODE_NO_WARNINGS: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const samples: Sample[] = [];
  let output = '';
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-20_000)));
  const ready = await new Promise<{
    urls: Record<string, string>;
    clientId: string;
    region: string;
    certificateFile: string;
  }>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n');
      output = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('READY ')) resolve(JSON.parse(line.slice('READY '.length)));
        if (line.startsWith('SAMPLE ')) samples.push(JSON.parse(line.slice('SAMPLE '.length)) as Sample);
      }
    });
    child.on('exit', (code) => reject(new Error(`the stack exited with ${code}:\n${errors}`)));
  });
  return {
    endpoints: {
      graphql: ready.urls.graphql,
      cognito: ready.urls.cognito,
      outbox: ready.urls.outbox,
      region: ready.region,
      clientId: ready.clientId,
    },
    realtime: ready.urls.realtime,
    certificateFile: ready.certificateFile,
    samples,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Many users at once, a few sign-ups at a time (each costs a password hash). */
export async function givenUsers(stack: StackProcess, count: number, prefix: string): Promise<SignedInUser[]> {
  const users: SignedInUser[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      givenSignedInUser(stack.endpoints, `${prefix}-${i + j}@example.com`),
    );
    users.push(...(await Promise.all(batch)));
  }
  return users;
}

export interface Stats {
  latencies: Map<string, number[]>;
  errors: Array<{ operation: string; detail: string }>;
  subscriptionEvents: number;
}

const { agent, post } = keepAliveClient({ maxSockets: 1000 });

/** A client: one user with a real-time connection (two subscriptions) and the state its calls need. */
interface Client {
  user: SignedInUser;
  socket: WebSocket;
  expenses: Array<{ id: string; version: number }>;
  uploads: number;
}

const OPERATIONS: Array<[name: string, weight: number]> = [
  ['listExpenses', 30],
  ['createExpense', 15],
  ['updateExpense', 10],
  ['expense', 6],
  ['listBudgets', 10],
  ['report', 6],
  ['me', 6],
  ['listReceipts', 6],
  ['deleteExpense', 4],
  ['createBudget', 2],
  ['exportExpenses', 2],
  ['presignedUpload', 0.5],
  ['inlineUpload', 0.5],
];
const TOTAL_WEIGHT = OPERATIONS.reduce((sum, [, w]) => sum + w, 0);
const CATEGORIES = ['DINING', 'GROCERIES', 'TRANSPORT', 'SHOPPING', 'ENTERTAINMENT'];

function pick(): string {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const [name, weight] of OPERATIONS) if ((r -= weight) < 0) return name;
  return OPERATIONS[0][0];
}

async function connect(stack: StackProcess, user: SignedInUser, stats: Stats, ca: Buffer): Promise<WebSocket> {
  const host = new URL(stack.endpoints.graphql).host;
  const header = Buffer.from(JSON.stringify({ Authorization: user.accessToken, host })).toString('base64url');
  const socket = new WebSocket(stack.realtime, ['graphql-ws', `header-${header}`], { ca });
  await new Promise<void>((resolve, reject) => {
    let acks = 0;
    socket.on('error', reject);
    socket.on('open', () => {
      for (const [id, field] of [
        ['alerts', 'onBudgetAlert { id threshold }'],
        ['receipts', 'onReceiptProcessed { id status }'],
      ])
        socket.send(
          JSON.stringify({
            id,
            type: 'start',
            payload: {
              data: JSON.stringify({ query: `subscription { ${field} }`, variables: {} }),
              extensions: { authorization: { Authorization: user.accessToken, host } },
            },
          }),
        );
    });
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { type: string; payload?: unknown };
      if (message.type === 'start_ack' && ++acks === 2) resolve();
      if (message.type === 'data') stats.subscriptionEvents += 1;
      if (message.type === 'error' || message.type === 'connection_error')
        stats.errors.push({ operation: 'subscription', detail: JSON.stringify(message.payload).slice(0, 300) });
    });
  });
  socket.on('close', (code) => {
    if (code !== 1000 && code !== 1005) stats.errors.push({ operation: 'subscription', detail: `closed ${code}` });
  });
  return socket;
}

let receiptImage: Buffer | undefined;
/** A receipt JPEG made unique by bytes after its end marker (decoders stop at it): no duplicate refusals. */
async function uniqueReceipt(tag: string): Promise<Buffer> {
  receiptImage ??= await drawReceiptJpeg(GALLERY_RECEIPT, { scale: 1 });
  return Buffer.concat([receiptImage, Buffer.from(`\n${tag}`)]);
}

async function runOperation(stack: StackProcess, client: Client, picked: string, stats: Stats): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const own = client.expenses.length ? client.expenses[Math.floor(Math.random() * client.expenses.length)] : null;
  // An operation on one of the client's expenses, before it has any, creates one instead.
  const operation = ['updateExpense', 'deleteExpense', 'expense'].includes(picked) && !own ? 'createExpense' : picked;
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const started = performance.now();
    const answer = await post(stack.endpoints.graphql, JSON.stringify({ query, variables }), client.user.accessToken);
    const elapsed = performance.now() - started;
    const body = JSON.parse(answer.text) as { data?: Record<string, any>; errors?: unknown[] };
    if (answer.status !== 200 || body.errors) {
      stats.errors.push({ operation, detail: `${answer.status} ${answer.text.slice(0, 300)}` });
      return null;
    }
    const list = stats.latencies.get(operation) ?? [];
    list.push(elapsed);
    stats.latencies.set(operation, list);
    return body.data!;
  };
  switch (operation) {
    case 'listExpenses':
      await gql('{ listExpenses(limit: 20) { items { id merchant amount currency date category } nextToken } }');
      return;
    case 'createExpense': {
      const data = await gql(
        'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id version category } }',
        {
          input: {
            merchant: `Shop ${Math.floor(Math.random() * 50)}`,
            amount: 100 + Math.floor(Math.random() * 5000),
            date: today,
            category: CATEGORIES[Math.floor(Math.random() * CATEGORIES.length)],
          },
        },
      );
      if (data) client.expenses.push({ id: data.createExpense.id, version: data.createExpense.version });
      return;
    }
    case 'updateExpense': {
      const data = await gql('mutation ($input: UpdateExpenseInput!) { updateExpense(input: $input) { id version } }', {
        input: { id: own!.id, expectedVersion: own!.version, note: `note ${Date.now()}` },
      });
      if (data) own!.version = data.updateExpense.version;
      return;
    }
    case 'expense':
      await gql('query ($id: ID!) { expense(id: $id) { id merchant amount receipt { id } } }', { id: own!.id });
      return;
    case 'deleteExpense': {
      client.expenses.splice(client.expenses.indexOf(own!), 1);
      await gql('mutation ($id: ID!) { deleteExpense(id: $id) { id } }', { id: own!.id });
      return;
    }
    case 'listBudgets':
      await gql('{ listBudgets { items { id name status { spent limit percentUsed state } } } }');
      return;
    case 'createBudget': {
      // Each category and period is one budget per user: a second create of the same is Conflict, so pick a fresh one.
      const category = CATEGORIES[client.uploads++ % CATEGORIES.length];
      const data = await post(
        stack.endpoints.graphql,
        JSON.stringify({
          query: `mutation { createBudget(input: { category: ${category}, period: WEEKLY, amount: 50000 }) { id } }`,
        }),
        client.user.accessToken,
      );
      const body = JSON.parse(data.text) as { errors?: Array<{ errorType?: string }> };
      if (data.status !== 200 || body.errors?.some((e) => e.errorType !== 'Conflict'))
        stats.errors.push({ operation, detail: data.text.slice(0, 300) });
      return;
    }
    case 'report':
      await gql(
        'query ($date: AWSDate!) { report(period: MONTHLY, date: $date) { periodStart summary { currencies { currency total count } } } }',
        { date: today },
      );
      return;
    case 'me':
      await gql('{ me { id email homeCurrency } }');
      return;
    case 'listReceipts':
      await gql('{ listReceipts(limit: 20) { items { id status } } }');
      return;
    case 'exportExpenses':
      await gql('mutation ($from: AWSDate!, $to: AWSDate!) { exportExpenses(from: $from, to: $to) { id status } }', {
        from: `${today.slice(0, 4)}-01-01`,
        to: today,
      });
      return;
    case 'inlineUpload': {
      const image = await uniqueReceipt(`${client.user.email}-${client.uploads++}`);
      await gql('mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id status } }', {
        input: { image: image.toString('base64') },
      });
      return;
    }
    case 'presignedUpload': {
      const image = await uniqueReceipt(`${client.user.email}-${client.uploads++}`);
      const data = await gql(
        'mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { uploadUrl uploadHeaders } }',
        { input: { contentType: 'image/jpeg', size: image.length } },
      );
      if (!data) return;
      const started = performance.now();
      const put = await fetch(data.createReceiptUpload.uploadUrl, {
        method: 'PUT',
        headers: JSON.parse(data.createReceiptUpload.uploadHeaders),
        body: image,
      });
      if (put.status !== 200) stats.errors.push({ operation: 's3 PUT', detail: `${put.status} ${await put.text()}` });
      else {
        const list = stats.latencies.get('s3 PUT') ?? [];
        list.push(performance.now() - started);
        stats.latencies.set('s3 PUT', list);
      }
      return;
    }
  }
}

/**
 * `users` clients for `durationMs`, each calling the API in a loop with a think time of
 * `thinkMs` (± half) between calls, its subscriptions open throughout; resolves with what
 * they saw once every client closed its connection.
 */
export async function runClients(
  stack: StackProcess,
  users: SignedInUser[],
  options: { durationMs: number; thinkMs: number },
): Promise<Stats> {
  const stats: Stats = { latencies: new Map(), errors: [], subscriptionEvents: 0 };
  const ca = await readFile(stack.certificateFile);
  const clients: Client[] = [];
  for (let i = 0; i < users.length; i += 50)
    clients.push(
      ...(await Promise.all(
        users.slice(i, i + 50).map(async (user) => ({
          user,
          socket: await connect(stack, user, stats, ca),
          expenses: [],
          uploads: 0,
        })),
      )),
    );
  const until = Date.now() + options.durationMs;
  await Promise.all(
    clients.map(async (client) => {
      while (Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, options.thinkMs * (0.5 + Math.random())));
        const operation = pick();
        try {
          await runOperation(stack, client, operation, stats);
        } catch (error) {
          stats.errors.push({ operation, detail: String(error) });
        }
      }
    }),
  );
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          client.socket.once('close', () => resolve());
          client.socket.close(1000);
        }),
    ),
  );
  agent.destroy();
  return stats;
}

/** One line per operation: count, p50, p99 (ms); and the total. */
export function printLatencies(stats: Stats): void {
  const all = [...stats.latencies.values()].flat();
  console.log(`  ${'operation'.padEnd(18)} ${'count'.padStart(7)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}`);
  for (const [operation, values] of [...stats.latencies].sort((a, b) => b[1].length - a[1].length))
    console.log(
      `  ${operation.padEnd(18)} ${String(values.length).padStart(7)} ${percentile(values, 50).toFixed(1).padStart(9)} ${percentile(values, 99).toFixed(1).padStart(9)}`,
    );
  console.log(
    `  ${'all'.padEnd(18)} ${String(all.length).padStart(7)} ${percentile(all, 50).toFixed(1).padStart(9)} ${percentile(all, 99).toFixed(1).padStart(9)}`,
  );
}
