import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointsFromOutputs, givenSignedInUser, graphql, signIn, type StackEndpoints } from '../e2e/steps.ts';

/**
 * `npm start` itself (npm running local/main.ts, every real module: resolvers, functions,
 * Cognito, DynamoDB, S3, SES) in a child process on a free port and a temp DATA_DIR: what a
 * user wrote through the API survives a kill -9 and a restart, is read back with the token
 * issued before the crash and with a new one, and SIGINT and SIGTERM sent to npm's own pid
 * (as `kill -TERM` would) shut it down cleanly (exit 0, port released within seconds, data
 * kept). No receipt bytes are uploaded, so OCR never runs.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dataDir: string;
const children = new Set<ChildProcess>();

interface Started {
  process: ChildProcess;
  output: () => string;
  endpoints: StackEndpoints;
}

/**
 * A port free now, kept for every restart: the token issuer is the Cognito endpoint, port
 * included, so tokens outlive a restart on the same PORT (as with `npm start`'s 4000).
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Given `npm start` on `port`, when it prints that it is ready: its endpoints, read from its amplify_outputs.json. */
async function npmStart(port: number): Promise<Started> {
  // The child gets this environment without what an in-process stack may have set (AWS_*, GRAPHQL_URL…).
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|GRAPHQL_URL$|RECEIPTS_BUCKET$|.*_TABLE$)/.test(name)),
  );
  // The npm running this test (npm test sets npm_execpath), else the one on the PATH. In a process
  // group of its own, so that a crash can take npm and the server down together (kill -9 below).
  const npm = process.env.npm_execpath?.endsWith('.js')
    ? { command: process.execPath, args: [process.env.npm_execpath, 'start'] }
    : { command: 'npm', args: ['start'] };
  const child = spawn(npm.command, npm.args, {
    cwd: root,
    env: { ...env, PORT: String(port), SMTP_PORT: '0', DATA_DIR: dataDir, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /GraphQL API\s+(http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve(url);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`npm start exited (${code ?? signal}) before it was ready:\n${output}`)),
    );
  });
  return {
    process: child,
    output: () => output,
    endpoints: await endpointsFromOutputs(new URL('/amplify_outputs.json', graphqlUrl).href),
  };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve({ code: child.exitCode, signal: child.signalCode })
      : child.once('exit', (code, signal) => resolve({ code, signal })),
  );

/** Everything the user wrote, as the API answers it. */
const READ_BACK = `query ($expense: ID!, $budget: ID!, $receipt: ID!) {
  me { id email timezone homeCurrency }
  expense(id: $expense) { id merchant amount currency date category version }
  budget(id: $budget) { id category period amount currency }
  receipt(id: $receipt) { id status contentType size }
  listExpenses(limit: 5) { items { id } }
}`;

async function read(endpoints: StackEndpoints, token: string, ids: Record<string, string>) {
  const answer = await graphql(endpoints.graphql, READ_BACK, ids, token);
  expect(answer.status).toBe(200);
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data;
}

/** kill -9 of npm and what it started: the whole process group, as a crash of the machine would. */
async function crash(child: ChildProcess) {
  process.kill(-child.pid!, 'SIGKILL');
  return exited(child);
}

/** A signal to npm's pid alone: the exit, and how long it took to come and to free the port. */
async function signal(child: ChildProcess, name: NodeJS.Signals, graphqlUrl: string) {
  const sent = Date.now();
  child.kill(name);
  const exit = await Promise.race([
    exited(child),
    new Promise<{ code: 'still running' }>((resolve) => setTimeout(() => resolve({ code: 'still running' }), 10_000)),
  ]);
  const exitedAfterMs = Date.now() - sent;
  const portClosed = await fetch(graphqlUrl).then(
    () => false,
    () => true,
  );
  return { ...exit, exitedWithin5s: exitedAfterMs < 5000, portClosed };
}

