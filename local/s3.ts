import path from 'node:path';
import { createRequire } from 'node:module';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import S3rver from 's3rver';

/**
 * The S3 stand-in: s3rver on 127.0.0.1, objects stored under `DATA_DIR/s3`. The receipts
 * bucket is created at start (idempotent), with CORS open so the console can PUT to a
 * presigned URL. Object-created events reach `onObjectCreated` in the real S3 event shape.
 */
export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  dataDir: string;
  bucket: string;
  region: string;
  /** The key pair SDK clients sign with; s3rver verifies signatures against it. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  onObjectCreated: (event: S3Event) => void;
  host?: string;
}

const OPEN_CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>`;

/** How S3 writes keys into event notifications: URL-encoded, '+' for spaces, '/' kept. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/gi, '/');
}

/** s3rver's event, corrected to what S3 really sends (encoded key, valid ARN, region). */
export function toS3Event(raw: S3Event, region: string): S3Event {
  return {
    Records: raw.Records.map(
      (r): S3EventRecord => ({
        ...r,
        awsRegion: region,
        s3: {
          ...r.s3,
          configurationId: 'ReceiptUploaded',
          bucket: { ...r.s3.bucket, arn: `arn:aws:s3:::${r.s3.bucket.name}` },
          object: { ...r.s3.object, key: encodeS3EventKey(r.s3.object.key) },
        },
      }),
    ),
  };
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const host = options.host ?? '127.0.0.1';
  // s3rver checks signatures against its own account registry: register the local key pair.
  const require = createRequire(import.meta.url);
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  DUMMY_ACCOUNT.createKeyPair(options.credentials.accessKeyId, options.credentials.secretAccessKey);
  const server = new S3rver({
    address: host,
    port: 0,
    directory: path.join(options.dataDir, 's3'),
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [OPEN_CORS] }],
  });
  server.on('event', (raw: S3Event) => {
    if (raw.Records.every((r) => r.eventName.startsWith('ObjectCreated:'))) options.onObjectCreated(toS3Event(raw, options.region));
  });
  const address = await server.run();
  return {
    endpoint: `http://${host}:${address.port}`,
    stop: () => server.close(),
  };
}
