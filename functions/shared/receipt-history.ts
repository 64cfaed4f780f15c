import { changeRecord, type ChangePath, type ChangeRecord, type HistoryAction } from '../../model/history.ts';
import type { ReceiptItem } from '../../model/receipts.ts';

/**
 * A receipt's change for its history (model/history.ts), as the expenses' and budgets' are made.
 *
 * Versioning: a receipt's `version` counts only the changes recorded in its history (absent on
 * receipts from before history: 0). It is not a concurrency token of the API (no receipt
 * mutation takes an expectedVersion), and the bookkeeping writes in between (markUploaded, OCR's
 * leases, a reprocess's reset) leave it alone, so none of them has to read the receipt first.
 * Each write that records a change already happens once, whatever retries it: the creation only
 * while no item has the id, OCR's outcome only under the run's lease while PROCESSING, the
 * retention's only on the version it read, a deletion once (a retry finds the receipt gone). So
 * the version it carries, and the History key made of it, is the same on every retry: the put is
 * repeated, never doubled.
 */
export function receiptChange(
  how: { action: HistoryAction; by: string; path: ChangePath; now: Date },
  before: ReceiptItem | null,
  after: ReceiptItem | null,
): ChangeRecord {
  const item = (after ?? before)!;
  return changeRecord({
    itemType: 'RECEIPT',
    itemId: item.receipt_id,
    incarnation: item.createdAt,
    version: how.action === 'CREATED' ? 1 : (before?.version ?? 0) + 1,
    action: how.action,
    at: how.now.toISOString(),
    atEpochSeconds: Math.floor(how.now.getTime() / 1000),
    by: how.by,
    path: how.path,
    before,
    after,
  });
}
