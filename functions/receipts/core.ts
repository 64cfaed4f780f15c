import { createHash } from 'node:crypto';
import type { Receipt, ReceiptUpload } from '../../generated/graphql.ts';
import { decodedSizeOf, INLINE_TRANSPORT_MAX_BYTES } from '../../resolvers/lib/inline-upload.ts';
import { FieldError } from '../shared/field-call.ts';
import type { ImageConverter } from '../shared/image-conversion.ts';
import { convertForTextract, EXTENSION_OF, identifyUpload, STORED_CONTENT_TYPES, type StoredContentType } from './receipt-content.ts';
import { IN_FLIGHT, receiptObjectKey, statusKeyOf, toReceipt, type ReceiptItem } from './receipt-item.ts';

/** Receipts table operations the use cases need; every one is keyed on the owner. */
export interface ReceiptRepository {
  /** Claim a file hash for a receipt; when already claimed, the first receipt's id. */
  claimSha256(owner: string, sha256: string, receiptId: string): Promise<{ claimed: true } | { claimed: false; firstReceiptId: string }>;
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
    upload: Pick<ReceiptItem, 's3Key' | 'contentType' | 'size' | 'sha256' | 'originalContentType' | 'originalSha256' | 'fileName' | 'correlationId'>,
    now: string,
  ): Promise<ReceiptItem | null>;
  /** PROCESSED | NEEDS_REVIEW | FAILED → UPLOADED; null when in another status. */
  resetForReprocess(owner: string, receiptId: string, now: string): Promise<ReceiptItem | null>;
  delete(owner: string, receiptId: string): Promise<void>;
  /** Deletes the expense; what it was (for budget re-evaluation), or null when already gone. */
  deleteExpense(owner: string, expenseId: string): Promise<{ date: string; category: string } | null>;
  /** The expense stays but no longer points at the receipt (only if it still points at this one). */
  unlinkExpense(owner: string, expenseId: string, receiptId: string): Promise<void>;
}

/** The receipts bucket. */
export interface ReceiptObjects {
  presignPut(input: { key: string; contentType: string; size: number; sha256Base64?: string; expiresInSeconds: number }): Promise<string>;
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
  put(input: { key: string; bytes: Uint8Array; contentType: string; sha256Base64: string }): Promise<void>;
  exists(key: string): Promise<boolean>;
  deleteAllVersions(key: string): Promise<void>;
}

/** Starts OCR of a stored receipt outside the S3 event (reprocess). */
export interface ProcessingTrigger {
  requestProcessing(owner: string, receiptId: string, key: string): Promise<void>;
}

/** Budgets move when an expense goes away: BudgetFn re-evaluates them, as after any expense delete. */
export interface BudgetEvaluation {
  expenseDeleted(owner: string, expense: { date: string; category: string }, correlationId?: string | null): Promise<void>;
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
  return new FieldError('LimitExceeded', `The file is ${size} bytes; the limit is ${limit} bytes`, { field, limit, size });
}

/**
 * An inline image fits both the configured receipt limit and what one Lambda invocation can
 * carry (resolvers/lib/inline-upload.ts); a bigger one that the presigned path accepts is
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

function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/**
 * What a new upload declares about its file, for a new receipt or one it takes over. `sha256`
 * is of the bytes stored; a converted file (WebP) also keeps what it was uploaded as, and the
 * duplicate claim is on the file the user has (`originalSha256`).
 */
type UploadDeclaration = Pick<ReceiptItem, 'sha256' | 'originalContentType' | 'originalSha256'> & {
  contentType: StoredContentType;
  size: number;
  fileName: string | null;
  correlationId?: string | null;
};

function newReceiptItem(owner: string, receiptId: string, upload: UploadDeclaration, now: string): ReceiptItem {
  const { correlationId, ...file } = upload;
  return {
    ...(correlationId ? { correlationId } : {}),
    user_id: owner,
    receipt_id: receiptId,
    status: 'PENDING_UPLOAD',
    status_key: statusKeyOf('PENDING_UPLOAD', receiptId),
    inflight: IN_FLIGHT,
    s3Key: receiptObjectKey(owner, receiptId, EXTENSION_OF[upload.contentType]),
    ...file,
    createdAt: now,
    updatedAt: now,
  };
}

