import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import type { FunctionDefinition } from '../model/functions.ts';
import type { EventQueue, QueuedEvent } from './lambda-queue.ts';

/**
 * The Lambda stand-in: the handlers of model/functions.ts imported into this process and
 * invoked with real event shapes and a Lambda context. `Event` invocations are queued (on
 * disk, lambda-queue.ts, when a queue is given: they survive a kill -9 and run at the next
 * start) and, as Lambda does for asynchronous invocations, retried twice on failure (after
 * 1 s and 2 s here instead of 1 and 2 minutes); a final failure is logged and dead-lettered. Invocations run concurrently in this
 * one process, as on Lambda's multi-concurrency runtimes, so each runs in its own InvokeStore
 * context: Powertools keeps log keys and metrics per invocation there (AWS_LAMBDA_MAX_CONCURRENCY).
 */
export type InvocationType = 'RequestResponse' | 'Event';

export interface LocalLambda {
  invoke(name: string, payload: unknown, invocationType?: InvocationType): Promise<unknown>;
  /**
   * Loads every function's handler now (as a deployment would fail on a function that does
   * not build), so a broken one stops `npm start` instead of failing its first event. Only
   * modules load: what a handler initializes lazily (e.g. OCR models) stays lazy.
   */
  loadAll(): Promise<void>;
  names(): string[];
  /** Functions that a trigger of infra (e.g. `s3-object-created`) runs. */
  triggered(trigger: NonNullable<FunctionDefinition['triggers']>[number]): FunctionDefinition[];
  /** Resolves when every queued `Event` invocation has finished (or given up). */
  drain(): Promise<void>;
  /** Runs the `Event` invocations an earlier process left in the queue (at start, once every route answers). */
  resumeLeftOver(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalLambdaOptions {
  functions: readonly FunctionDefinition[];
  projectRoot: string;
  region: string;
  retryDelaysMs?: number[];
  /** How a function's handler is loaded (default: import its entry module). */
  loadHandler?: (fn: FunctionDefinition) => Promise<Handler>;
  log?: (message: string, detail?: unknown) => void;
  /** Where `Event` invocations wait (default: in memory only). */
  queue?: EventQueue;
}

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

// Made at load, as Lambda's runtime makes it before any code runs: the first caller fixes the
// process-wide store, and the SDK's own first call would make a single-context one.
const invokeStore = InvokeStore.getInstanceAsync(true);

function contextFor(fn: FunctionDefinition, region: string, deadline: number): Context {
  const requestId = randomUUID();
  return {
    awsRequestId: requestId,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${fn.name}`,
    memoryLimitInMB: String(fn.memoryMb),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `local/${requestId}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export function createLocalLambda(options: LocalLambdaOptions): LocalLambda {
  const handlers = new Map<string, Promise<Handler>>();
  const pending = new Set<Promise<unknown>>();
  const retryWaits = new Map<NodeJS.Timeout, () => void>();
  const retryDelaysMs = options.retryDelaysMs ?? [1000, 2000];
  const log = options.log ?? ((message, detail) => console.error(message, detail ?? ''));
  let stopped = false;

  function definition(name: string): FunctionDefinition {
    const fn = options.functions.find((f) => f.name === name);
    if (!fn) throw Object.assign(new Error(`Function not found: ${name}`), { name: 'ResourceNotFoundException' });
    return fn;
  }

  function handlerOf(fn: FunctionDefinition): Promise<Handler> {
    let handler = handlers.get(fn.name);
    if (!handler) {
      handler = options.loadHandler
        ? options.loadHandler(fn)
        : import(pathToFileURL(path.resolve(options.projectRoot, fn.entry)).href).then(
            (module: { handler?: Handler }) => {
              if (typeof module.handler !== 'function') throw new Error(`${fn.entry} exports no handler`);
              return module.handler;
            },
          );
      handlers.set(fn.name, handler);
    }
    return handler;
  }

  async function runOnce(fn: FunctionDefinition, payload: unknown): Promise<unknown> {
    const store = await invokeStore;
    const handler = await handlerOf(fn);
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const context = contextFor(fn, options.region, deadline);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            Object.assign(new Error(`Task timed out after ${fn.timeoutSeconds}.00 seconds`), { name: 'TimeoutError' }),
          ),
        fn.timeoutSeconds * 1000,
      );
    });
    try {
      // Each invocation gets its own copy of the event, as it would after JSON serialization.
      const invocation = store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () =>
        handler(structuredClone(payload), context),
      );
      return await Promise.race([invocation, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise)).catch(() => {});
    return promise;
  }

