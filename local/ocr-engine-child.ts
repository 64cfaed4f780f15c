import { setPriority } from 'node:os';
import { createPaddleOcrEngine, type OcrPage } from './ocr-engine.ts';

/**
 * The OCR engine's own process (started by ocr-engine-process.ts): reads one image per
 * message and answers with its lines. It runs at a lower scheduling priority than the API
 * (OCR_ENGINE_NICENESS, 10 by default, set before the models start their threads, which
 * inherit it), so a query never waits behind a receipt for a core. It ends when its parent
 * goes away.
 */
export type EngineRequest = { id: number; image: Uint8Array } | { id: number; usage: true };
export type EngineReply =
  { id: number; page: OcrPage } | { id: number; usage: EngineUsage } | { id: number; error: string };
/** What the engine process has used so far: its peak resident memory and its CPU time (all threads). */
export interface EngineUsage {
  peakMemoryBytes: number;
  cpuSeconds: number;
}

try {
  setPriority(Number(process.env.OCR_ENGINE_NICENESS ?? 10));
} catch {
  // Not allowed here (some containers): the engine still runs, at the same priority as the API.
}
const engine = createPaddleOcrEngine();
const send = (reply: EngineReply) => process.send!(reply);

process.on('message', (request: EngineRequest) => {
  if ('usage' in request) {
    const { user, system } = process.cpuUsage();
    send({
      id: request.id,
      usage: { peakMemoryBytes: process.resourceUsage().maxRSS * 1024, cpuSeconds: (user + system) / 1e6 },
    });
    return;
  }
  engine.read(request.image).then(
    (page) => send({ id: request.id, page }),
    (error: unknown) => send({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
