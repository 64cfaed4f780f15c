import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { LIST_RECEIPTS, type ListReceiptsData, type Receipt } from '../api/operations.ts';
import { ErrorMessage, Page } from '../components/page.tsx';
import { categoryLabel } from '../lib/categories.ts';
import { formatDay } from '../lib/dates.ts';
import { describeError, formatBytes } from '../lib/errors.ts';
import { receiptEvents } from '../lib/live.ts';
import { formatMoney } from '../lib/money.ts';
import { profile } from '../lib/profile.ts';
import {
  ACCEPTED_TYPES,
  enqueue,
  removeUpload,
  retryUpload,
  uploadedReceipts,
  uploads,
  type QueuedUpload,
} from '../lib/upload-queue.ts';

/**
 * Receipts: capture (camera on a phone, several files or a drop on a desktop), the upload
 * queue with progress, and the latest receipts, each updated live as OCR finishes
 * (onReceiptProcessed; no polling).
 */
export function Home() {
  return (
    <Page title="Receipts">
      <Capture />
      <UploadQueue />
      <ReceiptList />
    </Page>
  );
}

function Capture() {
  const [problems, setProblems] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);

  async function take(files: FileList | null | undefined) {
    if (!files?.length) return;
    setProblems(await enqueue([...files]));
  }

  return (
    <section
      class={`capture card${dragging ? ' dragging' : ''}`}
      aria-labelledby="capture-title"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void take(e.dataTransfer?.files);
      }}
    >
      <h2 id="capture-title">Add receipts</h2>
      <div class="capture-buttons">
        <input
          id="camera"
          class="visually-hidden file-input"
          type="file"
          accept="image/*"
          capture="environment"
          onChange={(e) => {
            void take((e.currentTarget as HTMLInputElement).files);
            (e.currentTarget as HTMLInputElement).value = '';
          }}
        />
        <label for="camera" class="button primary">
          Take a photo
        </label>
        <input
          id="files"
          class="visually-hidden file-input"
          type="file"
          multiple
          accept={[...ACCEPTED_TYPES, '.heic', '.heif'].join(',')}
          onChange={(e) => {
            void take((e.currentTarget as HTMLInputElement).files);
            (e.currentTarget as HTMLInputElement).value = '';
          }}
        />
        <label for="files" class="button">
          Choose files
        </label>
      </div>
      <p class="hint">
        Or drop files here. JPEG, PNG, HEIC, WebP or PDF, up to 10 MB each. Uploads wait for you when you are offline.
      </p>
      {problems.map((p) => (
        <ErrorMessage key={p} message={p} />
      ))}
    </section>
  );
}

const STATE_TEXT: Record<QueuedUpload['state'], string> = {
  queued: 'Waiting to upload',
  hashing: 'Preparing',
  uploading: 'Uploading',
  waiting: 'Waiting for a connection',
  failed: 'Not uploaded',
};

