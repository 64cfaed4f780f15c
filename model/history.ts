import type { ChangePath, HistoryAction, HistoryItemType } from '../generated/graphql.ts';
import { RECEIPT_RETENTION_MAX_DAYS } from './data-lifecycle.ts';

/**
 * History: every change to an expense, budget or receipt, field by field, with who made it,
 * when and through which path. No Streams and no transactions: each write path records its
 * own change, in two places, so a crash never loses it and a retry never doubles it:
 *
 * 1. On the item itself, in the same single-item write: `lastChange`, the entry of the version
 *    being written. The change and the item can never disagree.
 * 2. In the History table, under a key that is the change itself,
 *    `<item id>#<type>#<incarnation>#<version>`: written right after the item, and again (the
 *    same key, the same entry) by whoever next finds it missing. Before an item is written again
 *    its previous `lastChange` is put too (the writer read it anyway), and `history(itemId)`
 *    puts the current one before it reads, so an entry whose write was lost in a crash appears
 *    at the next write or read of its item.
 *
 * A deletion leaves no item to carry its entry, so it goes the other way round: the entry is
 * put first, `pending`, with a condition that no entry has its key (a concurrent change took
 * the version: the delete would fail its own version condition too), then the item is deleted
 * on the version read. A pending deletion counts once its item (that incarnation) is gone, and
 * is ignored while it is still there (the delete failed or has not happened).
 *
 * The incarnation is the item's `createdAt`: a budget id (DINING-MONTHLY) comes back after a
 * delete, and its new life starts at version 1 again under another key.
 *
 * Valid APPSYNC_JS: the resolvers build entries with these functions, as the Lambdas do.
 */
export type { ChangePath, HistoryAction, HistoryItemType };

/** One field's change. Values as stored (JSON), null when absent. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** A change as an item carries it (`lastChange`) and as the History table keeps it (with the owner). */
export interface ChangeRecord {
  entry_key: string;
  itemType: HistoryItemType;
  itemId: string;
  /** The item's createdAt: which life of the id this is. */
  incarnation: string;
  version: number;
  action: HistoryAction;
  at: string;
  /** The user whose request made the change, or `system` for the system's own (OCR, retention). */
  by: string;
  path: ChangePath;
  changes: FieldChange[];
  /** A deletion not yet known to have happened (see above). */
  pending?: boolean;
  /** TTL (epoch seconds): history is kept as long as the bucket keeps receipt images at most. */
  expires_at: number;
}

export interface HistoryItem extends ChangeRecord {
  user_id: string;
}

/** `by` of changes nobody asked for at that moment: OCR reading an upload, the retention sweep. */
export const SYSTEM_ACTOR = 'system';

/** The fields recorded per type, in the order shown; anything else on an item is bookkeeping (leases, index keys, alert state). */
export const TRACKED_FIELDS: Readonly<Record<HistoryItemType, readonly string[]>> = {
  EXPENSE: [
    'merchant',
    'amount',
    'currency',
    'date',
    'category',
    'categorySource',
    'categoryConfidence',
    'customCategoryId',
    'note',
    'tags',
    'splits',
    'receiptId',
    'needsReview',
  ],
  BUDGET: ['name', 'category', 'period', 'amount', 'currency', 'thresholds', 'rollover'],
  RECEIPT: [
    'status',
    'fileName',
    'contentType',
    'size',
    'sha256',
    'expenseId',
    'possibleDuplicateOf',
    'error',
    'merchantRead',
    'dateRead',
    'totalRead',
    'taxRead',
    'currencyRead',
    'lineItemsRead',
    'imageExpiresOn',
    'imageExpiredAt',
  ],
};

const VERSION_DIGITS = 10;

function padded(version: number): string {
  const text = `${version}`;
  return '0000000000'.substring(0, VERSION_DIGITS - text.length) + text;
}

/** The History sort key of one change: one item's changes sort together, in version order within each life. */
export function historyEntryKey(
  itemId: string,
  itemType: HistoryItemType,
  incarnation: string,
  version: number,
): string {
  return `${itemId}#${itemType}#${incarnation}#${padded(version)}`;
}