  /** An `Event` invocation: run, and retried on failure, each run recorded in the queue's file first. */
  async function runWithRetries(fn: FunctionDefinition, payload: unknown, queued?: QueuedEvent): Promise<void> {
    for (let attempt = queued?.attempts ?? 0; ; attempt++) {
      if (attempt > retryDelaysMs.length) {
        // Runs an earlier process started and never finished used them up (it died in each).
        await options.queue?.giveUp(queued!, `no run finished in ${attempt} attempts`);
        log(`[lambda] ${fn.name} async invocation given up after ${attempt} attempts that did not finish`);
        return;
      }
      if (queued) await options.queue?.started(queued);
      try {
        await runOnce(fn, payload);
        if (queued) await options.queue?.done(queued);
        return;
      } catch (error) {
        const retryIn = retryDelaysMs[attempt];
        // Stopping: the event stays queued for the next start.
        if (stopped) return;
        if (retryIn === undefined) {
          log(`[lambda] ${fn.name} async invocation failed after ${attempt + 1} attempts`, error);
          if (queued) await options.queue?.giveUp(queued, (error as Error).message ?? String(error));
          return;
        }
        log(
          `[lambda] ${fn.name} async invocation failed (attempt ${attempt + 1}); retrying in ${retryIn} ms`,
          (error as Error).message,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            retryWaits.delete(timer);
            resolve();
          }, retryIn);
          retryWaits.set(timer, resolve);
        });
      }
    }
  }

  /** Runs an Event invocation on its own, after the caller got its answer (Lambda's 202). */
  function runInBackground(fn: FunctionDefinition, payload: unknown, queued?: QueuedEvent): void {
    track(
      new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => runWithRetries(fn, payload, queued))
        .catch((error: unknown) => log(`[lambda] ${fn.name} async invocation could not be run`, error)),
    );
  }

  return {
    async invoke(name, payload, invocationType = 'RequestResponse') {
      const fn = definition(name);
      if (invocationType === 'Event') {
        // Acknowledged once it is queued: from then on a crash does not lose it.
        runInBackground(fn, payload, await options.queue?.add(fn.name, payload));
        return undefined;
      }
      return track(runOnce(fn, payload));
    },
    async loadAll() {
      const failures: string[] = [];
      await Promise.all(
        options.functions.map((fn) =>
          handlerOf(fn).catch((error: Error) => {
            handlers.delete(fn.name);
            failures.push(`${fn.name} (${fn.entry}): ${error.message}`);
          }),
        ),
      );
      if (failures.length) throw new Error(`Functions failed to load:\n  ${failures.join('\n  ')}`);
    },
    names: () => options.functions.map((f) => f.name),
    triggered: (trigger) => options.functions.filter((f) => f.triggers?.includes(trigger)),
    async drain() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async resumeLeftOver() {
      for (const queued of (await options.queue?.leftOver()) ?? []) {
        const fn = options.functions.find((f) => f.name === queued.functionName);
        if (!fn) await options.queue!.giveUp(queued, `Function not found: ${queued.functionName}`);
        else runInBackground(fn, queued.payload, queued);
      }
    },
    async stop() {
      stopped = true;
      // A retry waiting for its turn gives up now instead of holding shutdown.
      for (const [timer, wake] of retryWaits) {
        clearTimeout(timer);
        wake();
      }
      await Promise.race([
        Promise.allSettled([...pending]),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
    },
  };
}
