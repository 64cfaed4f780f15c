import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import type { ObjectStore, WrittenBody } from './object-store.ts';
import { ObjectTooLarge } from './object-store.ts';
import { BodyTooLarge, readBoundedBody } from '../server/request-body.ts';
import { S3Error } from './xml.ts';

/** One authenticated S3 request, routed: what every operation reads. */
export interface S3Request {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  bucket: string;
  /** The object key, decoded ('' for a bucket request). */
  key: string;
  query: Map<string, string[]>;
  requestId: string;
  /** CORS headers for the answer (none unless the request came from another origin). */
  cors: Record<string, string>;
  /** The `x-amz-content-sha256` a header-signed request declared (hex), checked against the body; null when unsigned. */
  declaredSha256: string | null;
  /** Who asked, as event notifications name them. */
  principalId: string;
  sourceIp: string;
}

/** S3's largest single PUT: 5 GiB. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

export const param = (request: S3Request, name: string) => request.query.get(name)?.[0];
export const hasParam = (request: S3Request, name: string) => request.query.has(name);
export const header = (request: S3Request, name: string) => {
  const value = request.req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** `x-amz-meta-*` headers, lower-case names without the prefix, in a prototype-free record. */
export function userMetadataOf(request: S3Request): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.req.headers)
      .filter(([name, value]) => name.startsWith('x-amz-meta-') && typeof value === 'string')
      .map(([name, value]) => [name.slice('x-amz-meta-'.length), value as string]),
  );
}

/** The digests a body is checked against, as S3 checks them. */
interface BodyDigests {
  sha256: Buffer;
  md5Hex: string;
  crc32: number;
}

/**
 * S3's checks of a body against what the request declared: the payload hash of the signature
 * (XAmzContentSHA256Mismatch), `x-amz-checksum-sha256` / `x-amz-checksum-crc32` and
 * `Content-MD5` (BadDigest).
 */
function checkDigests(request: S3Request, digests: BodyDigests): void {
  const sha256Hex = digests.sha256.toString('hex');
  if (request.declaredSha256 && request.declaredSha256 !== sha256Hex)
    throw new S3Error(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      { ClientComputedContentSHA256: request.declaredSha256, S3ComputedContentSHA256: sha256Hex },
    );
  const sha256 = header(request, 'x-amz-checksum-sha256');
  if (sha256 !== undefined && sha256 !== digests.sha256.toString('base64'))
    throw new S3Error('BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
  const crc = header(request, 'x-amz-checksum-crc32');
  if (crc !== undefined) {
    const computed = Buffer.alloc(4);
    computed.writeUInt32BE(digests.crc32 >>> 0, 0);
    if (crc !== computed.toString('base64'))
      throw new S3Error('BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
  }
  const md5 = header(request, 'content-md5');
  if (md5 !== undefined && md5 !== Buffer.from(digests.md5Hex, 'hex').toString('base64'))
    throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
}

const entityTooLarge = (maxBytes: number, declared?: number) =>
  new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
    ...(declared !== undefined ? { ProposedSize: String(declared) } : {}),
    MaxSizeAllowed: String(maxBytes),
  });

/** The request's body streamed to disk (at most `maxBytes`), then checked; a refused body is removed. */
export async function receiveBody(request: S3Request, store: ObjectStore, maxBytes: number): Promise<WrittenBody> {
  const declared = Number(header(request, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw entityTooLarge(maxBytes, declared);
  let crc = 0;
  const wantsCrc = header(request, 'x-amz-checksum-crc32') !== undefined;
  // Not destroyed when the write stops early: the refusal is still answered on this connection.
  const chunks = request.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  async function* body() {
    for await (const chunk of chunks) {
      if (wantsCrc) crc = crc32(chunk, crc);
      yield chunk;
    }
  }
  let written: WrittenBody;
  try {
    written = await store.receive(body(), maxBytes);
  } catch (error) {
    if (error instanceof ObjectTooLarge) throw entityTooLarge(maxBytes);
    throw error;
  }
  try {
    checkDigests(request, { sha256: written.sha256, md5Hex: written.md5Hex, crc32: crc });
  } catch (error) {
    await store.discard(written);
    throw error;
  }
  return written;
}

/** A small body read whole (the XML of DeleteObjects and CompleteMultipartUpload), checked. */
export async function readSmallBody(request: S3Request, maxBytes: number): Promise<Buffer> {
  let body: Buffer;
  try {
    body = await readBoundedBody(request.req, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new S3Error('MaxMessageLengthExceeded', 'Your request was too big.');
    throw error;
  }
  checkDigests(request, {
    sha256: createHash('sha256').update(body).digest(),
    md5Hex: createHash('md5').update(body).digest('hex'),
    crc32: crc32(body),
  });
  return body;
}
