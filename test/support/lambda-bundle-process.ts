import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import type { Handler } from '../../local/lambda.ts';

const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lambda-bundle-runner.mjs');

export interface BundleProcess {
  /** Invokes the bundle's handler in its process; its errors come back as errors. */
  handler: Handler;
  /** What the process wrote to stderr (the function's error logs). */
  stderr(): string;
  /** The process's peak resident memory so far, in MiB (Lambda's Max Memory Used), as of its last answer. */
  peakRssMib(): number;
  stop(): Promise<void>;
}

/**
 * This process's environment as a standard Lambda execution environment has it: NODE_OPTIONS as
 * infra sets it (infra/constructs/processing.ts) instead of the loaders this test runs under, and
 * no AWS_LAMBDA_MAX_CONCURRENCY, which the local stack sets because its functions share one process.
 */
function lambdaEnvironment(nodeOptions = '--enable-source-maps'): NodeJS.ProcessEnv {
  const { AWS_LAMBDA_MAX_CONCURRENCY: _shared, ...env } = process.env;
  return { ...env, NODE_OPTIONS: nodeOptions };
}

/**
 * A Lambda bundle (index.mjs with the files copied beside it) run in a child process of plain
 * Node with this process's environment, which the local stack sets as infra sets a function's.
 * Invocations run one at a time, as in one Lambda execution environment.
 * Resolves once the bundle has loaded; rejects when it cannot.
 */
export async function startBundleProcess(
  bundleDir: string,
  options: { nodeOptions?: string } = {},
): Promise<BundleProcess> {
  const child: ChildProcess = fork(RUNNER, [path.join(bundleDir, 'index.mjs')], {
    cwd: bundleDir,
    execArgv: [],
    env: lambdaEnvironment(options.nodeOptions),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  let maxRssKib = 0;
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${bundleDir} did not load (exit ${code}): ${stderr}`)));
    child.on(
      'message',
      (message: {
        ready?: true;
        id?: number;
        result?: unknown;
        error?: { name: string; message: string; stack?: string };
        maxRssKib?: number;
      }) => {
        if (message.maxRssKib) maxRssKib = Math.max(maxRssKib, message.maxRssKib);
        if (message.ready) return resolve();
        const call = calls.get(message.id!);
        calls.delete(message.id!);
        if (message.error) call?.reject(Object.assign(new Error(message.error.message), message.error));
        else call?.resolve(message.result);
      },
    );
  });
  child.on('exit', () => {
    for (const call of calls.values()) call.reject(new Error(`${bundleDir}: the process exited: ${stderr}`));
    calls.clear();
  });
  return {
    handler: (event: unknown, context: Context) =>
      new Promise((resolve, reject) => {
        const id = next++;
        calls.set(id, { resolve, reject });
        const { getRemainingTimeInMillis, done: _done, fail: _fail, succeed: _succeed, ...plain } = context;
        child.send({ id, event, context: { ...plain, remainingMs: getRemainingTimeInMillis() } });
      }),
    stderr: () => stderr,
    peakRssMib: () => maxRssKib / 1024,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      await exited;
    },
  };
}
