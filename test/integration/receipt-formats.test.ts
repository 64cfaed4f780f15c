import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { givenSignedInUser } from '../e2e/steps.ts';
import { givenReceiptStack, type ReceiptStack } from '../support/receipt-stack.ts';
import { givenHeicReceipt, givenHeicWithoutImage, pngOfHeic } from '../support/heic-files.ts';
import { givenWebpReceipt, meanDifference } from '../support/webp-files.ts';
import { receiptApi } from '../support/webp-receipts.ts';

/**
 * Formats beyond JPEG, PNG and PDF, on the local stack: a WebP sent inline is stored as JPEG,
 * one uploaded presigned is stored as sent and read through the same conversion; both are
 * read by the OCR function like any photo. A HEIC (an iPhone photo) goes the same two ways.
 */
let receipts: ReceiptStack;
let api: ReturnType<typeof receiptApi>;
const call = (query: string, variables: Record<string, unknown> = {}) => api.call(query, variables);
const INLINE =
  'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id owner contentType originalContentType size } }';

beforeAll(async () => {
  receipts = await givenReceiptStack('formats');
  api = receiptApi(receipts, await givenSignedInUser(receipts.stack, 'ada@example.com'));
});

afterAll(async () => {
  await receipts?.stop();
});

describe('receipt formats', () => {
  it('given a WebP photo, when uploaded inline, then a JPEG of it is stored, the original type is kept, and it is processed into an expense', async () => {
    const webp = await givenWebpReceipt(120, 90);

    const receipt = await api.whenUploadedInline(webp, 'receipt.webp');

    expect(receipt).toMatchObject({ contentType: 'image/jpeg', originalContentType: 'image/webp' });
    const stored = await api.objectOf(receipt, 'jpg');
    expect(stored.contentType).toBe('image/jpeg');
    expect(stored.bytes.length).toBe(receipt.size);
    expect(await sharp(stored.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 120, height: 90 });
    expect(await meanDifference(stored.bytes, webp)).toBeLessThan(3);
    expect(await api.thenRead(receipt.id)).toMatchObject({ status: 'PROCESSED', expense: { amount: 8500 } });
  });

  it('given a WebP photo, when uploaded through a presigned URL, then it is stored as sent, Textract is given a JPEG of it, and it is processed into an expense', async () => {
    const webp = await givenWebpReceipt(90, 160);
    const read = receipts.documents.length;

    const receipt = await api.whenUploadedPresigned(webp, 'image/webp');

    expect(await api.thenRead(receipt.id)).toMatchObject({
      status: 'PROCESSED',
      contentType: 'image/webp',
      originalContentType: null,
      size: webp.length,
      expense: { amount: 8500 },
    });
    expect((await api.objectOf(receipt, 'webp')).bytes.equals(webp)).toBe(true);
    const [document] = receipts.documents.slice(read);
    expect(await sharp(document).metadata()).toMatchObject({ format: 'jpeg', width: 90, height: 160 });
    expect(await meanDifference(document, webp)).toBeLessThan(3);
  });

  it('given a WebP uploaded inline, when the same file is offered presigned, then DuplicateReceipt names the first receipt', async () => {
    const webp = await givenWebpReceipt(100, 100);
    const first = await api.whenUploadedInline(webp, 'receipt.webp');

    const again = await call(
      'mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id } } }',
      {
        input: {
          contentType: 'image/webp',
          size: webp.length,
          sha256: createHash('sha256').update(webp).digest('hex'),
        },
      },
    );

    expect(again.body.errors?.[0]).toMatchObject({ errorType: 'DuplicateReceipt', errorInfo: { receiptId: first.id } });
  });

  it('given a HEIC photo, when uploaded inline, then a JPEG of it is stored, the original type is kept, and it is processed into an expense', async () => {
    const heic = givenHeicReceipt();

    const receipt = await api.whenUploadedInline(heic, 'IMG_0001.HEIC');

    expect(receipt).toMatchObject({ contentType: 'image/jpeg', originalContentType: 'image/heic' });
    const stored = await api.objectOf(receipt, 'jpg');
    expect(await sharp(stored.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 608 });
    expect(await meanDifference(stored.bytes, await pngOfHeic(heic))).toBeLessThan(3);
    expect(await api.thenRead(receipt.id)).toMatchObject({ status: 'PROCESSED', expense: { amount: 8500 } });
  });

  it('given a HEIC photo, when uploaded through a presigned URL, then it is stored as sent and Textract is given a JPEG of it', async () => {
    const heic = givenHeicReceipt();
    // Another user: the same photo is already Ada's (inline, above).
    const grace = receiptApi(receipts, await givenSignedInUser(receipts.stack, 'grace@example.com'));
    const read = receipts.documents.length;

    const receipt = await grace.whenUploadedPresigned(heic, 'image/heic');

    expect(await grace.thenRead(receipt.id)).toMatchObject({
      status: 'PROCESSED',
      contentType: 'image/heic',
      originalContentType: null,
      size: heic.length,
    });
    expect((await grace.objectOf(receipt, 'heic')).bytes.equals(heic)).toBe(true);
    const [document] = receipts.documents.slice(read);
    expect(await meanDifference(document, await pngOfHeic(heic))).toBeLessThan(3);
  });

  it('given a file that opens as HEIC but holds no image, when uploaded inline, then ValidationError names the detected type; nothing is stored', async () => {
    const before = (await call('query { listReceipts(limit: 100) { items { id } } }')).body.data.listReceipts.items
      .length;

    const uploaded = await call(INLINE, {
      input: { image: givenHeicWithoutImage().toString('base64'), fileName: 'IMG_0002.HEIC' },
    });

    expect(uploaded.body.errors?.[0]).toMatchObject({
      errorType: 'ValidationError',
      errorInfo: { field: 'image', reason: 'undecodable', detectedType: 'image/heic' },
    });
    expect(uploaded.body.errors?.[0].message).toMatch(/^The image\/heic image cannot be decoded: libheif/);
    expect(
      (await call('query { listReceipts(limit: 100) { items { id } } }')).body.data.listReceipts.items,
    ).toHaveLength(before);
  });
});
