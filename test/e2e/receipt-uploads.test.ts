import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { INLINE_TRANSPORT_MAX_BYTES } from '../../model/inline-upload.ts';
import { BAKERY_RECEIPT, drawReceiptJpeg, GALLERY_RECEIPT, HARDWARE_RECEIPT } from '../support/drawn-receipts.ts';
import { jpegOfSize } from '../support/receipt-files.ts';
import { givenReceiptStack } from '../support/receipt-stack.ts';
import { eventually, givenSignedInUser, graphql, type SignedInUser } from './steps.ts';

/**
 * Getting a receipt's bytes in, with plain fetch against the stack `npm start` runs: the size
 * limits of both paths with real files, S3's checks of a presigned PUT (signed headers, expiry,
 * the URL itself) and the CORS preflight a browser sends before it, all answered the way AWS
 * answers them. Reading receipts is not under test here, so the local Textract answers from a
 * scripted page instead of loading PaddleOCR (test/e2e/receipts.test.ts runs the real one).
 */
const TERMINAL = ['PROCESSED', 'NEEDS_REVIEW', 'FAILED'];
const BROWSER_ORIGIN = 'http://localhost:5173';
const UPLOAD =
  'mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id owner status } uploadUrl uploadHeaders } }';
const INLINE = 'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id status contentType size } }';
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let s3: S3Client;

const call = (query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, ada.accessToken);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const receiptCount = async () =>
  (await call('query { listReceipts(limit: 100) { items { id } } }')).body.data.listReceipts.items.length as number;
const statusOf = async (id: string) =>
  (await call('query ($id: ID!) { receipt(id: $id) { status error } }', { id })).body.data.receipt as {
    status: string;
    error: string | null;
  };

