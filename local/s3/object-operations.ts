import { pipeline } from 'node:stream/promises';
import type { ObjectCreatedEventName } from './events.ts';
import { MAX_PART_NUMBER, type MultipartUploads } from './multipart.ts';
import type { ObjectMeta, ObjectStore, WrittenBody } from './object-store.ts';
import { header, MAX_PUT_BYTES, param, readSmallBody, receiveBody, userMetadataOf, type S3Request } from './request.ts';
import { childList, document, element, notSupportedLocally, parseXmlBody, S3Error, textOf } from './xml.ts';

/**
 * The object operations our code and the AWS SDK use: PutObject (with S3's conditional write
 * `If-None-Match: *`), GetObject, HeadObject, DeleteObject, and the multipart upload of
 * lib-storage. Each answers as S3 does (status, headers, XML).
 */
export interface ObjectOperationDeps {
  store: ObjectStore;
  uploads: MultipartUploads;
  /** After an object is written: S3's event notification. */
  created(request: S3Request, eventName: ObjectCreatedEventName, meta: ObjectMeta): void;
}

const quoted = (etag: string) => `"${etag}"`;
const httpDate = (iso: string) => new Date(iso).toUTCString();
const noSuchKey = (key: string) => new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
const XML_BODY_LIMIT = 1024 * 1024;

/** `If-None-Match: *` asks for the write to happen only if no object has the key (anything else is not supported, as in S3). */
function onlyIfAbsent(request: S3Request): boolean {
  const value = header(request, 'if-none-match');
  if (value === undefined) return false;
  // As S3: If-None-Match takes only `*` on writes.
  if (value.trim() !== '*') throw notSupportedLocally(`If-None-Match: ${value.trim().slice(0, 64)} on a write`);
  return true;
}

const preconditionFailed = () =>
  new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
    Condition: 'If-None-Match',
  });

function objectHeaders(request: S3Request, meta: ObjectMeta): Record<string, string> {
  return {
    ...request.cors,
    'x-amz-request-id': request.requestId,
    'x-amz-id-2': request.requestId,
    etag: quoted(meta.etag),
    'last-modified': httpDate(meta.lastModified),
    'content-type': meta.contentType,
    'content-length': String(meta.size),
    'accept-ranges': 'bytes',
    ...Object.fromEntries(Object.entries(meta.userMetadata).map(([name, value]) => [`x-amz-meta-${name}`, value])),
    // As S3 does: the stored checksum only to a client that asks for it.
    ...(meta.checksumSha256 && header(request, 'x-amz-checksum-mode') === 'ENABLED'
      ? { 'x-amz-checksum-sha256': meta.checksumSha256 }
      : {}),
  };
}

function partNumberOf(request: S3Request): number {
  const partNumber = Number(param(request, 'partNumber'));
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER)
    throw new S3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, {
      ArgumentName: 'partNumber',
      ArgumentValue: String(param(request, 'partNumber')),
    });
  return partNumber;
}

