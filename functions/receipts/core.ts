import { isItemId } from '../../model/item-ids.ts';
import type { ReceiptUpload } from '../../generated/graphql.ts';
import type { Answer } from '../../model/answers.ts';
import type { ExpenseSnapshot } from '../../model/function-calls.ts';
import { decodedSizeOf, INLINE_TRANSPORT_MAX_BYTES } from '../../model/inline-upload.ts';
import { FieldError } from '../shared/field-call.ts';
import type { ImageConverter } from '../shared/image-conversion.ts';
import { STORED_CONTENT_TYPES, type StoredContentType } from '../shared/receipt-content.ts';
import {
  claimOrResume,
  hexToBase64,
  newReceiptItem,
  recordLastChange,
  storeReceiptFile,
  type ReceiptObjects,
  type ReceiptRepository,
  type UploadDeclaration,
} from '../shared/receipt-intake.ts';
import { changeRecord } from '../../model/history.ts';
import { receiptChange } from '../shared/receipt-history.ts';
import { toReceipt, type ReceiptItem, type ReceiptObject } from '../../model/receipts.ts';

export type { ReceiptObjects, ReceiptRepository };

/** Starts OCR of a stored receipt outside the S3 event (reprocess). */
export interface ProcessingTrigger {
  requestProcessing(owner: string, receiptId: string, key: string): Promise<void>;
}

/** Budgets move when an expense goes away: BudgetFn re-evaluates them, as after any expense delete. */
export interface BudgetEvaluation {
  expenseDeleted(owner: string, expense: ExpenseSnapshot, correlationId?: string | null): Promise<void>;
}

export interface ReceiptDeps {
  repository: ReceiptRepository;
  images: ImageConverter;
  objects: ReceiptObjects;
  processing: ProcessingTrigger;
  budgets: BudgetEvaluation;
  newId: () => string;
  now: () => Date;
  maxBytes: number;
  /** How many days the owner keeps receipt images (model/data-lifecycle.ts receiptRetentionDaysOf): a new receipt's image expiry. */
  retentionDaysOf(owner: string): Promise<number>;
}

const UPLOAD_URL_SECONDS = 900;
const IMAGE_URL_SECONDS = 900;
const MAX_FILE_NAME = 255;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function validation(field: string, message: string, info: Record<string, unknown> = {}): FieldError {
  return new FieldError('ValidationError', message, { field, ...info });
}

function checkFileName(fileName: string | null | undefined): string | null {
  if (fileName == null) return null;
  if (fileName.length === 0 || fileName.length > MAX_FILE_NAME) {
    throw validation('fileName', `fileName must be 1..${MAX_FILE_NAME} characters`, { max: MAX_FILE_NAME });
  }
  return fileName;
}

function tooLarge(field: string, size: number, limit: number): FieldError {
  return new FieldError('LimitExceeded', `The file is ${size} bytes; the limit is ${limit} bytes`, {
    field,
    limit,
    size,
  });
}

/**
 * An inline image fits both the configured receipt limit and what one Lambda invocation can
 * carry (model/inline-upload.ts); a bigger one that the presigned path accepts is
 * pointed there.
 */
function checkInlineSize(size: number, maxBytes: number): void {
  const limit = Math.min(maxBytes, INLINE_TRANSPORT_MAX_BYTES);
  if (size <= limit) return;
  if (size > maxBytes) throw tooLarge('image', size, maxBytes);
  throw new FieldError(
    'LimitExceeded',
    `The image is ${size} bytes; inline uploads take at most ${limit} bytes. Upload it with createReceiptUpload (a presigned S3 PUT, up to ${maxBytes} bytes) instead.`,
    { field: 'image', limit, size, uploadWith: 'createReceiptUpload', uploadLimit: maxBytes },
  );
}

/** The hash a receipt's duplicate claim is on: the file as the user uploaded it. */
function claimedHashOf(item: ReceiptItem): string | null {
  return item.originalSha256 ?? item.sha256 ?? null;
}

