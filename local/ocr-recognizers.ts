import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { InferenceSession as OrtSession } from 'onnxruntime-node';

/**
 * The recognizer on worker threads, one onnxruntime session (of one thread) each: a receipt's
 * lines are independent, so two workers read two lines at a time while the engine's own
 * thread cuts the next ones out of the page. onnxruntime-node runs a model synchronously on the
 * thread that calls it, so two sessions on one thread would take turns; threads inside one
 * session cost twice the CPU for the same lines (ocr-engine.ts).
 */
export interface Recognizers {
  /** The recognizer's scores for one line (planar BGR, 3 × height × width): [steps, classes] and the values. */
  run(input: Float32Array, width: number, height: number): Promise<{ dims: number[]; data: Float32Array }>;
}

type Reply = { id: number; dims: number[]; data: Float32Array } | { id: number; error: string };

// Plain JavaScript, evaluated by the worker: it needs no TypeScript loader and imports only
// onnxruntime-node.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ort);
const session = ort.InferenceSession.create(workerData.model, workerData.options);
parentPort.on('message', async ({ id, input, width, height }) => {
  try {
    const s = await session;
    const output = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, height, width]) });
    const scores = output[s.outputNames[0]];
    const data = scores.data;
    try {
      parentPort.postMessage({ id, dims: scores.dims.slice(1), data }, [data.buffer]);
    } catch {
      parentPort.postMessage({ id, dims: scores.dims.slice(1), data });
    }
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

const require = createRequire(import.meta.url);

interface Job {
  id: number;
  input: Float32Array;
  width: number;
  height: number;
  resolve(value: { dims: number[]; data: Float32Array }): void;
  reject(error: Error): void;
}

export function createRecognizers(model: string, options: OrtSession.SessionOptions, count: number): Recognizers {
  const ort = require.resolve('onnxruntime-node');
  const waiting: Job[] = [];
  const lanes: Array<{ worker: Worker | null; job: Job | null }> = Array.from({ length: count }, () => ({
    worker: null,
    job: null,
  }));
  let nextId = 1;

  function start(lane: (typeof lanes)[number]): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ort, model, options } });
    worker.on('message', (reply: Reply) => {
      const job = lane.job;
      if (!job || job.id !== reply.id) return;
      lane.job = null;
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve(reply);
      dispatch();
    });
    // A worker that dies fails its line; the next line starts a new one.
    const fail = (error: Error) => {
      if (lane.worker !== worker) return;
      lane.worker = null;
      const job = lane.job;
      lane.job = null;
      job?.reject(error);
      dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`an OCR recognizer thread ended (exit code ${code})`)));
    return worker;
  }

  function dispatch() {
    for (const lane of lanes) {
      if (lane.job || waiting.length === 0) continue;
      const job = waiting.shift()!;
      lane.worker ??= start(lane);
      lane.job = job;
      lane.worker.ref();
      lane.worker.postMessage({ id: job.id, input: job.input, width: job.width, height: job.height }, [
        job.input.buffer as ArrayBuffer,
      ]);
    }
    // Idle workers never keep the process alive.
    for (const lane of lanes) if (!lane.job) lane.worker?.unref();
  }

  return {
    run(input, width, height) {
      return new Promise((resolve, reject) => {
        waiting.push({ id: nextId++, input, width, height, resolve, reject });
        dispatch();
      });
    },
  };
}