export function objectOperations(deps: ObjectOperationDeps) {
  const { store, uploads } = deps;

  async function commitOrRefuse(request: S3Request, written: WrittenBody, meta: ObjectMeta, conditional: boolean) {
    if (!(await store.commit(written, meta, conditional))) throw preconditionFailed();
  }

  return {
    async putObject(request: S3Request): Promise<void> {
      if (header(request, 'x-amz-copy-source') !== undefined)
        throw notSupportedLocally('CopyObject (x-amz-copy-source)');
      const conditional = onlyIfAbsent(request);
      // Checked before the bytes are read, and again when they are committed.
      if (conditional && store.has(request.key)) throw preconditionFailed();
      const written = await receiveBody(request, store, MAX_PUT_BYTES);
      const checksum = header(request, 'x-amz-checksum-sha256');
      const meta: ObjectMeta = {
        key: request.key,
        size: written.size,
        etag: written.md5Hex,
        lastModified: new Date().toISOString(),
        contentType: header(request, 'content-type') ?? 'binary/octet-stream',
        userMetadata: userMetadataOf(request),
        ...(checksum ? { checksumSha256: checksum } : {}),
      };
      await commitOrRefuse(request, written, meta, conditional);
      request.res.writeHead(200, {
        ...request.cors,
        'x-amz-request-id': request.requestId,
        'x-amz-id-2': request.requestId,
        etag: quoted(meta.etag),
        ...(checksum ? { 'x-amz-checksum-sha256': checksum } : {}),
      });
      request.res.end();
      deps.created(request, 'ObjectCreated:Put', meta);
    },

    async getObject(request: S3Request, headOnly: boolean): Promise<void> {
      const meta = store.head(request.key);
      if (!meta) throw noSuchKey(request.key);
      if (header(request, 'if-none-match') === quoted(meta.etag)) {
        request.res.writeHead(304, { ...request.cors, etag: quoted(meta.etag), 'x-amz-request-id': request.requestId });
        request.res.end();
        return;
      }
      if (headOnly) {
        request.res.writeHead(200, objectHeaders(request, meta));
        request.res.end();
        return;
      }
      const opened = await store.read(request.key);
      if (!opened) throw noSuchKey(request.key);
      request.res.writeHead(200, objectHeaders(request, opened.meta));
      await pipeline(opened.body, request.res);
    },

    async deleteObject(request: S3Request): Promise<void> {
      const versionId = param(request, 'versionId');
      // The bucket is unversioned: its only version is "null".
      if (versionId !== undefined && versionId !== 'null')
        throw new S3Error('InvalidArgument', 'Invalid version id specified', {
          ArgumentName: 'versionId',
          ArgumentValue: versionId,
        });
      await store.delete(request.key);
      request.res.writeHead(204, { ...request.cors, 'x-amz-request-id': request.requestId });
      request.res.end();
    },

    createMultipartUpload(request: S3Request): void {
      const uploadId = uploads.create(request.key, {
        contentType: header(request, 'content-type') ?? 'binary/octet-stream',
        userMetadata: userMetadataOf(request),
      });
      request.res.writeHead(200, {
        ...request.cors,
        'content-type': 'application/xml',
        'x-amz-request-id': request.requestId,
      });
      request.res.end(
        document(
          'InitiateMultipartUploadResult',
          element('Bucket', request.bucket) + element('Key', request.key) + element('UploadId', uploadId),
        ),
      );
    },

    async uploadPart(request: S3Request): Promise<void> {
      const partNumber = partNumberOf(request);
      const written = await receiveBody(request, store, MAX_PUT_BYTES);
      await uploads.addPart(param(request, 'uploadId')!, request.key, partNumber, written);
      request.res.writeHead(200, {
        ...request.cors,
        'x-amz-request-id': request.requestId,
        etag: quoted(written.md5Hex),
      });
      request.res.end();
    },

    async completeMultipartUpload(request: S3Request): Promise<void> {
      const uploadId = param(request, 'uploadId')!;
      const conditional = onlyIfAbsent(request);
      const xml = parseXmlBody(await readSmallBody(request, XML_BODY_LIMIT), 'CompleteMultipartUpload');
      const listed = childList(xml, 'Part').map((part) => ({
        partNumber: Number(textOf(part, 'PartNumber')),
        etag: textOf(part, 'ETag') ?? '',
      }));
      if (listed.some((p) => !Number.isInteger(p.partNumber)))
        throw new S3Error(
          'MalformedXML',
          'The XML you provided was not well-formed or did not validate against our published schema',
        );
      const completed = await uploads.complete(uploadId, request.key, listed);
      await commitOrRefuse(request, completed.written, completed.meta, conditional);
      await uploads.end(uploadId, request.key);
      request.res.writeHead(200, {
        ...request.cors,
        'content-type': 'application/xml',
        'x-amz-request-id': request.requestId,
      });
      request.res.end(
        document(
          'CompleteMultipartUploadResult',
          element('Bucket', request.bucket) +
            element('Key', request.key) +
            element('ETag', quoted(completed.meta.etag)),
        ),
      );
      deps.created(request, 'ObjectCreated:CompleteMultipartUpload', completed.meta);
    },

    async abortMultipartUpload(request: S3Request): Promise<void> {
      await uploads.end(param(request, 'uploadId')!, request.key);
      request.res.writeHead(204, { ...request.cors, 'x-amz-request-id': request.requestId });
      request.res.end();
    },
  };
}
