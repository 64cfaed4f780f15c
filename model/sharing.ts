import type { Category, ShareSplitMethod } from '../generated/graphql.ts';

/**
 * Shared expenses and the balances between the people who share them (the Sharing table,
 * model/tables.ts). Every item lives in one user's partition (`user_id` = their sub), or, for a
 * person with no account yet, in the partition of their lower-cased email (pendingPartitionOf),
 * from where it moves, item by item and key unchanged, into their own partition once they have
 * signed up and call any sharing field. No item is ever in two partitions' keys at once, and no
 * transaction spans two partitions: each step is a conditional put of a key derived from the
 * share or the payment, so a retried call writes nothing twice.
 *
 * Balances are not running totals: each person keeps a ledger, one entry per share and per
 * payment (`LEDGER#<other's email>#<currency>#<entry>`), and a balance is the exact sum of the
 * entries of one person and currency. Amounts are integer minor units; currencies never mix.
 */

/** Sort key prefix of a shared expense, as each participant (and the payer) keeps it. */
export const SHARE_PREFIX = 'SHARE#';
/** Sort key prefix of ledger entries. */
export const LEDGER_PREFIX = 'LEDGER#';
/** People one expense is shared with, besides the payer. */
export const MAX_SHARE_PARTICIPANTS = 10;
/** Expenses one user may share in a day (UTC): each emails up to MAX_SHARE_PARTICIPANTS addresses of their choosing. */
export const MAX_SHARES_PER_DAY = 50;
/** Sort key prefix of a user's count of shares in a day. */
export const QUOTA_PREFIX = 'QUOTA#';

export function quotaKeyOf(day: string): string {
  return `${QUOTA_PREFIX}${day}`;
}

/** The partition that keeps what was shared with an email that has no account (yet). */
export function pendingPartitionOf(email: string): string {
  return `PENDING#${email}`;
}

export function shareKeyOf(shareId: string): string {
  return `${SHARE_PREFIX}${shareId}`;
}

/** The ledger entries with one person (and, given a currency, in that currency). */
export function ledgerPrefixOf(email: string, currency?: string): string {
  return `${LEDGER_PREFIX}${email}#${currency ? `${currency}#` : ''}`;
}

export function ledgerKeyOf(email: string, currency: string, entryId: string): string {
  return `${ledgerPrefixOf(email, currency)}${entryId}`;
}

/**
 * Where a payment between two people in one currency holds the lock that records payments one at a
 * time (settleShareBalance): a partition of the pair, the same whichever of them pays.
 */
export function settleLockOf(a: string, b: string, currency: string): { partition: string; key: string } {
  const [first, second] = a < b ? [a, b] : [b, a];
  return { partition: `SETTLING#${first}#${second}`, key: currency };
}

/** Sort key prefix of the mark a share withdrawn from everyone leaves in the payer's partition. */
export const WITHDRAWN_PREFIX = 'WITHDRAWN#';
/** Days that mark is kept (so a retried withdrawal answers the same), then TTL deletes it. */
export const WITHDRAWN_DAYS_KEPT = 7;

export function withdrawnKeyOf(shareId: string): string {
  return `${WITHDRAWN_PREFIX}${shareId}`;
}

/**
 * The notice a withdrawn participant is told by (leased and marked like a share's), in their
 * partition: one per sharing (`sharedAt`, its createdAt), so a share withdrawn, shared again and
 * withdrawn again tells them again.
 */
export function withdrawnNoticeKeyOf(shareId: string, sharedAt: string): string {
  return `${WITHDRAWN_PREFIX}${shareId}#${sharedAt}`;
}

/** One person's part of a shared expense. */
export type SharePart = { email: string; amount: number; payer: boolean };

/** A shared expense, the same in the payer's and in each participant's partition. */
export type SharedExpenseItem = {
  user_id: string;
  item_key: string;
  kind: 'share';
  shareId: string;
  payerEmail: string;
  merchant: string;
  date: string;
  amount: number;
  currency: string;
  category: Category;
  method: ShareSplitMethod;
  /** The payer first, then the participants in the order given. */
  parts: SharePart[];
  createdAt: string;
  /** When its owner was told of it (push and email); absent on the payer's own and until then. */
  notifiedAt?: string;
  /** When a call took the right to tell its owner (SharingPorts leaseNotice). */
  noticeLeasedAt?: string;
};

/** One entry of a person's ledger: `amount` > 0 when the other person owes them more by it. */
export type LedgerEntryItem = {
  user_id: string;
  item_key: string;
  kind: 'ledger';
  /** The other person's email (lower case). */
  email: string;
  currency: string;
  amount: number;
  /** What made it: a shared expense or a payment. */
  source: { shareId: string } | { settlementId: string; paidByMe: boolean };
  createdAt: string;
  /** On the other person's entry of a payment: when they were told of it. */
  notifiedAt?: string;
  /** When a call took the right to tell them. */
  noticeLeasedAt?: string;
};

/** How many expenses a user shared in a day (UTC); deleted by TTL a few days later. */
export type ShareQuotaItem = {
  user_id: string;
  item_key: string;
  kind: 'quota';
  count: number;
  /** Epoch seconds (the table's TTL attribute). */
  expires_at: number;
};

/**
 * The lock of a pair's payments in one currency (settleLockOf), held while one payment reads the
 * balance and writes both ledger entries, deleted after; TTL removes one left by a crash.
 */
export type SettleLockItem = {
  user_id: string;
  item_key: string;
  kind: 'lock';
  /** The payment that holds it (its settlement id). */
  holder: string;
  lockedAt: string;
  /** Epoch seconds (the table's TTL attribute). */
  expires_at: number;
};

/**
 * A withdrawn share: in the payer's partition when withdrawn from everyone (withdrawnKeyOf: a retry
 * of the withdrawal finds it), in a participant's while they are told (withdrawnNoticeKeyOf). Deleted by TTL.
 */
export type WithdrawnShareItem = {
  user_id: string;
  item_key: string;
  kind: 'withdrawn';
  shareId: string;
  /** Epoch seconds (the table's TTL attribute). */
  expires_at: number;
  notifiedAt?: string;
  noticeLeasedAt?: string;
};

export type SharingItem = SharedExpenseItem | LedgerEntryItem | ShareQuotaItem | SettleLockItem | WithdrawnShareItem;
