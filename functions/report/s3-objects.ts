import { GetObjectCommand, ListObjectsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ReportDeps } from './core.ts';

/** S3's smallest multipart part: the most an export holds in memory while it streams (one queue slot). */
const PART_BYTES = 5 * 1024 * 1024;

/** Exports, kept reports and presigned links in the receipts bucket. */
export function createReportObjects(s3: S3Client, bucket: string): ReportDeps['objects'] {
  return {
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async upload(key, body, contentType) {
      // lib-storage buffers at most queueSize × partSize: one PutObject for a small body, a
      // multipart upload past one part; a failed multipart upload is aborted, not left behind.
      await new Upload({
        client: s3,
        params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
        queueSize: 1,
        partSize: PART_BYTES,
        leavePartsOnError: false,
      }).done();
    },
    presignGet: (key, seconds) =>
      getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: seconds }),
    async list(prefix, limit, startAfter) {
      // ListObjects' Marker is "list after this key", what a page needs, with no continuation
      // token to carry. The S3 docs: with no NextMarker (no delimiter), the last key of a
      // truncated page is the next page's marker.
      const out = await s3.send(
        new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: limit, Marker: startAfter ?? undefined }),
      );
      return {
        items: (out.Contents ?? []).map((o) => ({ key: o.Key!, lastModified: o.LastModified ?? new Date(0) })),
        truncated: out.IsTruncated === true,
      };
    },
  };
}
