import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handler } from '../../local/lambda.ts';
import { PROJECT_ROOT, type LocalStack } from '../../local/stack.ts';
import { givenRunningStack } from '../e2e/steps.ts';

/**
 * The local bucket notifies the OCR function as the deployed one does (infra/constructs/processing.ts):
 * objects created under receipts/ only, not the exports and stored reports beside them.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
const notified: string[] = [];

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('s3-notifications', {
    loadHandler: async (fn) =>
      fn.name === 'ProcessReceiptFn'
        ? ((async (event: unknown) => {
            for (const record of (event as Partial<S3Event>).Records ?? []) notified.push(record.s3.object.key);
            return { processed: 0 };
          }) as Handler)
        : ((await import(pathToFileURL(path.resolve(PROJECT_ROOT, fn.entry)).href)) as { handler: Handler }).handler,
  }));
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

describe('object-created notifications', () => {
  it('given objects written under receipts/, exports/ and reports/, then only the receipt reaches the OCR function', async () => {
    const s3 = new S3Client({
      endpoint: stack.urls.s3,
      region: stack.config.region,
      credentials: stack.config.credentials,
      forcePathStyle: true,
    });
    for (const key of ['exports/u1/2026.csv', 'reports/u1/99979868-MONTHLY-2026-11-01.eml', 'receipts/u1/01ABC.jpg']) {
      await s3.send(new PutObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key, Body: 'x' }));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stack.lambda.drain();
    expect(notified).toEqual(['receipts/u1/01ABC.jpg']);
  });
});
