import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EngineReply, EngineRequest, EngineUsage } from './ocr-engine-child.ts';
import type { OcrEngine, OcrPage } from './ocr-engine.ts';

/**
 * The local OCR engine off the API's thread, as Lambda isolates it: PaddleOCR runs in a child
 * process of its own (ocr-engine-child.ts, at a lower scheduling priority), one receipt at a
 * time, behind a bounded queue. A read past the queue's bound is refused at once with
 * `OcrEngineBusy` (the local Textract answers ThrottlingException, which the AWS SDK retries
 * with back-off), so a burst of uploads neither grows memory nor stalls queries. A child
 * that dies fails its receipt with `OcrEngineCrashed` (retried like any failed run) and is
 * started again for the next. The child is started on the first read and holds no reference
 * that keeps the API's process alive.
 */
export class OcrEngineBusy extends Error {
  override name = 'OcrEngineBusy';
}
export class OcrEngineCrashed extends Error {
  override name = 'OcrEngineCrashed';
}

export interface OcrEngineProcess extends OcrEngine {
  /** The child's peak resident memory and CPU time so far (zeros before it started; a restarted child counts afresh). */
  usage(): Promise<EngineUsage>;
  close(): Promise<void>;
}

/** Reads waiting beyond the one being read; the API's inline and presigned paths both wait here. */
const DEFAULT_MAX_WAITING = 16;

const require = createRequire(import.meta.url);
const CHILD = fileURLToPath(new URL('./ocr-engine-child.ts', import.meta.url));

export interface OcrEngineProcessOptions {
  /** Reads that may wait while one is read; more are refused with OcrEngineBusy. */
  maxWaiting?: number;
  /** The engine process's niceness: by default OCR_ENGINE_NICENESS, else 10 beside an API (queries first); 0 to measure the engine alone. */
  niceness?: number;
}

export function createOcrEngineProcess(options: OcrEngineProcessOptions = {}): OcrEngineProcess {
  const maxWaiting = options.maxWaiting ?? DEFAULT_MAX_WAITING;
  const niceness = options.niceness ?? Number(process.env.OCR_ENGINE_NICENESS ?? 10);
  let child: ChildProcess | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(reply: EngineReply): void; reject(error: Error): void }>();
  const waiting: Array<() => void> = [];
  let reading = false;

  function start(): ChildProcess {
    // TypeScript through tsx's loader, as the rest of the local stack runs.
    const started = fork(CHILD, [], {
      execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
      serialization: 'advanced',
      env: { ...process.env, OCR_ENGINE_NICENESS: String(niceness) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    started.on('message', (reply: EngineReply) => {
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      waiter?.resolve(reply);
      if (pending.size === 0) idle(started);
    });
    started.on('exit', (code, signal) => {
      if (child === started) child = null;
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new OcrEngineCrashed(`the OCR engine process ended (${signal ?? `exit code ${code}`})`));
      }
    });
    return started;
  }

  // Only work in flight keeps the parent alive: an idle engine never holds up its exit.
  const idle = (c: ChildProcess) => {
    c.unref();
    (c.channel as { unref?: () => void } | undefined)?.unref?.();
  };
  const busy = (c: ChildProcess) => {
    c.ref();
    (c.channel as { ref?: () => void } | undefined)?.ref?.();
  };

  function request(message: Omit<EngineRequest, 'id'>): Promise<EngineReply> {
    child ??= start();
    const id = nextId++;
    const target = child;
    busy(target);
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      target.send({ ...message, id } as EngineRequest, (error) => {
        if (!error) return;
        pending.delete(id);
        reject(new OcrEngineCrashed(`the OCR engine process could not be reached: ${error.message}`));
      });
    });
  }

  async function read(image: Uint8Array): Promise<OcrPage> {
    if (reading) {
      if (waiting.length >= maxWaiting)
        throw new OcrEngineBusy(`the OCR engine has ${maxWaiting} receipts waiting; try again shortly`);
      // The reader that finishes hands its turn straight to the first waiter.
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    reading = true;
    try {
      const reply = await request({ image });
      if ('error' in reply) throw new Error(reply.error);
      if (!('page' in reply)) throw new OcrEngineCrashed('the OCR engine answered something else');
      return reply.page;
    } finally {
      const next = waiting.shift();
      if (next) next();
      else reading = false;
    }
  }

  return {
    read,
    async usage() {
      if (!child) return { peakMemoryBytes: 0, cpuSeconds: 0 };
      const reply = await request({ usage: true });
      if (!('usage' in reply)) throw new OcrEngineCrashed('the OCR engine answered something else');
      return reply.usage;
    },
    async close() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      busy(c); // wait for its exit even when idle
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill();
      });
    },
  };
}
