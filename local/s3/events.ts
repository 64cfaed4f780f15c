import type { S3Event } from 'aws-lambda';

/**
 * Object-created notifications in the shape S3 sends them (event version 2.1): the key
 * URL-encoded with '+' for spaces, the ETag without quotes, a sequencer that grows with
 * every event. https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export type ObjectCreatedEventName = 'ObjectCreated:Put' | 'ObjectCreated:CompleteMultipartUpload';

/** How S3 writes keys into event notifications: URL-encoded, '+' for spaces, '/' kept. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/gi, '/');
}

let lastSequencer = 0n;

/** Hex, increasing for every event of this process and across restarts (it starts from the clock). */
function nextSequencer(): string {
  const now = BigInt(Date.now()) << 16n;
  lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(16, '0');
}

export function objectCreatedEvent(input: {
  eventName: ObjectCreatedEventName;
  region: string;
  bucket: string;
  key: string;
  size: number;
  etag: string;
  sourceIp: string;
  requestId: string;
  principalId: string;
}): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: input.region,
        eventTime: new Date().toISOString(),
        eventName: input.eventName,
        userIdentity: { principalId: input.principalId },
        requestParameters: { sourceIPAddress: input.sourceIp },
        responseElements: { 'x-amz-request-id': input.requestId, 'x-amz-id-2': input.requestId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'ReceiptUploaded',
          bucket: {
            name: input.bucket,
            ownerIdentity: { principalId: input.principalId },
            arn: `arn:aws:s3:::${input.bucket}`,
          },
          object: {
            key: encodeS3EventKey(input.key),
            size: input.size,
            eTag: input.etag,
            sequencer: nextSequencer(),
          },
        },
      },
    ],
  };
}
