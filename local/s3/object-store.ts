import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { appendFile, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The objects of one bucket on disk: each object one file (`<sha256 of the key>.obj`) that
 * holds the bytes and then a JSON trailer (key, metadata) and its length, written to a
 * temporary file and renamed over the old one, so a reader, a crash or a kill -9 sees the old object or the new,
 * never half of one. The keys live in a Map (request data never becomes a property name) and a
 * sorted array for listing, rebuilt from the files' headers at start.
 */
export interface ObjectMeta {
  key: string;
  size: number;
  /** Hex MD5 of the bytes (or S3's multipart form `<md5 of part md5s>-<parts>`). */
  etag: string;
  lastModified: string;
  contentType: string;
  /** `x-amz-meta-*` headers, lower-case names without the prefix. */
  userMetadata: Record<string, string>;
  /** Base64 SHA-256 of the whole object, when it was uploaded with one. */
  checksumSha256?: string;
}

/** What a write measured while it streamed the body to disk. */
export interface WrittenBody {
  file: string;
  size: number;
  md5Hex: string;
  sha256: Buffer;
}

export class ObjectTooLarge extends Error {}

const TRAILER_LENGTH_BYTES = 4;

export interface ObjectStore {
  has(key: string): boolean;
  head(key: string): ObjectMeta | undefined;
  /** The bytes of the object as it is now (a later overwrite does not affect an open read). */
  read(key: string): Promise<{ meta: ObjectMeta; body: Readable } | undefined>;
  /** Streams `body` into a temporary file, hashing it; at most `maxBytes`. */
  receive(body: AsyncIterable<Buffer>, maxBytes: number): Promise<WrittenBody>;
  /** Makes a received body the object; false when `onlyIfAbsent` and the key exists (S3's If-None-Match: *). */
  commit(written: WrittenBody, meta: ObjectMeta, onlyIfAbsent: boolean): Promise<boolean>;
  discard(written: WrittenBody): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Keys in order after `after` (exclusive) that start with `prefix`. */
  keysAfter(prefix: string, after: string): Generator<string>;
}

const fileNameOf = (key: string) => `${createHash('sha256').update(key).digest('hex')}.obj`;

/** Index of the first key >= `key` in a sorted array. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An object file, opened: its metadata and where its bytes end. */
async function openObjectFile(
  file: string,
): Promise<{ handle: FileHandle; meta: ObjectMeta; bodyEnd: number } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const length = Buffer.alloc(TRAILER_LENGTH_BYTES);
    await handle.read(length, 0, TRAILER_LENGTH_BYTES, size - TRAILER_LENGTH_BYTES);
    const trailerLength = length.readUInt32BE(0);
    const bodyEnd = size - TRAILER_LENGTH_BYTES - trailerLength;
    const trailer = Buffer.alloc(trailerLength);
    await handle.read(trailer, 0, trailerLength, bodyEnd);
    return { handle, meta: JSON.parse(trailer.toString('utf8')) as ObjectMeta, bodyEnd };
  } catch {
    await handle.close();
    return undefined;
  }
}

export async function openObjectStore(directory: string): Promise<ObjectStore> {
  const objects = path.join(directory, 'objects');
  const incoming = path.join(directory, 'incoming');
  // Unfinished writes and multipart parts did not survive the process that made them.
  rmSync(incoming, { recursive: true, force: true });
  for (const dir of [objects, incoming]) mkdirSync(dir, { recursive: true });

  const index = new Map<string, ObjectMeta>();
  for (const name of readdirSync(objects)) {
    if (!name.endsWith('.obj')) continue;
    const opened = await openObjectFile(path.join(objects, name));
    if (!opened) continue;
    await opened.handle.close();
    if (fileNameOf(opened.meta.key) === name) index.set(opened.meta.key, opened.meta);
  }
  const sorted = [...index.keys()].sort();

  const addKey = (key: string) => {
    const at = lowerBound(sorted, key);
    if (sorted[at] !== key) sorted.splice(at, 0, key);
  };
  const removeKey = (key: string) => {
    const at = lowerBound(sorted, key);
    if (sorted[at] === key) sorted.splice(at, 1);
  };

  return {
    has: (key) => index.has(key),
    head: (key) => index.get(key),

    async read(key) {
      if (!index.has(key)) return undefined;
      // One open file: a rename over it meanwhile leaves this read on the object it opened.
      const opened = await openObjectFile(path.join(objects, fileNameOf(key)));
      if (!opened) return undefined;
      const body = opened.meta.size
        ? opened.handle.createReadStream({ start: 0, end: opened.bodyEnd - 1 })
        : Readable.from([]).on('close', () => void opened.handle.close());
      return { meta: opened.meta, body };
    },

    async receive(body, maxBytes) {
      const file = path.join(incoming, randomBytes(12).toString('hex'));
      const md5 = createHash('md5');
      const sha256 = createHash('sha256');
      let size = 0;
      async function* measured() {
        for await (const chunk of body) {
          size += chunk.length;
          if (size > maxBytes) throw new ObjectTooLarge();
          md5.update(chunk);
          sha256.update(chunk);
          yield chunk;
        }
      }
      try {
        await pipeline(measured, createWriteStream(file));
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      }
      return { file, size, md5Hex: md5.digest('hex'), sha256: sha256.digest() };
    },

    async commit(written, meta, onlyIfAbsent) {
      if (onlyIfAbsent && index.has(meta.key)) {
        await rm(written.file, { force: true });
        return false;
      }
      const trailer = Buffer.from(JSON.stringify(meta), 'utf8');
      const length = Buffer.alloc(TRAILER_LENGTH_BYTES);
      length.writeUInt32BE(trailer.length, 0);
      await appendFile(written.file, Buffer.concat([trailer, length]));
      // Synchronous from the check on: the file and the index change together.
      if (onlyIfAbsent && index.has(meta.key)) {
        await rm(written.file, { force: true });
        return false;
      }
      renameSync(written.file, path.join(objects, fileNameOf(meta.key)));
      index.set(meta.key, meta);
      addKey(meta.key);
      return true;
    },

    async discard(written) {
      await rm(written.file, { force: true });
    },

    async delete(key) {
      if (!index.has(key)) return false;
      index.delete(key);
      removeKey(key);
      await rm(path.join(objects, fileNameOf(key)), { force: true });
      return true;
    },

    *keysAfter(prefix, after) {
      const start = after && after >= prefix ? after : prefix;
      for (let at = lowerBound(sorted, start); at < sorted.length; at++) {
        const key = sorted[at];
        if (key === after) continue;
        if (!key.startsWith(prefix)) return;
        yield key;
      }
    },
  };
}
