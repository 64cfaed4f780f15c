import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import type { ObjectVersion, UserObjects } from './ports.ts';

/** S3's smallest multipart part: the most an archive holds in memory while it streams. */
const PART_BYTES = 5 * 1024 * 1024;
// An S3 that keeps no versions (the local stand-in) answers the `?versions` listing with 405 or 501.
const UNVERSIONED_STORE_ERRORS = new Set(['NotImplemented', 'MethodNotAllowed']);

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isMissing = (error: unknown) =>
  (error as { name?: string }).name === 'NotFound' ||
  (error as { name?: string }).name === 'NoSuchKey' ||
  statusOf(error) === 404;

/** The user's objects in the receipts bucket. */
export function createUserObjects(s3: S3Client, bucket: string): UserObjects {
  async function* current(prefix: string): AsyncGenerator<Array<{ key: string; size: number }>> {
    // ListObjects' Marker (the last key of a page) continues a listing without a token (see functions/report/s3-objects.ts).
    let marker: string | undefined;
    for (;;) {
      const out = await s3.send(
        new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: marker, MaxKeys: 1000 }),
      );
      const contents = (out.Contents ?? []).map((o) => ({ key: o.Key!, size: o.Size ?? 0 }));
      yield contents;
      if (!out.IsTruncated || !contents.length) return;
      marker = contents.at(-1)!.key;
    }
  }

  return {
    objects: current,

    async *versions(prefix) {
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      for (;;) {
        let out;
        try {
          out = await s3.send(
            new ListObjectVersionsCommand({
              Bucket: bucket,
              Prefix: prefix,
              KeyMarker: keyMarker,
              VersionIdMarker: versionMarker,
            }),
          );
        } catch (error) {
          if (!UNVERSIONED_STORE_ERRORS.has((error as { name?: string }).name ?? '')) throw error;
          for await (const page of current(prefix)) yield page.map(({ key }): ObjectVersion => ({ key }));
          return;
        }
        yield [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v): ObjectVersion => ({
          key: v.Key!,
          ...(v.VersionId ? { versionId: v.VersionId } : {}),
        }));
        if (!out.IsTruncated) return;
        keyMarker = out.NextKeyMarker;
        versionMarker = out.NextVersionIdMarker;
      }
    },

    async deleteVersions(versions) {
      for (let i = 0; i < versions.length; i += 1000) {
        const out = await s3.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: {
              Objects: versions
                .slice(i, i + 1000)
                .map((v) => ({ Key: v.key, ...(v.versionId ? { VersionId: v.versionId } : {}) })),
              Quiet: true,
            },
          }),
        );
        if (out.Errors?.length)
          throw new Error(
            `S3 could not delete ${out.Errors.length} object version(s): ${out.Errors[0].Code} ${out.Errors[0].Message}`,
          );
      }
      return versions.length;
    },

    async read(key) {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body as Readable;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async upload(key, body, contentType) {
      // One PutObject for a small body, multipart past one part; a failed multipart upload is aborted, not left behind.
      await new Upload({
        client: s3,
        params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
        queueSize: 1,
        partSize: PART_BYTES,
        leavePartsOnError: false,
      }).done();
    },

    async size(key) {
      try {
        return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    presignGet: (key, seconds) =>
      getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: seconds }),
  };
}