/** The hash a receipt's duplicate claim is on: the file as the user uploaded it. */
function claimedHashOf(item: ReceiptItem): string | null {
  return item.originalSha256 ?? item.sha256 ?? null;
}

/**
 * Claim the file's hash for a new receipt. The same file again is a DuplicateReceipt naming
 * the first receipt, but only while that one has its image or may still get it: an upload in
 * progress (PENDING_UPLOAD) is resumed, and a receipt that FAILED without ever receiving its
 * bytes (an abandoned presigned upload, marked by the sweep) is taken over by this upload.
 * Returns the receipt to upload into, or null when the claim is this new receipt's.
 */
async function claimOrResume(deps: ReceiptDeps, owner: string, sha256: string, receiptId: string, upload: UploadDeclaration): Promise<ReceiptItem | null> {
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
      { ...upload, s3Key: receiptObjectKey(owner, first.receipt_id, EXTENSION_OF[upload.contentType]) },
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

export async function createReceiptUpload(
  deps: ReceiptDeps,
  owner: string,
  input: { contentType: string; size: number; sha256?: string | null; fileName?: string | null },
  correlationId?: string | null,
): Promise<ReceiptUpload> {
  const contentType = input.contentType?.toLowerCase() as StoredContentType;
  if (!STORED_CONTENT_TYPES.includes(contentType)) {
    // Presigned bytes go to S3 as sent: a WebP or HEIC is converted when it is read.
    throw validation('contentType', `contentType must be one of ${STORED_CONTENT_TYPES.join(', ')}`, {
      allowed: STORED_CONTENT_TYPES,
    });
  }
  if (!Number.isInteger(input.size) || input.size < 1) throw validation('size', 'size must be a positive number of bytes', { min: 1 });
  if (input.size > deps.maxBytes) throw tooLarge('size', input.size, deps.maxBytes);
  const sha256 = input.sha256 == null ? null : input.sha256.toLowerCase();
  if (sha256 !== null && !SHA256_HEX.test(sha256)) throw validation('sha256', 'sha256 must be 64 hex characters');
  const fileName = checkFileName(input.fileName);

  const now = deps.now();
  const receiptId = deps.newId();
  const upload: UploadDeclaration = { contentType, size: input.size, sha256, fileName, correlationId };
  let item = sha256 ? await claimOrResume(deps, owner, sha256, receiptId, upload) : null;
  if (item && (item.contentType !== contentType || item.size !== input.size)) {
    throw new FieldError('DuplicateReceipt', `This file was already uploaded as receipt ${item.receipt_id}`, { receiptId: item.receipt_id, sha256 });
  }
  if (!item) {
    item = newReceiptItem(owner, receiptId, upload, now.toISOString());
    await deps.repository.putNew(item);
  }
  const headers: Record<string, string> = { 'content-type': contentType };
  if (sha256) headers['x-amz-checksum-sha256'] = hexToBase64(sha256);
  const uploadUrl = await deps.objects.presignPut({
    key: item.s3Key,
    contentType,
    size: input.size,
    sha256Base64: sha256 ? hexToBase64(sha256) : undefined,
    expiresInSeconds: UPLOAD_URL_SECONDS,
  });
  return {
    receipt: toReceipt(item),
    uploadUrl,
    uploadHeaders: JSON.stringify(headers),
    expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  } as ReceiptUpload;
}

export function decodeBase64Image(image: string): Buffer {
  const compact = (image ?? '').replace(/\s+/g, '');
  // Accept data URLs, as browsers produce them.
  const payload = compact.startsWith('data:') ? compact.slice(compact.indexOf(',') + 1) : compact;
  if (payload.length % 4 === 1 || !BASE64.test(payload)) throw validation('image', 'image must be base64-encoded');
  return Buffer.from(payload, 'base64');
}

export async function uploadReceipt(deps: ReceiptDeps, owner: string, input: { image: string; fileName?: string | null }, correlationId?: string | null): Promise<Receipt> {
  // Size first, from the encoded length, so a huge payload is refused before it is decoded.
  checkInlineSize(decodedSizeOf((input.image ?? '').length) - 2, deps.maxBytes);
  const file = decodeBase64Image(input.image);
  checkInlineSize(file.length, deps.maxBytes);
  const content = identifyUpload(file);
  if (content.ok === false) throw validation('image', content.detail, { reason: content.problem, ...('detectedType' in content ? { detectedType: content.detectedType } : {}) });
  const fileName = checkFileName(input.fileName);

  const fileSha256 = sha256Hex(file);
  let bytes: Uint8Array = file;
  let upload: UploadDeclaration;
  if (content.ok === 'convert') {
    const conversion = await convertForTextract(deps.images, file, content.from, deps.maxBytes);
    if (!conversion.ok) throw new FieldError(conversion.errorType, conversion.message, { field: 'image', ...conversion.info });
    bytes = conversion.jpeg;
    upload = { contentType: 'image/jpeg', size: bytes.length, sha256: sha256Hex(bytes), originalContentType: content.from, originalSha256: fileSha256, fileName, correlationId };
  } else {
    upload = { contentType: content.contentType, size: bytes.length, sha256: fileSha256, fileName, correlationId };
  }
  const now = deps.now().toISOString();
  const receiptId = deps.newId();
  let item = await claimOrResume(deps, owner, fileSha256, receiptId, upload);
  if (!item) {
    item = newReceiptItem(owner, receiptId, upload, now);
    await deps.repository.putNew(item);
  }
  // Record first, bytes second: the S3 event that starts OCR always finds its record.
  await deps.objects.put({ key: item.s3Key, bytes, contentType: upload.contentType, sha256Base64: hexToBase64(upload.sha256!) });
  await deps.repository.markUploaded(owner, item.receipt_id, now);
  const stored = await deps.repository.get(owner, item.receipt_id);
  return toReceipt(stored ?? item);
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function ownReceipt(deps: ReceiptDeps, owner: string, receiptId: string): Promise<ReceiptItem> {
  const item = await deps.repository.get(owner, receiptId);
  if (!item) throw new FieldError('NotFound', `Receipt ${receiptId} not found`, { id: receiptId });
  return item;
}

export async function reprocessReceipt(deps: ReceiptDeps, owner: string, receiptId: string): Promise<Receipt> {
  const item = await ownReceipt(deps, owner, receiptId);
  const reset = await deps.repository.resetForReprocess(owner, receiptId, deps.now().toISOString());
  if (!reset) {
    throw new FieldError('Conflict', `Receipt ${receiptId} is ${item.status}; only a processed, failed or needs-review receipt can be reprocessed`, {
      id: receiptId,
      status: item.status,
    });
  }
  await deps.processing.requestProcessing(owner, receiptId, reset.s3Key);
  return toReceipt(reset);
}

export async function deleteReceipt(deps: ReceiptDeps, owner: string, receiptId: string, deleteExpense: boolean, correlationId?: string | null): Promise<Receipt> {
  const item = await ownReceipt(deps, owner, receiptId);
  // An OCR run holding the receipt would write its expense after the delete: wait for it to finish (or its lease to lapse).
  if (item.status === 'PROCESSING' && (item.leaseUntil ?? 0) > deps.now().getTime()) {
    throw new FieldError('Conflict', `Receipt ${receiptId} is being read right now; delete it once it is processed`, { id: receiptId, status: item.status });
  }
  // Image first, record last: a crash in between leaves a record to delete again, never an orphaned image.
  await deps.objects.deleteAllVersions(item.s3Key);
  if (item.expenseId && deleteExpense) {
    const deleted = await deps.repository.deleteExpense(owner, item.expenseId);
    // A retry after a crash finds the expense gone and skips this; a delete never crosses a threshold, so no alert is lost.
    if (deleted) await deps.budgets.expenseDeleted(owner, deleted, correlationId);
  } else if (item.expenseId) {
    await deps.repository.unlinkExpense(owner, item.expenseId, receiptId);
  }
  await deps.repository.delete(owner, receiptId);
  const claimed = claimedHashOf(item);
  if (claimed) await deps.repository.releaseSha256(owner, claimed, receiptId);
  return toReceipt(item);
}

export async function receiptImageUrl(deps: ReceiptDeps, owner: string, source: { id?: string; owner?: string } | null): Promise<string | null> {
  if (!source?.id || source.owner !== owner) return null;
  const item = await deps.repository.get(owner, source.id);
  if (!item || item.status === 'PENDING_UPLOAD') return null;
  return deps.objects.presignGet(item.s3Key, IMAGE_URL_SECONDS);
}