function UploadQueue() {
  const list = uploads.use();
  if (!list.length) return null;
  return (
    <section aria-labelledby="queue-title" class="card">
      <h2 id="queue-title">Uploading</h2>
      <ul class="queue">
        {list.map((u) => (
          <li key={u.id} class={`queue-item ${u.state}`}>
            <span class="name">{u.name}</span>
            <span class="size">{formatBytes(u.size)}</span>
            <progress
              max={1}
              value={u.state === 'uploading' ? u.progress : undefined}
              aria-label={`${u.name}: ${STATE_TEXT[u.state]}`}
            />
            <span class="state" role={u.state === 'failed' ? 'alert' : undefined}>
              {u.state === 'uploading'
                ? `Uploading ${Math.round(u.progress * 100)}%`
                : (u.message ?? STATE_TEXT[u.state])}
            </span>
            {u.state === 'failed' && (
              <span class="row-actions">
                <button type="button" onClick={() => void retryUpload(u.id)}>
                  Retry
                </button>
                <button type="button" onClick={() => void removeUpload(u.id)}>
                  Remove
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

const STATUS_TEXT: Record<Receipt['status'], string> = {
  PENDING_UPLOAD: 'Uploading',
  UPLOADED: 'Reading…',
  PROCESSING: 'Reading…',
  PROCESSED: 'Done',
  NEEDS_REVIEW: 'Needs review',
  FAILED: 'Could not read',
};

const STAGE: Record<Receipt['status'], number> = {
  PENDING_UPLOAD: 0,
  UPLOADED: 1,
  PROCESSING: 2,
  PROCESSED: 3,
  NEEDS_REVIEW: 3,
  FAILED: 3,
};

/**
 * Keeps the newer of two versions of a receipt: the later updatedAt, and on a tie the later
 * stage. The upload's own "uploaded" mark carries the pending record's time, so it never
 * covers a result pushed before the upload's answer came back.
 */
function merge(list: Receipt[], receipt: Receipt): Receipt[] {
  const index = list.findIndex((r) => r.id === receipt.id);
  if (index < 0) return [receipt, ...list];
  const current = list[index];
  const newer =
    receipt.updatedAt > current.updatedAt ||
    (receipt.updatedAt === current.updatedAt && STAGE[receipt.status] > STAGE[current.status]);
  if (!newer) return list;
  const copy = [...list];
  copy[index] = { ...current, ...receipt };
  return copy;
}

function ReceiptList() {
  const me = profile.use();
  const [receipts, setReceipts] = useState<Receipt[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  async function load(token: string | null) {
    setLoading(true);
    setError(null);
    try {
      const { listReceipts } = await gql<ListReceiptsData>(LIST_RECEIPTS, { limit: 20, nextToken: token });
      setReceipts((list) => listReceipts.items.reduce(merge, token ? list : []).sort((a, b) => (a.id < b.id ? 1 : -1)));
      setNextToken(listReceipts.nextToken);
    } catch (caught) {
      setError(describeError(caught, 'your receipts'));
    } finally {
      setLoading(false);
    }
  }

  useEffect(() => {
    void load(null);
    const fromLive = receiptEvents.subscribe((r) => r && setReceipts((list) => merge(list, r)));
    const fromUploads = uploadedReceipts.subscribe((r) => r && setReceipts((list) => merge(list, r)));
    return () => {
      fromLive();
      fromUploads();
    };
  }, []);

  return (
    <section aria-labelledby="receipts-title">
      <h2 id="receipts-title">Latest receipts</h2>
      <ErrorMessage message={error} />
      {!loading && !receipts.length && !error && <p class="empty">No receipts yet. Take a photo of one to start.</p>}
      <ul class="receipts" aria-live="polite">
        {receipts.map((r) => (
          <ReceiptRow key={r.id} receipt={r} dateOrder={me?.dateOrder} />
        ))}
      </ul>
      {nextToken && (
        <button type="button" onClick={() => void load(nextToken)} disabled={loading}>
          {loading ? 'Loading…' : 'Show older receipts'}
        </button>
      )}
    </section>
  );
}

function ReceiptRow({ receipt, dateOrder }: { receipt: Receipt; dateOrder?: 'DMY' | 'MDY' | 'YMD' }) {
  const expense = receipt.expense;
  const busy = ['PENDING_UPLOAD', 'UPLOADED', 'PROCESSING'].includes(receipt.status);
  return (
    <li class={`receipt ${receipt.status.toLowerCase()}`} data-receipt-id={receipt.id} aria-busy={busy}>
      <span class={`status ${receipt.status.toLowerCase()}`}>{STATUS_TEXT[receipt.status]}</span>
      <span class="merchant">{expense?.merchant ?? receipt.fileName ?? 'Receipt'}</span>
      {expense && (
        <>
          <span class="date">{formatDay(expense.date, dateOrder)}</span>
          <span class="amount">{formatMoney(expense.amount, expense.currency)}</span>
          <span class="category">{categoryLabel(expense.category)}</span>
        </>
      )}
      {receipt.status === 'NEEDS_REVIEW' && (
        <a class="button small" href={`/review?id=${receipt.id}`}>
          Review
        </a>
      )}
      {receipt.status === 'FAILED' && <span class="error-text">{plainReceiptError(receipt.error)}</span>}
    </li>
  );
}

/** A FAILED receipt's `error` is `<errorType>: <reason>`; the reason is written for people. */
function plainReceiptError(error: string | null | undefined): string {
  if (!error) return 'We could not read this receipt.';
  const [type, ...rest] = error.split(': ');
  if (type === 'DuplicateReceipt') return 'You already uploaded this receipt.';
  return rest.join(': ') || error;
}
