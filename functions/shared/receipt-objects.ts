import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ReceiptObjects } from './receipt-intake.ts';

const UNVERSIONED_STORE_ERRORS = new Set(['NotImplemented', 'MethodNotAllowed']);

export function createS3ReceiptObjects(s3: S3Client, bucket: string): ReceiptObjects {
  return {
    async presignPut({ key, contentType, size, sha256Base64, onlyIfAbsent, expiresInSeconds }) {
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ContentType: contentType,
        ContentLength: size,
        ...(sha256Base64 ? { ChecksumSHA256: sha256Base64 } : {}),
        ...(onlyIfAbsent ? { IfNoneMatch: '*' } : {}),
      });
      // Sign content-type and length (and the checksum, and the condition) so S3 refuses any other PUT.
      const signableHeaders = new Set([
        'content-type',
        'content-length',
        ...(sha256Base64 ? ['x-amz-checksum-sha256'] : []),
        ...(onlyIfAbsent ? ['if-none-match'] : []),
      ]);
      return getSignedUrl(s3, command, {
        expiresIn: expiresInSeconds,
        signableHeaders,
        unhoistableHeaders: signableHeaders,
      });
    },

    async presignGet(key, expiresInSeconds) {
      return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
    },

    async put({ key, bytes, contentType, sha256Base64 }) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: bytes,
          ContentType: contentType,
          ChecksumSHA256: sha256Base64,
        }),
      );
    },

    async exists(key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if (
          (error as { name?: string }).name === 'NotFound' ||
          (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
        )
          return false;
        throw error;
      }
    },

    async deleteAllVersions(key) {
      // The bucket is versioned on AWS: deleting only the current version would keep the image.
      let versions: Array<{ Key: string; VersionId?: string }> = [];
      try {
        const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
        versions = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]
          .filter((v) => v.Key === key)
          .map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
      } catch (error) {
        // An S3-compatible store without versioning support has just the one object: some answer
        // the `?versions` listing with 405 MethodNotAllowed, others with 501 NotImplemented.
        if (!UNVERSIONED_STORE_ERRORS.has((error as { name?: string }).name ?? '')) throw error;
      }
      if (versions.length === 0) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        return;
      }
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: versions, Quiet: true } }));
    },
  };
}