export async function createReceiptUpload(
  deps: ReceiptDeps,
  owner: string,
  input: { contentType: string; size: number; sha256?: string | null; fileName?: string | null },
  correlationId?: string | null,
): Promise<Answer<ReceiptUpload>> {
  const contentType = input.contentType?.toLowerCase() as StoredContentType;
  if (!STORED_CONTENT_TYPES.includes(contentType)) {
    // Presigned bytes go to S3 as sent: a WebP or HEIC is converted when it is read.
    throw validation('contentType', `contentType must be one of ${STORED_CONTENT_TYPES.join(', ')}`, {
      allowed: STORED_CONTENT_TYPES,
    });
  }
  if (!Number.isInteger(input.size) || input.size < 1)
    throw validation('size', 'size must be a positive number of bytes', { min: 1 });
  if (input.size > deps.maxBytes) throw tooLarge('size', input.size, deps.maxBytes);
  const sha256 = input.sha256 == null ? null : input.sha256.toLowerCase();
  if (sha256 !== null && !SHA256_HEX.test(sha256)) throw validation('sha256', 'sha256 must be 64 hex characters');
  const fileName = checkFileName(input.fileName);

  const now = deps.now();
  const receiptId = deps.newId();
  const upload: UploadDeclaration = { contentType, size: input.size, sha256, fileName, correlationId };
  let item = sha256 ? await claimOrResume(deps, owner, sha256, receiptId, upload) : null;
  if (item && (item.contentType !== contentType || item.size !== input.size)) {
    throw new FieldError('DuplicateReceipt', `This file was already uploaded as receipt ${item.receipt_id}`, {
      receiptId: item.receipt_id,
      sha256,
    });
  }
  if (!item) {
    item = newReceiptItem(owner, receiptId, upload, now.toISOString(), await deps.retentionDaysOf(owner));
    await deps.repository.putNew(item);
  }
  // Its creation in its history (a resumed upload puts the same entry again, in case that put was lost).
  await recordLastChange(deps.repository, item);
  // A receipt's object is written once: the URL cannot replace an image already uploaded (and
  // read) during its 15 minutes, with or without a declared hash (S3's conditional write).
  const headers: Record<string, string> = { 'content-type': contentType, 'if-none-match': '*' };
  if (sha256) headers['x-amz-checksum-sha256'] = hexToBase64(sha256);
  const uploadUrl = await deps.objects.presignPut({
    key: item.s3Key,
    contentType,
    size: input.size,
    sha256Base64: sha256 ? hexToBase64(sha256) : undefined,
    onlyIfAbsent: true,
    expiresInSeconds: UPLOAD_URL_SECONDS,
  });
  return {
    receipt: toReceipt(item),
    uploadUrl,
    uploadHeaders: JSON.stringify(headers),
    expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  };
}

export function decodeBase64Image(image: string): Buffer {
  const compact = (image ?? '').replace(/\s+/g, '');
  // Accept data URLs, as browsers produce them.
  const payload = compact.startsWith('data:') ? compact.slice(compact.indexOf(',') + 1) : compact;
  if (payload.length % 4 === 1 || !BASE64.test(payload)) throw validation('image', 'image must be base64-encoded');
  return Buffer.from(payload, 'base64');
}

export async function uploadReceipt(
  deps: ReceiptDeps,
  owner: string,
  input: { image: string; fileName?: string | null },
  correlationId?: string | null,
): Promise<ReceiptObject> {
  // Size first, from the encoded length, so a huge payload is refused before it is decoded.
  checkInlineSize(decodedSizeOf((input.image ?? '').length) - 2, deps.maxBytes);
  const file = decodeBase64Image(input.image);
  checkInlineSize(file.length, deps.maxBytes);
  const fileName = checkFileName(input.fileName);
  const stored = await storeReceiptFile(deps, owner, deps.newId(), {
    bytes: file,
    kind: 'document',
    fileName,
    correlationId,
  });
  return toReceipt(stored);
}

async function ownReceipt(deps: ReceiptDeps, owner: string, receiptId: string): Promise<ReceiptItem> {
  // An id no receipt can have is a missing receipt, answered before DynamoDB would refuse the key.
  const item = isItemId(receiptId) ? await deps.repository.get(owner, receiptId) : null;
  if (!item) throw new FieldError('NotFound', `Receipt ${receiptId} not found`, { id: receiptId });
  return item;
}

