import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { ObjectMeta, ObjectStore, WrittenBody } from './object-store.ts';
import { S3Error } from './xml.ts';

/**
 * Multipart uploads as S3 runs them for lib-storage's `Upload`: create, parts (1..10,000,
 * each but the last at least 5 MiB), complete with the parts' numbers and ETags in order,
 * or abort. The object appears only at completion, with S3's multipart ETag (the MD5 of the
 * parts' MD5s, a dash and the count). Uploads are kept in memory: one left open by a process
 * that died is gone, as a lifecycle rule would abort it.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;

interface Upload {
  key: string;
  meta: Pick<ObjectMeta, 'contentType' | 'userMetadata'>;
  parts: Map<number, WrittenBody>;
}

export interface CompletedUpload {
  written: WrittenBody;
  meta: ObjectMeta;
}

const noSuchUpload = () =>
  new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  );

export function createMultipartUploads(store: ObjectStore) {
  const uploads = new Map<string, Upload>();

  const uploadOf = (uploadId: string, key: string) => {
    const upload = uploads.get(uploadId);
    if (!upload || upload.key !== key) throw noSuchUpload();
    return upload;
  };

  return {
    create(key: string, meta: Upload['meta']): string {
      const uploadId = randomBytes(24).toString('base64url');
      uploads.set(uploadId, { key, meta, parts: new Map() });
      return uploadId;
    },

    async addPart(uploadId: string, key: string, partNumber: number, written: WrittenBody): Promise<void> {
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) {
        await store.discard(written);
        throw noSuchUpload();
      }
      const previous = upload.parts.get(partNumber);
      upload.parts.set(partNumber, written);
      if (previous) await store.discard(previous);
    },

    /** The parts joined into one received body, checked against the list the client sent. */
    async complete(uploadId: string, key: string, listed: Array<{ partNumber: number; etag: string }>) {
      const upload = uploadOf(uploadId, key);
      if (!listed.length)
        throw new S3Error(
          'MalformedXML',
          'The XML you provided was not well-formed or did not validate against our published schema',
        );
      const parts: WrittenBody[] = [];
      for (const [index, { partNumber, etag }] of listed.entries()) {
        if (index > 0 && partNumber <= listed[index - 1].partNumber)
          throw new S3Error(
            'InvalidPartOrder',
            'The list of parts was not in ascending order. Parts must be ordered by part number.',
          );
        const part = upload.parts.get(partNumber);
        if (!part || part.md5Hex !== etag.replace(/"/g, ''))
          throw new S3Error(
            'InvalidPart',
            "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
            { UploadId: uploadId, PartNumber: String(partNumber), ETag: etag },
          );
        if (index < listed.length - 1 && part.size < MIN_PART_BYTES)
          throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
            ProposedSize: String(part.size),
            MinSizeAllowed: String(MIN_PART_BYTES),
            PartNumber: String(partNumber),
            ETag: etag,
          });
        parts.push(part);
      }
      const written = await store.receive(
        (async function* () {
          for (const part of parts) yield* createReadStream(part.file) as AsyncIterable<Buffer>;
        })(),
        Number.MAX_SAFE_INTEGER,
      );
      const etag = `${createHash('md5')
        .update(Buffer.concat(parts.map((p) => Buffer.from(p.md5Hex, 'hex'))))
        .digest('hex')}-${parts.length}`;
      return {
        written,
        meta: {
          key,
          size: written.size,
          etag,
          lastModified: new Date().toISOString(),
          ...upload.meta,
        },
      } satisfies CompletedUpload;
    },

    /** Forgets the upload and its parts (after completion or on abort). */
    async end(uploadId: string, key: string): Promise<void> {
      const upload = uploadOf(uploadId, key);
      uploads.delete(uploadId);
      await Promise.all([...upload.parts.values()].map((part) => rm(part.file, { force: true })));
    },

    async endAll(): Promise<void> {
      for (const [uploadId, upload] of [...uploads]) await this.end(uploadId, upload.key);
    },
  };
}

export type MultipartUploads = ReturnType<typeof createMultipartUploads>;
