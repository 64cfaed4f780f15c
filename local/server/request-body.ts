import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Request bodies read with a bound, as AWS's front ends bound them: a body over the limit
 * (declared in Content-Length, or streamed past it) is refused before it is held in memory.
 * What the client still sends after the refusal is read and dropped up to DISCARD_BYTES, so
 * an ordinary client gets the answer rather than a reset connection; past that, or after
 * DISCARD_MS, the connection is cut.
 */
export class BodyTooLarge extends Error {
  constructor(
    readonly limit: number,
    /** The size declared or read so far (at least limit + 1). */
    readonly size: number,
  ) {
    super(`Request body of ${size} bytes exceeds the limit of ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

const DISCARD_BYTES = 64 * 1024 * 1024;
const DISCARD_MS = 30_000;
const discarding = new WeakSet<IncomingMessage>();

/** Drops the rest of a refused body, within bounds; the connection closes after the answer. */
export function discardRest(req: IncomingMessage, res?: ServerResponse): void {
  if (res) res.shouldKeepAlive = false;
  if (req.complete || discarding.has(req)) return;
  discarding.add(req);
  let dropped = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DISCARD_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_BYTES) cut();
  });
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

/** The whole body, at most `limit` bytes; rejects with BodyTooLarge (and drops the rest) beyond. */
export function readBoundedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      discardRest(req);
      reject(new BodyTooLarge(limit, declared));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        chunks.length = 0;
        discardRest(req);
        reject(new BodyTooLarge(limit, size));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