/** begins_with prefix of an item's history: all its types (`<id>#`), or one. */
export function historyKeyPrefix(itemId: string, itemType?: HistoryItemType | null): string {
  return itemType ? `${itemId}#${itemType}#` : `${itemId}#`;
}

/** What a receipt item shows of itself, flat: OCR's reading by value (the confidences and raw text stay on the receipt). */
export function receiptHistoryView(item: any): Record<string, unknown> {
  if (!item) return {};
  const x = item.extraction || {};
  return {
    status: item.status,
    fileName: item.fileName,
    contentType: item.contentType,
    size: item.size,
    sha256: item.sha256,
    expenseId: item.expenseId,
    possibleDuplicateOf: item.possibleDuplicateOf,
    error: item.error,
    merchantRead: x.merchant ? x.merchant.value : null,
    dateRead: x.date ? x.date.value : null,
    totalRead: x.total ? x.total.amount : null,
    taxRead: x.tax ? x.tax.amount : null,
    currencyRead: x.currency ? x.currency.value : null,
    lineItemsRead: x.lineItems ? x.lineItems.length : null,
    imageExpiresOn: item.image_expires_on,
    imageExpiredAt: item.imageExpiredAt,
  };
}

function viewOf(itemType: HistoryItemType, item: any): Record<string, unknown> {
  if (!item) return {};
  return itemType === 'RECEIPT' ? receiptHistoryView(item) : item;
}

function valueOf(value: unknown): unknown {
  return value === undefined || value === '' ? null : value;
}

/** The tracked fields whose value differs between two states of an item (null state: none). */
export function changedFields(itemType: HistoryItemType, before: any, after: any): FieldChange[] {
  const from = viewOf(itemType, before);
  const to = viewOf(itemType, after);
  const changes: FieldChange[] = [];
  for (const field of TRACKED_FIELDS[itemType]) {
    const b = valueOf(from[field]);
    const a = valueOf(to[field]);
    if (JSON.stringify(b) !== JSON.stringify(a)) changes.push({ field, before: b, after: a });
  }
  return changes;
}

const DAY_SECONDS = 86400;

/** TTL of an entry made at `at`: kept as long as the bucket keeps a receipt image at most. */
export function historyExpiresAt(atEpochSeconds: number): number {
  return atEpochSeconds + RECEIPT_RETENTION_MAX_DAYS * DAY_SECONDS;
}

export interface ChangeInput {
  itemType: HistoryItemType;
  itemId: string;
  /** The item's createdAt. */
  incarnation: string;
  /** The version this change makes (the item's version after it; a deletion: the last version + 1). */
  version: number;
  action: HistoryAction;
  at: string;
  atEpochSeconds: number;
  by: string;
  path: ChangePath;
  before: any;
  after: any;
}

/** The record of one change (what the item carries as `lastChange`, and the History entry without its owner). */
export function changeRecord(input: ChangeInput): ChangeRecord {
  return {
    entry_key: historyEntryKey(input.itemId, input.itemType, input.incarnation, input.version),
    itemType: input.itemType,
    itemId: input.itemId,
    incarnation: input.incarnation,
    version: input.version,
    action: input.action,
    at: input.at,
    by: input.by,
    path: input.path,
    changes: changedFields(input.itemType, input.before, input.after),
    expires_at: historyExpiresAt(input.atEpochSeconds),
  };
}

/** The GraphQL HistoryEntry of a stored entry (before/after are AWSJSON: JSON strings on the wire). */
export function historyEntryOf(record: ChangeRecord): Record<string, unknown> {
  const changes = [];
  for (const change of record.changes || []) {
    changes.push({
      field: change.field,
      before: change.before === null || change.before === undefined ? null : JSON.stringify(change.before),
      after: change.after === null || change.after === undefined ? null : JSON.stringify(change.after),
    });
  }
  return {
    itemType: record.itemType,
    itemId: record.itemId,
    version: record.version,
    action: record.action,
    at: record.at,
    by: record.by,
    path: record.path,
    changes,
  };
}
