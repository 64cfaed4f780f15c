import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, givenSignedInUser, graphql, type SignedInUser } from '../e2e/steps.ts';
import { givenReceiptStack, type ReceiptStack } from '../support/receipt-stack.ts';

/**
 * Formats the inline path takes beyond JPEG, PNG and PDF, on the local stack: a WebP is
 * stored as JPEG and read by the OCR function like any photo; a HEIC is refused up front,
 * saying what it is.
 */
let receipts: ReceiptStack;
let ada: SignedInUser;

const call = (query: string, variables: Record<string, unknown> = {}) => graphql(receipts.stack.urls.graphql, query, variables, ada.accessToken);
const INLINE = 'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id owner contentType originalContentType size } }';

beforeAll(async () => {
  receipts = await givenReceiptStack('formats');
  ada = await givenSignedInUser(receipts.stack, 'ada@example.com');
});

afterAll(async () => {
  await receipts?.stop();
});

describe('receipt formats', () => {
  it('given a WebP photo, when uploaded inline, then a JPEG is stored, the original type is kept, and it is processed into an expense', async () => {
    const webp = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#eee' } }).webp({ quality: 80 }).toBuffer();

    const uploaded = await call(INLINE, { input: { image: webp.toString('base64'), fileName: 'receipt.webp' } });

    expect(uploaded.body.errors).toBeUndefined();
    const receipt = uploaded.body.data.uploadReceipt;
    expect(receipt).toMatchObject({ contentType: 'image/jpeg', originalContentType: 'image/webp' });
    const s3 = new S3Client({ region: receipts.stack.config.region, endpoint: receipts.stack.urls.s3, forcePathStyle: true, credentials: receipts.stack.config.credentials });
    const object = await s3.send(new GetObjectCommand({ Bucket: receipts.stack.config.receiptsBucket, Key: `receipts/${receipt.owner}/${receipt.id}.jpg` }));
    const stored = Buffer.from(await object.Body!.transformToByteArray());
    expect(object.ContentType).toBe('image/jpeg');
    expect(stored.length).toBe(receipt.size);
    expect(await sharp(stored).metadata()).toMatchObject({ format: 'jpeg', width: 120, height: 90 });
    const done = await eventually(
      async () => (await call('query ($id: ID!) { receipt(id: $id) { status expense { amount } } }', { id: receipt.id })).body.data.receipt,
      (r) => r.status !== 'UPLOADED' && r.status !== 'PROCESSING',
      10_000,
    );
    expect(done).toEqual({ status: 'PROCESSED', expense: { amount: 8500 } });
  });

  it('given a HEIC photo, when uploaded inline, then ValidationError names the detected type and says how to fix it; nothing is stored', async () => {
    // The ISO-BMFF header an iPhone photo starts with: an ftyp box of brand heic.
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic'), Buffer.alloc(2048, 7)]);
    const before = (await call('query { listReceipts(limit: 100) { items { id } } }')).body.data.listReceipts.items.length;

    const uploaded = await call(INLINE, { input: { image: heic.toString('base64'), fileName: 'IMG_0001.HEIC' } });

    expect(uploaded.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'image', reason: 'unsupportedType', detectedType: 'image/heic' } });
    expect(uploaded.body.errors?.[0].message).toMatch(/JPEG/);
    expect((await call('query { listReceipts(limit: 100) { items { id } } }')).body.data.listReceipts.items).toHaveLength(before);
  });
});
