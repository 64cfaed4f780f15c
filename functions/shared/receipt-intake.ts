import type { ExpenseItem } from '../../model/expenses.ts';
import { imageExpiryDay } from './image-retention.ts';
import { createHash } from 'node:crypto';
import type { ChangeRecord } from '../../model/history.ts';
import { IN_FLIGHT, receiptObjectKey, statusKeyOf, type ReceiptItem } from '../../model/receipts.ts';
import { receiptChange } from './receipt-history.ts';
import { FieldError } from './field-call.ts';
import type { ImageConverter } from './image-conversion.ts';
import { convertForTextract, EXTENSION_OF, identifyUpload, type StoredContentType } from './receipt-content.ts';
import { isConditionFailure } from './conditional-put.ts';

/**
 * Storing a file the function already holds as a receipt: what the inline upload (ReceiptFn)
 * and a receipt forwarded by email (InboundEmailFn) share. The file is identified by its bytes,
 * a WebP or HEIC converted to the JPEG Textract reads, its hash claimed (one receipt per file per
 * user), then the record written, then the bytes, whose S3 event starts OCR.
 */

/** Receipts table operations the use cases need; every one is keyed on the owner. */
export interface ReceiptRepository {
  /** Claim a file hash for a receipt; when already claimed, the first receipt's id. */
  claimSha256(
    owner: string,
    sha256: string,
    receiptId: string,
  ): Promise<{ claimed: true } | { claimed: false; firstReceiptId: string }>;
  releaseSha256(owner: string, sha256: string, receiptId: string): Promise<void>;
  putNew(item: ReceiptItem): Promise<void>;
  get(owner: string, receiptId: string): Promise<ReceiptItem | null>;
  /** PENDING_UPLOAD → UPLOADED; no change in any other status. */
  markUploaded(owner: string, receiptId: string, now: string): Promise<void>;
  /**
   * FAILED → PENDING_UPLOAD for a new upload of the same file, with what this upload declares;
   * null when the receipt is no longer FAILED (another upload took it over first).
   */
  restartUpload(
    owner: string,
    receiptId: string,
    upload: Pick<
      ReceiptItem,
      | 's3Key'
      | 'contentType'
      | 'size'
      | 'sha256'
      | 'originalContentType'
      | 'originalSha256'
      | 'fileName'
      | 'correlationId'
    >,
    now: string,
  ): Promise<ReceiptItem | null>;
  /**
   * PROCESSED | NEEDS_REVIEW | FAILED → UPLOADED, carrying `change` (its version, its lastChange);
   * null when in another status or no longer at the version the change was made from.
   */
  resetForReprocess(owner: string, receiptId: string, now: string, change: ChangeRecord): Promise<ReceiptItem | null>;
  delete(owner: string, receiptId: string): Promise<void>;
  /** Puts a receipt's change in its owner's history (model/history.ts), under a key that is the change: a repeat changes nothing. */
  recordChange(owner: string, record: ChangeRecord): Promise<void>;
  /** Deletes the expense; what it was (for its history and budget re-evaluation), or null when already gone. */
  deleteExpense(owner: string, expenseId: string): Promise<ExpenseItem | null>;
  /** The expense stays but no longer points at the receipt (only if it still points at this one). */
  unlinkExpense(owner: string, expenseId: string, receiptId: string): Promise<void>;
}

/** The receipts bucket. */
export interface ReceiptObjects {
  presignPut(input: {
    key: string;
    contentType: string;
    size: number;
    sha256Base64?: string;
    /** Signs `If-None-Match: *`: S3 then refuses the PUT once an object has the key (412). */
    onlyIfAbsent: boolean;
    expiresInSeconds: number;
  }): Promise<string>;
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
  put(input: { key: string; bytes: Uint8Array; contentType: string; sha256Base64: string }): Promise<void>;
  exists(key: string): Promise<boolean>;
  deleteAllVersions(key: string): Promise<void>;
}

export interface ReceiptIntakeDeps {
  repository: Pick<
    ReceiptRepository,
    'claimSha256' | 'releaseSha256' | 'get' | 'putNew' | 'restartUpload' | 'markUploaded' | 'recordChange'
  >;
  objects: Pick<ReceiptObjects, 'put' | 'exists'>;
  images: ImageConverter;
  now: () => Date;
  maxBytes: number;
  /** How many days the owner keeps receipt images (model/data-lifecycle.ts receiptRetentionDaysOf): a new receipt's image expiry. */
  retentionDaysOf(owner: string): Promise<number>;
}

