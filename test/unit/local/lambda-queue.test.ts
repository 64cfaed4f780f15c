import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '../../../model/functions.ts';
import { createLocalLambda, type Handler } from '../../../local/lambda.ts';
import { openEventQueue } from '../../../local/lambda-queue.ts';

/**
 * Asynchronous invocations survive the process: an event is on disk before it is
 * acknowledged, and one whose run was cut short (kill -9) runs again at the next start, as
 * Lambda retries an invocation whose environment died; one that never finishes is given up.
 */
const fn: FunctionDefinition = { name: 'BudgetFn', entry: 'unused', memoryMb: 128, timeoutSeconds: 5, tables: {} };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lambda-queue-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A process of the stack: its Lambda stand-in on the queue in `dir`, running `handler`. */
const processWith = (handler: Handler) =>
  createLocalLambda({
    functions: [fn],
    projectRoot: dir,
    region: 'us-east-1',
    retryDelaysMs: [10, 10],
    loadHandler: async () => handler,
    queue: openEventQueue(path.join(dir, 'queue')),
    log: () => {},
  });

describe('queued Event invocations', () => {
  it('given an event whose run never finished when the process died, when the next process starts, then it runs there, once, and leaves the queue', async () => {
    const first = processWith(() => new Promise(() => {})); // killed mid-run
    await first.invoke('BudgetFn', { owner: 'u1' }, 'Event');
    await new Promise((resolve) => setTimeout(resolve, 20));

    const runs: unknown[] = [];
    const second = processWith(async (event) => void runs.push(event));
    await second.resumeLeftOver();
    await second.drain();
    expect(runs).toEqual([{ owner: 'u1' }]);
    expect(await readdir(path.join(dir, 'queue', 'pending'))).toEqual([]);
  });

  it('given an event acknowledged but not yet started when the process died, then the next start runs it', async () => {
    const first = processWith(async () => {});
    const invoked = first.invoke('BudgetFn', { owner: 'u2' }, 'Event');
    await invoked; // acknowledged: the event is on disk; the process dies before its turn (no drain)
    const runs: unknown[] = [];
    await processWith(async (event) => void runs.push(event)).resumeLeftOver();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toContainEqual({ owner: 'u2' });
  });

  it('given an event that takes the process down at every run, when it has used up its attempts, then it is dead-lettered instead of run again', async () => {
    for (let start = 0; start < 3; start++) {
      // Each process dies once the run has started (the handler was called): its attempt is on disk.
      let running!: () => void;
      const started = new Promise<void>((resolve) => (running = resolve));
      const killedEachTime = processWith(() => {
        running();
        return new Promise(() => {});
      });
      if (start === 0) await killedEachTime.invoke('BudgetFn', { poison: true }, 'Event');
      else await killedEachTime.resumeLeftOver();
      await started;
    }
    const runs: unknown[] = [];
    const last = processWith(async (event) => void runs.push(event));
    await last.resumeLeftOver();
    await last.drain();
    expect(runs).toEqual([]);
    const [letter] = await readdir(path.join(dir, 'queue', 'dead-letters'));
    expect(JSON.parse(await readFile(path.join(dir, 'queue', 'dead-letters', letter), 'utf8'))).toMatchObject({
      functionName: 'BudgetFn',
      payload: { poison: true },
      attempts: 3,
    });
  });

  it('given a run that fails every time, then it is retried as Lambda retries and then dead-lettered', async () => {
    let runs = 0;
    const lambda = processWith(async () => {
      runs += 1;
      throw new Error('SES is down');
    });
    await lambda.invoke('BudgetFn', { owner: 'u3' }, 'Event');
    await lambda.drain();
    expect(runs).toBe(3);
    expect(await readdir(path.join(dir, 'queue', 'pending'))).toEqual([]);
    expect(await readdir(path.join(dir, 'queue', 'dead-letters'))).toHaveLength(1);
  });
});
