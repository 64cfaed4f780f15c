import { createStore as idbStore, del, entries, set } from 'idb-keyval';
import { gql } from '../api/client.ts';
import { CREATE_RECEIPT_UPLOAD, type CreateReceiptUploadData, type Receipt } from '../api/operations.ts';
import { ApiError, describeError, toApiError } from './errors.ts';
import { createStore } from './store.ts';

/**
 * Receipts on their way up. Each file is kept in IndexedDB from the moment it is picked until
 * S3 has it, so a closed tab, a lost connection or a failed request loses nothing: the queue
 * resumes when the app opens again or the browser comes back online. Upload is presigned
 * (createReceiptUpload, then a PUT with exactly the signed headers) with the file's SHA-256,
 * so the API refuses a file already uploaded and resumes one whose upload was interrupted.
 */
export type UploadState = 'queued' | 'hashing' | 'uploading' | 'waiting' | 'failed';

export interface QueuedUpload {
  id: string;
  file: Blob;
  name: string;
  contentType: string;
  size: number;
  addedAt: string;
  state: UploadState;
  /** 0..1 while uploading. */
  progress: number;
  message?: string;
  receiptId?: string;
}

const db = idbStore('expense-tracker', 'uploads');
export const uploads = createStore<QueuedUpload[]>([]);
/** Receipts created by this device's uploads, for the list to show at once. */
export const uploadedReceipts = createStore<Receipt | null>(null);

/** The types the API takes, by file extension when the browser gives none (HEIC often has none). */
const TYPE_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heic',
};
export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'application/pdf', 'image/webp', 'image/heic'];

export function contentTypeOf(file: File): string | undefined {
  const declared = file.type === 'image/heif' || file.type === 'image/heic-sequence' ? 'image/heic' : file.type;
  if (ACCEPTED_TYPES.includes(declared)) return declared;
  return TYPE_BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''];
}

function patch(id: string, change: Partial<QueuedUpload>): QueuedUpload | undefined {
  let updated: QueuedUpload | undefined;
  uploads.update((list) =>
    list.map((u) => {
      if (u.id !== id) return u;
      updated = { ...u, ...change };
      return updated;
    }),
  );
  return updated;
}

async function persist(upload: QueuedUpload): Promise<void> {
  // What is stored is what a restart needs: the file and where it stands, never "uploading".
  await set(upload.id, { ...upload, state: upload.state === 'failed' ? 'failed' : 'queued', progress: 0 }, db);
}

export async function enqueue(files: File[]): Promise<string[]> {
  const problems: string[] = [];
  for (const file of files) {
    const contentType = contentTypeOf(file);
    if (!contentType) {
      problems.push(`${file.name}: not a receipt file we can read (use JPEG, PNG, HEIC, WebP or PDF).`);
      continue;
    }
    const upload: QueuedUpload = {
      id: crypto.randomUUID(),
      file,
      name: file.name,
      contentType,
      size: file.size,
      addedAt: new Date().toISOString(),
      state: 'queued',
      progress: 0,
    };
    await persist(upload);
    uploads.update((list) => [...list, upload]);
  }
  void drain();
  return problems;
}

export async function removeUpload(id: string): Promise<void> {
  await del(id, db);
  uploads.update((list) => list.filter((u) => u.id !== id));
}

export async function retryUpload(id: string): Promise<void> {
  const upload = patch(id, { state: 'queued', message: undefined });
  if (upload) await persist(upload);
  void drain();
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Browsers set these themselves and refuse them from scripts.
const FORBIDDEN_HEADERS = new Set(['content-length', 'host', 'connection']);

export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`S3 answered ${status} ${code}`);
  }
}

/** One presigned PUT with exactly the signed headers; an S3 refusal rejects with UploadRefused. */
export function putPresigned(
  url: string,
  headers: Record<string, string>,
  body: Blob,
  onProgress: (p: number) => void = () => undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // XMLHttpRequest, not fetch: only it reports upload progress.
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers))
      if (!FORBIDDEN_HEADERS.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new UploadRefused(xhr.status, /<Code>([^<]+)<\/Code>/.exec(xhr.responseText)?.[1] ?? ''));
    };
    xhr.onerror = () => reject(new ApiError('NetworkError', 'upload failed'));
    xhr.send(body);
  });
}

async function uploadOne(upload: QueuedUpload): Promise<void> {
  patch(upload.id, { state: 'hashing', message: undefined });
  const sha256 = await sha256Hex(upload.file);
  for (let attempt = 1; ; attempt++) {
    const { createReceiptUpload: presigned } = await gql<CreateReceiptUploadData>(CREATE_RECEIPT_UPLOAD, {
      input: { contentType: upload.contentType, size: upload.size, sha256, fileName: upload.name.slice(0, 255) },
    });
    patch(upload.id, { state: 'uploading', receiptId: presigned.receipt.id, progress: 0 });
    uploadedReceipts.set(presigned.receipt);
    try {
      await putPresigned(
        presigned.uploadUrl,
        JSON.parse(presigned.uploadHeaders) as Record<string, string>,
        upload.file,
        (p) => patch(upload.id, { progress: p }),
      );
      uploadedReceipts.set({ ...presigned.receipt, status: 'UPLOADED' });
      return;
    } catch (error) {
      // 412: the image is there already (an earlier attempt's PUT arrived); 403 on a second try is a real refusal.
      if (error instanceof UploadRefused && error.status === 412) return;
      if (error instanceof UploadRefused && error.status === 403 && attempt < 2) continue;
      throw error;
    }
  }
}

let draining = false;

/** Uploads what is queued, one file at a time, until the queue is empty or the network is gone. */
export async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    for (;;) {
      const next = uploads.get().find((u) => u.state === 'queued' || (u.state === 'waiting' && navigator.onLine));
      if (!next) return;
      if (!navigator.onLine) {
        patch(next.id, { state: 'waiting', message: 'Waiting for a connection' });
        return;
      }
      try {
        await uploadOne(next);
        await removeUpload(next.id);
      } catch (caught) {
        const error = caught instanceof UploadRefused ? caught : toApiError(caught);
        if (error instanceof ApiError && error.type === 'NetworkError') {
          patch(next.id, { state: 'waiting', message: 'Waiting for a connection: it will upload by itself' });
          // `online` fires only after the browser noticed it was offline; a flaky network is retried too.
          setTimeout(() => void drain(), 15_000);
          return;
        }
        if (error instanceof ApiError && error.type === 'DuplicateReceipt') {
          patch(next.id, { state: 'failed', message: 'Already uploaded: this receipt is in your list.' });
        } else if (error instanceof UploadRefused) {
          patch(next.id, {
            state: 'failed',
            message: `The upload was refused (${error.code || error.status}). Try again.`,
          });
        } else {
          patch(next.id, { state: 'failed', message: describeError(error, 'this receipt') });
        }
        const failed = uploads.get().find((u) => u.id === next.id);
        if (failed) await persist(failed);
      }
    }
  } finally {
    draining = false;
  }
}

/** Picks up what a previous visit left, and resumes whenever the browser is back online. */
export async function restoreQueue(): Promise<void> {
  const stored = (await entries<string, QueuedUpload>(db)).map(([, u]) => u);
  const known = new Set(uploads.get().map((u) => u.id));
  uploads.update((list) => [...list, ...stored.filter((u) => !known.has(u.id))]);
  window.addEventListener('online', () => void drain());
  void drain();
}