afterAll(async () => {
  for (const child of children) await crash(child).catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start: data survives kill -9 and restarts; signals shut it down cleanly', () => {
  it('given a user who signed up and wrote expenses, a budget, a profile and a receipt upload, when npm start is killed with -9 and restarted, then the API answers the same with the old token and a new one, a page token from before still works, and a second npm start on the same DATA_DIR is refused', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'persistence-'));
    const email = 'persist@example.com';

    // Given: sign-up through the local Cognito (the code from the outbox), the post-confirmation function's Users row, then writes through GraphQL.
    const port = await freePort();
    const first = await npmStart(port);
    const user = await givenSignedInUser(first.endpoints, email);
    const call = async (query: string, variables: Record<string, unknown> = {}) => {
      const answer = await graphql(first.endpoints.graphql, query, variables, user.accessToken);
      expect(answer.body.errors).toBeUndefined();
      return answer.body.data;
    };
    expect((await call('{ me { email } }')).me).toEqual({ email });
    await call('mutation { updateProfile(input: { timezone: "Europe/Paris", homeCurrency: "EUR" }) { id } }');
    const expense = (
      await call(
        'mutation { createExpense(input: { merchant: "Durable Goods", amount: 4200, date: "2026-11-20", category: GROCERIES }) { id } }',
      )
    ).createExpense.id;
    const budget = (
      await call('mutation { createBudget(input: { category: GROCERIES, period: MONTHLY, amount: 30000 }) { id } }')
    ).createBudget.id;
    const receipt = (
      await call(
        'mutation { createReceiptUpload(input: { contentType: "image/jpeg", size: 1234 }) { receipt { id } } }',
      )
    ).createReceiptUpload.receipt.id;
    const older = (
      await call(
        'mutation { createExpense(input: { merchant: "Older Goods", amount: 100, date: "2026-11-19", category: GROCERIES }) { id } }',
      )
    ).createExpense.id;
    const ids = { expense, budget, receipt };
    // What npm start printed meanwhile: one readable line per request (refused ones too) and per
    // function log entry, no JSON.
    expect((await graphql(first.endpoints.graphql, '{ me { id } }', {}, 'not-a-token')).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the line is written as the answer finishes
    const printed = first.output().split('\n');
    expect(printed).toContainEqual(
      expect.stringMatching(/^\d\d:\d\d:\d\d POST \/graphql - 401 \d+ms errors=UnauthorizedException$/),
    );
    expect(printed.filter((line) => line.startsWith('{'))).toEqual([]);
    expect(printed).toContainEqual(
      expect.stringMatching(
        /^\d\d:\d\d:\d\d POST \/graphql mutation createExpense 200 \d+ms AMAZON_COGNITO_USER_POOLS$/,
      ),
    );
    expect(printed).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d post-confirmation INFO \S/));
    // No AWS_* in its environment: the banner points at the pair made for DATA_DIR (not at "your" variables).
    expect(first.output()).toContain(`(SigV4; the secret is in ${path.join(dataDir, 'iam-credentials')})`);
    const before = await read(first.endpoints, user.accessToken, ids);
    // A client paging through a list when the server went down: its nextToken still works after the restart.
    const PAGE = 'query ($next: String) { listExpenses(limit: 1, nextToken: $next) { items { id } nextToken } }';
    const firstPage = (await call(PAGE)).listExpenses;
    expect(firstPage.items).toEqual([{ id: expense }]);
    expect(before).toMatchObject({
      me: { email, timezone: 'Europe/Paris', homeCurrency: 'EUR' },
      expense: {
        id: expense,
        merchant: 'Durable Goods',
        amount: 4200,
        currency: 'EUR',
        date: '2026-11-20',
        category: 'GROCERIES',
        version: 1,
      },
      budget: { id: budget, category: 'GROCERIES', period: 'MONTHLY', amount: 30000, currency: 'EUR' },
      receipt: { id: receipt, status: 'PENDING_UPLOAD', contentType: 'image/jpeg', size: 1234 },
      listExpenses: { items: [{ id: expense }, { id: older }] },
    });

    // When: kill -9, then npm start again on the same DATA_DIR.
    expect(await crash(first.process)).toEqual({ code: null, signal: 'SIGKILL' });
    const second = await npmStart(port);

    // Then: the token issued before the crash still works (same signing key), and so does a new sign-in.
    expect(await read(second.endpoints, user.accessToken, ids)).toEqual(before);
    const secondPage = await graphql(second.endpoints.graphql, PAGE, { next: firstPage.nextToken }, user.accessToken);
    expect(secondPage.body.errors).toBeUndefined();
    expect(secondPage.body.data.listExpenses.items).toEqual([{ id: older }]);
    const again = await signIn(second.endpoints, email);
    expect(await read(second.endpoints, again.accessToken, ids)).toEqual(before);
    const outbox = (await (await fetch(`${second.endpoints.outbox}.json`)).json()) as Array<{
      to: string[];
      subject: string;
    }>;
    expect(outbox).toEqual([expect.objectContaining({ to: [email], subject: 'Your verification code' })]);

    // When SIGINT to npm's pid: exit 0 after a clean shutdown, the port released.
    expect(await signal(second.process, 'SIGINT', second.endpoints.graphql)).toEqual({
      code: 0,
      signal: null,
      exitedWithin5s: true,
      portClosed: true,
    });
    expect(second.output()).toContain('SIGINT: shutting down');

    // Then the data is still there after a clean shutdown too, and SIGTERM exits 0 as well.
    const third = await npmStart(port);
    expect(await read(third.endpoints, again.accessToken, ids)).toEqual(before);

    // A second npm start on the same DATA_DIR (another port) is refused, and the first carries on.
    const twin = await npmStart(await freePort()).catch((error: Error) => error);
    expect(twin).toBeInstanceOf(Error);
    expect((twin as Error).message).toContain(`npm start exited (1) before it was ready`);
    expect((twin as Error).message).toContain(
      `Could not start: the data directory ${dataDir} is in use by another npm start`,
    );
    expect((twin as Error).message).not.toMatch(/\n\s+at /); // no stack trace
    expect(await read(third.endpoints, again.accessToken, ids)).toEqual(before);

    // kill -TERM <npm's pid>: the server itself stops, not only npm.
    expect(await signal(third.process, 'SIGTERM', third.endpoints.graphql)).toEqual({
      code: 0,
      signal: null,
      exitedWithin5s: true,
      portClosed: true,
    });
    expect(third.output()).toContain('SIGTERM: shutting down');
  }, 180_000);
});
