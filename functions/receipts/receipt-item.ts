import type { Receipt, ReceiptStatus } from '../../generated/graphql.ts';

/** A Receipts table item (keys snake_case as in infra/tables.ts, the rest as in the schema). */
export interface ReceiptItem {
  user_id: string;
  receipt_id: string;
  status: ReceiptStatus;
  status_key: string;
  s3Key: string;
  contentType: string;
  size: number;
  /** Of the bytes stored. */
  sha256?: string | null;
  /** Set when the upload was converted (a WebP stored as JPEG): what it was uploaded as. */
  originalContentType?: string | null;
  /** Of the file as uploaded, when converted: the duplicate claim is on it. */
  originalSha256?: string | null;
  fileName?: string | null;
  extraction?: Receipt['extraction'];
  expenseId?: string | null;
  possibleDuplicateOf?: string | null;
  error?: string | null;
  /** Set (to IN_FLIGHT) only while waiting for or in OCR: the sparse inflight-index. */
  inflight?: string;
  leaseId?: string | null;
  /** Id of the API request that created the receipt: OCR logs carry it too (one id per upload). */
  correlationId?: string | null;
  leaseUntil?: number | null;
  createdAt: string;
  updatedAt: string;
}

export const IN_FLIGHT = 'Y';

export function statusKeyOf(status: ReceiptStatus, receiptId: string): string {
  return `${status}#${receiptId}`;
}

/** Where receipt images live in the bucket: IAM grants, lifecycle rules and the OCR notification are scoped to it. */
export const RECEIPT_KEY_PREFIX = 'receipts/';

/** `receipts/<owner>/<receiptId>.<ext>`: the owner's prefix, so IAM and lifecycle rules can scope it. */
export function receiptObjectKey(owner: string, receiptId: string, extension: string): string {
  return `${RECEIPT_KEY_PREFIX}${owner}/${receiptId}.${extension}`;
}

/** The inverse of receiptObjectKey; null for any other key (S3 events for other objects are ignored). */
export function parseReceiptObjectKey(key: string): { owner: string; receiptId: string } | null {
  const match = /^receipts\/([^/]+)\/([0-9A-HJKMNP-TV-Z]{26})\.[a-z]+$/.exec(key);
  return match ? { owner: match[1], receiptId: match[2] } : null;
}

export function toReceipt(item: ReceiptItem): Receipt {
  return {
    id: item.receipt_id,
    owner: item.user_id,
    status: item.status,
    contentType: item.contentType,
    originalContentType: item.originalContentType ?? null,
    size: item.size,
    sha256: item.sha256 ?? null,
    fileName: item.fileName ?? null,
    extraction: item.extraction ?? null,
    expenseId: item.expenseId ?? null,
    possibleDuplicateOf: item.possibleDuplicateOf ?? null,
    error: item.error ?? null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  } as Receipt;
}