async function objectExists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: stack.config.receiptsBucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenReceiptStack('uploads'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  await call(
    'mutation { updateProfile(input: { homeCurrency: "MYR", dateOrder: DMY, timezone: "Asia/Kuala_Lumpur" }) { id } }',
  );
  s3 = new S3Client({
    region: stack.config.region,
    endpoint: stack.urls.s3,
    forcePathStyle: true,
    credentials: stack.config.credentials,
  });
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

describe('receipt sizes', () => {
  it('given a 30 MB JPEG, when a presigned upload is asked for, then LimitExceeded with the limit; when sent inline, then a typed LimitExceeded (413), never a parse error; nothing is stored', async () => {
    const huge = jpegOfSize(await drawReceiptJpeg(GALLERY_RECEIPT), 30 * 1024 * 1024);
    const before = await receiptCount();

    const presigned = await call(UPLOAD, {
      input: { contentType: 'image/jpeg', size: huge.length, sha256: sha256(huge) },
    });
    expect(presigned.body.errors?.[0]).toMatchObject({
      errorType: 'LimitExceeded',
      errorInfo: { field: 'size', limit: 10 * 1024 * 1024, size: huge.length },
    });

    const inline = await call(INLINE, { input: { image: huge.toString('base64') } });
    expect(inline.status).toBe(413);
    expect(inline.errorType).toBe('LimitExceeded');
    expect(inline.body.errors?.[0]).toMatchObject({
      errorType: 'LimitExceeded',
      errorInfo: { uploadWith: 'createReceiptUpload' },
    });
    expect(inline.body.errors?.[0].message).not.toMatch(/parse/i);
    expect(await receiptCount()).toBe(before);
  });

  it('given a JPEG just over the inline limit, when sent inline, then LimitExceeded gives the limit and points at createReceiptUpload, which takes it', async () => {
    const over = jpegOfSize(await drawReceiptJpeg(GALLERY_RECEIPT), INLINE_TRANSPORT_MAX_BYTES + 30_000);
    const inline = await call(INLINE, { input: { image: over.toString('base64') } });
    expect(inline.status).toBe(200);
    expect(inline.body.errors?.[0]).toMatchObject({
      errorType: 'LimitExceeded',
      errorInfo: { field: 'image', limit: INLINE_TRANSPORT_MAX_BYTES, uploadWith: 'createReceiptUpload' },
    });

    const presigned = await call(UPLOAD, {
      input: { contentType: 'image/jpeg', size: over.length, sha256: sha256(over) },
    });
    expect(presigned.body.errors).toBeUndefined();
    expect(presigned.body.data.createReceiptUpload.receipt.status).toBe('PENDING_UPLOAD');
  });

  it('given a 2.3 MB phone photo (metadata and all), when sent inline, then it is taken and stored as sent', async () => {
    const photo = jpegOfSize(await drawReceiptJpeg(GALLERY_RECEIPT), 2_300_000);
    const uploaded = await call(INLINE, { input: { image: photo.toString('base64'), fileName: 'photo.jpg' } });
    expect(uploaded.body.errors).toBeUndefined();
    const receipt = uploaded.body.data.uploadReceipt;
    expect(receipt).toMatchObject({ contentType: 'image/jpeg', size: photo.length });
    // Stored: its S3 event may already have started OCR.
    expect(['UPLOADED', 'PROCESSING', 'PROCESSED']).toContain(receipt.status);
    const owner = (await call('query ($id: ID!) { receipt(id: $id) { owner } }', { id: receipt.id })).body.data.receipt
      .owner;
    const stored = await s3.send(
      new HeadObjectCommand({ Bucket: stack.config.receiptsBucket, Key: `receipts/${owner}/${receipt.id}.jpg` }),
    );
    expect(stored.ContentLength).toBe(photo.length);
  });
});

describe('presigned PUT, as S3 checks it', () => {
  it('given a presigned upload, when the PUT has another content type, another length, an edited URL or an expired signature, then 403 in S3 XML and nothing is stored; the right PUT from a browser is taken and processed', async () => {
    const image = await drawReceiptJpeg(HARDWARE_RECEIPT);
    const upload = await call(UPLOAD, {
      input: { contentType: 'image/jpeg', size: image.length, sha256: sha256(image), fileName: 'hardware.jpg' },
    });
    expect(upload.body.errors).toBeUndefined();
    const { receipt, uploadUrl } = upload.body.data.createReceiptUpload;
    const headers = JSON.parse(upload.body.data.createReceiptUpload.uploadHeaders) as Record<string, string>;
    const key = `receipts/${receipt.owner}/${receipt.id}.jpg`;
    const put = async (url: string, body: Buffer, extra: Record<string, string> = {}) => {
      const response = await fetch(url, { method: 'PUT', headers: { ...headers, ...extra }, body });
      return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
    };
    const code = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

    const wrongType = await put(uploadUrl, image, { 'content-type': 'image/png' });
    expect(wrongType).toMatchObject({ status: 403, type: 'application/xml' });
    expect(code(wrongType.body)).toBe('SignatureDoesNotMatch');
    expect(code((await put(uploadUrl, image.subarray(0, image.length - 100))).body)).toBe('SignatureDoesNotMatch');
    const tooBig = await put(uploadUrl, Buffer.concat([image, Buffer.alloc(208 * 1024)]));
    expect([tooBig.status, code(tooBig.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    const otherKey = await put(uploadUrl.replace(receipt.id, '01JZZZZZZZZZZZZZZZZZZZZZZZ'), image);
    expect([otherKey.status, code(otherKey.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    const longer = await put(uploadUrl.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'), image);
    expect([longer.status, code(longer.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    // The same PUT signed 20 minutes ago for 15 minutes.
    const signableHeaders = new Set(['content-type', 'content-length', 'x-amz-checksum-sha256']);
    const expiredUrl = await getSignedUrl(
      s3,
      new PutObjectCommand({
        Bucket: stack.config.receiptsBucket,
        Key: key,
        ContentType: 'image/jpeg',
        ContentLength: image.length,
        ChecksumSHA256: headers['x-amz-checksum-sha256'],
      }),
      {
        expiresIn: 900,
        signingDate: new Date(Date.now() - 20 * 60 * 1000),
        signableHeaders,
        unhoistableHeaders: signableHeaders,
      },
    );
    const expired = await put(expiredUrl, image);
    expect([expired.status, code(expired.body)]).toEqual([403, 'AccessDenied']);
    expect(expired.body).toContain('<Message>Request has expired</Message>');
    expect(await objectExists(key)).toBe(false);
    expect((await statusOf(receipt.id)).status).toBe('PENDING_UPLOAD');

    // As a browser sends it: the answer lets the page read the ETag.
    const right = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { ...headers, origin: BROWSER_ORIGIN },
      body: image,
    });
    expect(right.status).toBe(200);
    expect(right.headers.get('access-control-allow-origin')).toBe('*');
    expect(right.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(right.headers.get('etag')).toBeTruthy();
    expect(await objectExists(key)).toBe(true);
    // The S3 event hands it to the OCR function, which reads it into an expense.
    const done = await eventually(
      () => statusOf(receipt.id),
      (r) => TERMINAL.includes(r.status),
      15_000,
    );
    expect(done).toEqual({ status: 'PROCESSED', error: null });
  });

  it('given a receipt uploaded presigned without a hash and read, when its URL is used again before it expires with other bytes of the same type and length, then 412 PreconditionFailed and the image read stays', async () => {
    const image = await drawReceiptJpeg(BAKERY_RECEIPT, { scale: 1.5 });
    const upload = await call(UPLOAD, { input: { contentType: 'image/jpeg', size: image.length } });
    const { receipt, uploadUrl, uploadHeaders } = upload.body.data.createReceiptUpload;
    const headers = JSON.parse(uploadHeaders) as Record<string, string>;
    expect((await fetch(uploadUrl, { method: 'PUT', headers, body: image })).status).toBe(200);
    await eventually(
      () => statusOf(receipt.id),
      (r) => TERMINAL.includes(r.status),
      15_000,
    );
    const forged = Buffer.alloc(image.length, 0x41);
    const again = await fetch(uploadUrl, { method: 'PUT', headers, body: forged });
    expect(again.status).toBe(412);
    expect(await again.text()).toContain('<Code>PreconditionFailed</Code>');
    // Without the signed condition the URL is refused outright.
    const { ['if-none-match']: _dropped, ...withoutCondition } = headers;
    const unconditional = await fetch(uploadUrl, { method: 'PUT', headers: withoutCondition, body: forged });
    expect(unconditional.status).toBe(403);
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: stack.config.receiptsBucket, Key: `receipts/${receipt.owner}/${receipt.id}.jpg` }),
    );
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(image)).toBe(true);
  });

  it('given a browser on another origin, when it preflights the PUT with the signed headers, then the bucket rule allows it; a method the rule lacks is refused', async () => {
    const image = await drawReceiptJpeg(BAKERY_RECEIPT);
    const upload = await call(UPLOAD, {
      input: { contentType: 'image/jpeg', size: image.length, sha256: sha256(image) },
    });
    const { uploadUrl } = upload.body.data.createReceiptUpload;

    const preflight = await fetch(uploadUrl, {
      method: 'OPTIONS',
      headers: {
        origin: BROWSER_ORIGIN,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,x-amz-checksum-sha256',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')?.split(', ')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-checksum-sha256');
    expect(preflight.headers.get('access-control-max-age')).toBe('3000');

    const refused = await fetch(uploadUrl, {
      method: 'OPTIONS',
      headers: { origin: BROWSER_ORIGIN, 'access-control-request-method': 'DELETE' },
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>AccessForbidden</Code>');
  });
});