export async function reprocessReceipt(deps: ReceiptDeps, owner: string, receiptId: string): Promise<ReceiptObject> {
  const item = await ownReceipt(deps, owner, receiptId);
  const now = deps.now();
  // Asked by its owner: back to UPLOADED, what NEEDS_REVIEW or FAILED said gone (OCR's new reading is its next change).
  const change = receiptChange({ action: 'UPDATED', by: owner, path: 'API', now }, item, {
    ...item,
    status: 'UPLOADED',
    error: null,
  });
  const reset = await deps.repository.resetForReprocess(owner, receiptId, now.toISOString(), change);
  if (!reset) {
    throw new FieldError(
      'Conflict',
      `Receipt ${receiptId} is ${item.status}; only a processed, failed or needs-review receipt can be reprocessed`,
      {
        id: receiptId,
        status: item.status,
      },
    );
  }
  await deps.repository.recordChange(owner, change);
  await deps.processing.requestProcessing(owner, receiptId, reset.s3Key);
  return toReceipt(reset);
}

export async function deleteReceipt(
  deps: ReceiptDeps,
  owner: string,
  receiptId: string,
  deleteExpense: boolean,
  correlationId?: string | null,
): Promise<ReceiptObject> {
  const item = await ownReceipt(deps, owner, receiptId);
  // An OCR run holding the receipt would write its expense after the delete: wait for it to finish (or its lease to lapse).
  if (item.status === 'PROCESSING' && (item.leaseUntil ?? 0) > deps.now().getTime()) {
    throw new FieldError('Conflict', `Receipt ${receiptId} is being read right now; delete it once it is processed`, {
      id: receiptId,
      status: item.status,
    });
  }
  // Image first, record last: a crash in between leaves a record to delete again, never an orphaned image.
  await deps.objects.deleteAllVersions(item.s3Key);
  if (item.expenseId && deleteExpense) {
    const deleted = await deps.repository.deleteExpense(owner, item.expenseId);
    // A retry after a crash finds the expense gone and skips this; a delete never crosses a threshold, so no alert is lost.
    if (deleted) {
      const now = deps.now();
      await deps.repository.recordChange(
        owner,
        changeRecord({
          itemType: 'EXPENSE',
          itemId: deleted.expense_id,
          incarnation: deleted.createdAt || '',
          version: (deleted.version ?? 0) + 1,
          action: 'DELETED',
          at: now.toISOString(),
          atEpochSeconds: Math.floor(now.getTime() / 1000),
          by: owner,
          path: 'API',
          before: deleted,
          after: null,
        }),
      );
      // Budgets drop the index's copy of this expense by its id (it may still show for a moment).
      const { expense_id, date, category, amount, currency, converted } = deleted;
      // Its custom category and tags name the scoped budgets it counted in.
      const { customCategoryId = null, tags = null } = deleted;
      await deps.budgets.expenseDeleted(
        owner,
        { expense_id, date, category, amount, currency, converted, customCategoryId, tags },
        correlationId,
      );
    }
  } else if (item.expenseId) {
    await deps.repository.unlinkExpense(owner, item.expenseId, receiptId);
  }
  await deps.repository.delete(owner, receiptId);
  // Its deletion in its history, once the receipt is gone (as the API's deletions are, resolvers/lib/history.ts).
  await deps.repository.recordChange(
    owner,
    receiptChange({ action: 'DELETED', by: owner, path: 'API', now: deps.now() }, item, null),
  );
  const claimed = claimedHashOf(item);
  if (claimed) await deps.repository.releaseSha256(owner, claimed, receiptId);
  return toReceipt(item);
}

export async function receiptImageUrl(
  deps: ReceiptDeps,
  owner: string,
  source: { id?: string; owner?: string } | null,
): Promise<string | null> {
  if (!isItemId(source?.id) || source.owner !== owner) return null;
  const item = await deps.repository.get(owner, source.id);
  // No image yet, or none any more (deleted by the owner's retention: the receipt stays).
  if (!item || item.status === 'PENDING_UPLOAD' || item.imageExpiredAt) return null;
  return deps.objects.presignGet(item.s3Key, IMAGE_URL_SECONDS);
}
