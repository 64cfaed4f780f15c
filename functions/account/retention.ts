import { RECEIPT_RETENTION_MAX_DAYS } from '../../model/data-lifecycle.ts';
import { SYSTEM_ACTOR, type ChangeRecord } from '../../model/history.ts';
import type { ReceiptItem } from '../../model/receipts.ts';
import { tableByLogicalName } from '../../model/tables.ts';
import { imageExpiryDay } from '../shared/image-retention.ts';
import { receiptChange } from '../shared/receipt-history.ts';
import type { AccountLog, UserItems, UserObjects } from './ports.ts';

/**
 * Receipt image retention: each receipt carries the day its image expires (`image_expires_on`,
 * the key of the sparse image-expiry-index), from its upload day and its owner's retention. A
 * daily sweep reads the index day by day (one Query per day and page, never a Scan) and deletes
 * each expired image with every stored version; the receipt stays, marked `imageExpiredAt`, and
 * so does its expense. A new retention is applied to the receipts already stored by a job
 * (APPLY_RETENTION): their day is set anew, and images already past it go at once.
 */
export interface RetentionDeps {
  items: UserItems;
  objects: UserObjects;
  receipts: {
    /** Receipts whose images expire on `day`, a page at a time (image-expiry-index). */
    expiringOn(day: string): AsyncIterable<ReceiptItem[]>;
    /** Sets the day the image expires, unless the image is gone; false when the receipt changed meanwhile. */
    setExpiry(receipt: ReceiptItem, day: string): Promise<boolean>;
    /** The image is gone: out of the index, `imageExpiredAt` set, its change recorded (model/history.ts); false when changed meanwhile. */
    markExpired(receipt: ReceiptItem, change: ChangeRecord, at: string): Promise<boolean>;
    get(owner: string, receiptId: string): Promise<ReceiptItem | null>;
  };
  history: { put(owner: string, record: ChangeRecord): Promise<void> };
  now(): Date;
  log: AccountLog;
}

const DAY_MS = 86_400_000;

export function checkRetentionDays(days: number): number {
  return Math.min(Math.max(Math.trunc(days), 1), RECEIPT_RETENTION_MAX_DAYS);
}

/** How far back the sweep looks for days it has not swept (a sweep missed while the system was down). */
export const SWEEP_LOOKBACK_DAYS = 31;

/** Deletes one receipt's image (every version), then records that it expired. Idempotent: a rerun deletes nothing more. */
async function expireImage(deps: RetentionDeps, receipt: ReceiptItem): Promise<boolean> {
  for await (const page of deps.objects.versions(receipt.s3Key)) {
    const exact = page.filter((v) => v.key === receipt.s3Key);
    if (exact.length) await deps.objects.deleteVersions(exact);
  }
  const now = deps.now();
  const at = now.toISOString();
  const after = { ...receipt, image_expires_on: undefined, imageExpiredAt: at };
  const record = receiptChange({ action: 'UPDATED', by: SYSTEM_ACTOR, path: 'RETENTION', now }, receipt, after);
  if (!(await deps.receipts.markExpired(receipt, record, at))) return false;
  await deps.history.put(receipt.user_id, record);
  return true;
}

/** The daily sweep: every image whose day has come, across users, from the index. */
export async function sweepExpiredImages(
  deps: RetentionDeps,
  options: { timeLeftMs(): number; reserveMs?: number } = { timeLeftMs: () => Number.MAX_SAFE_INTEGER },
): Promise<{ expired: number; changed: number; deferred: boolean }> {
  const today = deps.now().toISOString().slice(0, 10);
  const counts = { expired: 0, changed: 0, deferred: false };
  for (let back = SWEEP_LOOKBACK_DAYS; back >= 0; back -= 1) {
    const day = new Date(Date.parse(`${today}T00:00:00Z`) - back * DAY_MS).toISOString().slice(0, 10);
    for await (const page of deps.receipts.expiringOn(day)) {
      for (const listed of page) {
        if (options.timeLeftMs() < (options.reserveMs ?? 20_000)) {
          counts.deferred = true;
          return counts;
        }
        // The index may lag the table: the receipt as it is now decides.
        const receipt = await deps.receipts.get(listed.user_id, listed.receipt_id);
        if (!receipt?.image_expires_on || receipt.image_expires_on > today) continue;
        if (await expireImage(deps, receipt)) counts.expired += 1;
        else counts.changed += 1;
      }
    }
  }
  if (counts.expired) deps.log.info('expired receipt images deleted', counts);
  return counts;
}

/** The APPLY_RETENTION job: every receipt of the owner's gets its day from the new retention; those past it expire now. */
export async function applyRetention(
  deps: RetentionDeps,
  owner: string,
  request: { days: number },
): Promise<{ days: number; receipts: number; imagesExpired: number }> {
  const days = checkRetentionDays(request.days);
  const today = deps.now().toISOString().slice(0, 10);
  let receipts = 0;
  let imagesExpired = 0;
  for await (const page of deps.items.pages(tableByLogicalName('Receipts'), owner)) {
    for (const item of page as ReceiptItem[]) {
      if (item.user_id !== owner || item.imageExpiredAt || !item.s3Key) continue;
      const day = imageExpiryDay(item.createdAt, days);
      if (day <= today) {
        if (await expireImage(deps, item)) imagesExpired += 1;
      } else if (item.image_expires_on !== day) {
        await deps.receipts.setExpiry(item, day);
      }
      receipts += 1;
    }
  }
  deps.log.info('retention applied', { owner, days, receipts, imagesExpired });
  return { days, receipts, imagesExpired };
}
