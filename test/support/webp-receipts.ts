import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { eventually, graphql, type SignedInUser } from '../e2e/steps.ts';
import type { ReceiptStack } from './receipt-stack.ts';

/**
 * WebP receipts on a receipt stack (test/support/receipt-stack.ts), through the public API:
 * the given / when / then steps that the format tests on the source functions and on their
 * deployed bundles (test/infra/parity.test.ts) share.
 */
export const RECEIPT_FIELDS = 'id owner status contentType originalContentType size sha256 error expense { amount }';

export function receiptApi(receipts: ReceiptStack, user: SignedInUser) {
  const call = (query: string, variables: Record<string, unknown> = {}) =>
    graphql(receipts.stack.urls.graphql, query, variables, user.accessToken);
  const s3 = new S3Client({
    region: receipts.stack.config.region,
    endpoint: receipts.stack.urls.s3,
    forcePathStyle: true,
    credentials: receipts.stack.config.credentials,
  });
  return {
    call,
    /** When the user sends the file inline (base64). */
    async whenUploadedInline(file: Buffer, fileName: string) {
      const answer = await call(
        `mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { ${RECEIPT_FIELDS} } }`,
        { input: { image: file.toString('base64'), fileName } },
      );
      expect(answer.body.errors).toBeUndefined();
      return answer.body.data.uploadReceipt;
    },
    /** When the user asks for a presigned URL (declaring type, size and hash) and PUTs the file to it with plain fetch. */
    async whenUploadedPresigned(file: Buffer, contentType: string) {
      const sha256 = createHash('sha256').update(file).digest('hex');
      const answer = await call(
        `mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { ${RECEIPT_FIELDS} } uploadUrl uploadHeaders } }`,
        {
          input: { contentType, size: file.length, sha256 },
        },
      );
      expect(answer.body.errors).toBeUndefined();
      const { receipt, uploadUrl, uploadHeaders } = answer.body.data.createReceiptUpload;
      expect((await fetch(uploadUrl, { method: 'PUT', headers: JSON.parse(uploadHeaders), body: file })).status).toBe(
        200,
      );
      return receipt;
    },
    /** Then, once OCR is done with it: the receipt as its owner reads it. */
    async thenRead(id: string) {
      return eventually(
        async () =>
          (await call(`query ($id: ID!) { receipt(id: $id) { ${RECEIPT_FIELDS} } }`, { id })).body.data.receipt,
        (receipt) => ['PROCESSED', 'NEEDS_REVIEW', 'FAILED'].includes(receipt.status),
        15_000,
      );
    },
    /** The stored image of a receipt. */
    async objectOf(receipt: { owner: string; id: string }, extension: string) {
      const object = await s3.send(
        new GetObjectCommand({
          Bucket: receipts.stack.config.receiptsBucket,
          Key: `receipts/${receipt.owner}/${receipt.id}.${extension}`,
        }),
      );
      return { contentType: object.ContentType, bytes: Buffer.from(await object.Body!.transformToByteArray()) };
    },
  };
}
