import type { Receipt, ReceiptSource, ReceiptStatus } from '../generated/graphql.ts';

/** A Receipts table item (keys snake_case as in model/tables.ts, the rest as in the schema). */
export type ReceiptItem = {
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
  inflight?: typeof IN_FLIGHT;
  leaseId?: string | null;
  /** How it arrived; absent on receipts from before email intake (uploads). */
  source?: ReceiptSource;
  /** For an emailed receipt: the message it came in, and where the outcome is reported. */
  email?: ReceiptEmailItem | null;
  /** Id of the API request that created the receipt: OCR logs carry it too (one id per upload). */
  correlationId?: string | null;
  leaseUntil?: number | null;
  /** The day the image expires under its owner's retention (the sparse image-expiry-index); absent once it has. */
  image_expires_on?: string;
  /** When the retention sweep deleted the image (the receipt and its expense stay). */
  imageExpiredAt?: string | null;
  /** Counts the changes recorded in its history (model/history.ts); absent on receipts from before history. */
  version?: number;
  /** The entry of the last change (model/history.ts). */
  lastChange?: unknown;
  createdAt: string;
  updatedAt: string;
};

/** The Receipts table's key. */
export type ReceiptKey = Pick<ReceiptItem, 'user_id' | 'receipt_id'>;

/**
 * A Receipt as the API answers it before its own field resolvers run (Receipt.expense and
 * Receipt.imageUrl are resolved on it): what a receipt resolver or ReceiptFn makes of a ReceiptItem.
 */
export type ReceiptObject = Omit<Receipt, '__typename' | 'expense' | 'imageUrl'>;

/** A receipt as the API answers it: the ids renamed, an attribute never written is null. */
export function toReceipt(item: ReceiptItem): ReceiptObject {
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
    source: receiptSourceOf(item),
    email: item.email
      ? { from: item.email.from, subject: item.email.subject ?? null, receivedAt: item.email.receivedAt }
      : null,
    imageExpiresOn: item.image_expires_on ?? null,
    imageExpiredAt: item.imageExpiredAt ?? null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

/** Sparse index of receipts by the day their image expires (model/tables.ts). */
export const IMAGE_EXPIRY_INDEX = 'image-expiry-index';

export const IN_FLIGHT = 'Y';

/** Sort key of user-status-index, `<status>#<receiptId>`: "my receipts in status X, newest first" is one Query. */
export function statusKeyOf(status: ReceiptStatus, receiptId: string): string {
  return `${statusKeyPrefixOf(status)}${receiptId}`;
}

/** What every statusKeyOf of one status begins with. */
export function statusKeyPrefixOf(status: ReceiptStatus): string {
  return `${status}#`;
}

/**
 * A claim of a file's hash: one receipt per identical file of an owner. Claims live in the
 * Receipts table under the partition sha256ClaimPartition(owner), with the hash as receipt_id:
 * keyed on the owner like everything else, and never seen by listReceipts, which queries `<owner>` only.
 */
export type Sha256ClaimItem = {
  user_id: string;
  /** The hex SHA-256 of the file. */
  receipt_id: string;
  /** The receipt that holds the file. */
  firstReceiptId: string;
};

export function sha256ClaimPartition(owner: string): string {
  return `${owner}#sha256`;
}

/** Where receipt images live in the bucket: IAM grants, lifecycle rules and the OCR notification are scoped to it. */
export const RECEIPT_KEY_PREFIX = 'receipts/';

/** `receipts/<owner>/<receiptId>.<ext>`: the owner's prefix, so IAM and lifecycle rules can scope it. */
export function receiptObjectKey(owner: string, receiptId: string, extension: string): string {
  return `${RECEIPT_KEY_PREFIX}${owner}/${receiptId}.${extension}`;
}

/** The message an emailed receipt came in (Receipt.email, plus what the reply needs). */
export interface ReceiptEmailItem {
  from: string;
  subject?: string | null;
  receivedAt: string;
  /** The message's own Message-ID, so the reply threads under it. */
  messageId?: string | null;
}

/** `Receipt.source`: receipts stored before there was a choice were uploads. */
export function receiptSourceOf(item: { source?: ReceiptSource | null }): ReceiptSource {
  return item.source ?? 'UPLOAD';
}

/**
 * Records of the messages forwarded to a user's address (functions/inbound-email) live in the
 * Receipts table under `<owner>#inbound`, keyed by a hash of the message's Message-ID: a message
 * delivered twice is recognised, and never seen by listReceipts, which queries `<owner>` only.
 */
export function inboundMessagesPartition(owner: string): string {
  return `${owner}#inbound`;
}