/**
 * An e-receipt's text (an HTML or plain-text email body), stored as it is and read without OCR
 * (functions/ocr/text-receipt.ts). Only the email path makes these: uploads cannot declare it.
 */
export const TEXT_RECEIPT_CONTENT_TYPE = 'text/plain';

/**
 * What a new upload declares about its file, for a new receipt or one it takes over. `sha256`
 * is of the bytes stored; a converted file (WebP) also keeps what it was uploaded as, and the
 * duplicate claim is on the file the user has (`originalSha256`).
 */
export type UploadDeclaration = Pick<ReceiptItem, 'sha256' | 'originalContentType' | 'originalSha256'> & {
  contentType: StoredContentType | typeof TEXT_RECEIPT_CONTENT_TYPE;
  size: number;
  fileName: string | null;
  correlationId?: string | null;
};

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

function extensionOf(contentType: UploadDeclaration['contentType']): string {
  return contentType === TEXT_RECEIPT_CONTENT_TYPE ? 'txt' : EXTENSION_OF[contentType];
}

export function newReceiptItem(
  owner: string,
  receiptId: string,
  upload: UploadDeclaration,
  now: string,
  retentionDays: number,
  extras: Pick<ReceiptItem, 'source' | 'email'> = {},
): ReceiptItem {
  const { correlationId, ...file } = upload;
  const item: ReceiptItem = {
    ...(correlationId ? { correlationId } : {}),
    user_id: owner,
    receipt_id: receiptId,
    status: 'PENDING_UPLOAD',
    status_key: statusKeyOf('PENDING_UPLOAD', receiptId),
    inflight: IN_FLIGHT,
    s3Key: receiptObjectKey(owner, receiptId, extensionOf(upload.contentType)),
    ...file,
    ...extras,
    // The retention sweep (functions/account/retention.ts) deletes the image on this day; the receipt stays.
    image_expires_on: imageExpiryDay(now, retentionDays),
    createdAt: now,
    updatedAt: now,
  };
  // Its creation, by its owner (an upload, or a message they forwarded), carried on the item (model/history.ts).
  const by = {
    action: 'CREATED',
    by: owner,
    path: extras.source === 'EMAIL' ? 'EMAIL' : 'API',
    now: new Date(now),
  } as const;
  return { ...item, version: 1, lastChange: receiptChange(by, null, item) };
}

/**
 * The change a receipt carries (`lastChange`) put in its history again: right after the write that
 * made it, and by whoever next finds the receipt (a retry, a resumed upload), in case that put
 * was lost to a crash. The same key each time, so never a second entry.
 */
export async function recordLastChange(
  repository: Pick<ReceiptRepository, 'recordChange'>,
  item: ReceiptItem,
): Promise<void> {
  if (item.lastChange) await repository.recordChange(item.user_id, item.lastChange as ChangeRecord);
}

/**
 * Claim the file's hash for a new receipt. The same file again is a DuplicateReceipt naming
 * the first receipt, but only while that one has its image or may still get it: an upload in
 * progress (PENDING_UPLOAD) is resumed, and a receipt that FAILED without ever receiving its
 * bytes (an abandoned presigned upload, marked by the sweep) is taken over by this upload.
 * Returns the receipt to upload into, or null when the claim is this new receipt's.
 */
export async function claimOrResume(
  deps: ReceiptIntakeDeps,
  owner: string,
  sha256: string,
  receiptId: string,
  upload: UploadDeclaration,
): Promise<ReceiptItem | null> {
  const claim = await deps.repository.claimSha256(owner, sha256, receiptId);
  if (claim.claimed) return null;
  const first = await deps.repository.get(owner, claim.firstReceiptId);
  if (!first) {
    // The first receipt was deleted but its claim survived a crash: take the claim over.
    await deps.repository.releaseSha256(owner, sha256, claim.firstReceiptId);
    const retry = await deps.repository.claimSha256(owner, sha256, receiptId);
    if (retry.claimed) return null;
    throw new FieldError('Conflict', 'The same file is being uploaded right now; try again', { sha256 });
  }
  if (first.status === 'PENDING_UPLOAD') return first;
  if (first.status === 'FAILED' && !(await deps.objects.exists(first.s3Key))) {
    const restarted = await deps.repository.restartUpload(
      owner,
      first.receipt_id,
      { ...upload, s3Key: receiptObjectKey(owner, first.receipt_id, extensionOf(upload.contentType)) },
      deps.now().toISOString(),
    );
    if (restarted) return restarted;
    // Another upload of the same file took it over a moment ago: resume that one.
    const current = await deps.repository.get(owner, first.receipt_id);
    if (current?.status === 'PENDING_UPLOAD') return current;
  }
  throw new FieldError('DuplicateReceipt', `This file was already uploaded as receipt ${first.receipt_id}`, {
    receiptId: first.receipt_id,
    sha256,
  });
}

/** A file to store: a document (identified by its bytes) or an e-receipt's text. */
export interface ReceiptFile {
  bytes: Uint8Array;
  kind: 'document' | 'text';
  fileName: string | null;
  correlationId?: string | null;
}

/**
 * Store `file` as receipt `receiptId` (or resume the receipt already holding the same file while
 * it waits for its bytes). A retry with the same `receiptId` finds its own claim and finishes
 * what the first attempt left: a file stored once is one receipt, however often this runs.
 * Throws FieldError: ValidationError (not a receipt file, undecodable), LimitExceeded,
 * DuplicateReceipt (another receipt of the user has this file), Conflict.
 */
export async function storeReceiptFile(
  deps: ReceiptIntakeDeps,
  owner: string,
  receiptId: string,
  file: ReceiptFile,
  extras: Pick<ReceiptItem, 'source' | 'email'> = {},
): Promise<ReceiptItem> {
  const fileSha256 = sha256Hex(file.bytes);
  let bytes: Uint8Array = file.bytes;
  let upload: UploadDeclaration;
  const declared = { fileName: file.fileName, correlationId: file.correlationId };
  if (file.kind === 'text') {
    upload = { contentType: TEXT_RECEIPT_CONTENT_TYPE, size: bytes.length, sha256: fileSha256, ...declared };
  } else {
    const content = identifyUpload(file.bytes);
    if (content.ok === false)
      throw new FieldError('ValidationError', content.detail, {
        field: 'image',
        reason: content.problem,
        ...('detectedType' in content ? { detectedType: content.detectedType } : {}),
      });
    if (content.ok === 'convert') {
      const conversion = await convertForTextract(deps.images, file.bytes, content.from, deps.maxBytes);
      if (!conversion.ok)
        throw new FieldError(conversion.errorType, conversion.message, { field: 'image', ...conversion.info });
      bytes = conversion.jpeg;
      upload = {
        contentType: 'image/jpeg',
        size: bytes.length,
        sha256: sha256Hex(bytes),
        originalContentType: content.from,
        originalSha256: fileSha256,
        ...declared,
      };
    } else {
      upload = { contentType: content.contentType, size: bytes.length, sha256: fileSha256, ...declared };
    }
  }

  const now = deps.now().toISOString();
  let item: ReceiptItem | null;
  try {
    item = await claimOrResume(deps, owner, fileSha256, receiptId, upload);
  } catch (error) {
    // A retry of this very receipt finds the claim its first attempt made: it is done, or nearly.
    if (!(
      error instanceof FieldError &&
      error.errorType === 'DuplicateReceipt' &&
      error.errorInfo.receiptId === receiptId
    ))
      throw error;
    item = await deps.repository.get(owner, receiptId);
    if (item && item.status !== 'PENDING_UPLOAD') {
      await recordLastChange(deps.repository, item);
      return item;
    }
  }
  if (!item) {
    item = newReceiptItem(owner, receiptId, upload, now, await deps.retentionDaysOf(owner), extras);
    try {
      await deps.repository.putNew(item);
    } catch (error) {
      // Written by an earlier attempt of the same receipt (a retried event): carry on with it.
      const existing = isConditionFailure(error) ? await deps.repository.get(owner, receiptId) : null;
      if (!existing) throw error;
      item = existing;
    }
  }
  await recordLastChange(deps.repository, item);
  // Record first, bytes second: the S3 event that starts OCR always finds its record.
  await deps.objects.put({
    key: item.s3Key,
    bytes,
    contentType: upload.contentType,
    sha256Base64: hexToBase64(upload.sha256!),
  });
  await deps.repository.markUploaded(owner, item.receipt_id, now);
  return (await deps.repository.get(owner, item.receipt_id)) ?? item;
}
