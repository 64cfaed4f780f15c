import type { StatementFormat, StatementImportStatus, StatementLineOutcome } from '../generated/graphql.ts';
import { JOB_LEASE_MS, JOB_MAX_ATTEMPTS, JOB_PENDING } from './jobs.ts';

/**
 * Bank and card statements: a file uploaded to the bucket (presigned, under STATEMENT_KEY_PREFIX),
 * previewed (format, columns, a proposed CSV mapping), then imported in the background: every
 * debit line becomes an expense, or is matched to the receipt expense of the same purchase; the
 * outcome of each line is kept as a report (the StatementImports table).
 *
 * Keys: an import's summary is `{ user_id: owner, import_key: importId }`; its report lines are
 * `{ user_id: "<owner>#<importId>", import_key: "line#000001" }` (one Query per page); the claims
 * that make a re-import idempotent are `{ user_id: "<owner>#statement-lines", import_key: lineKey }`
 * naming the expense the line became. Every partition starts with the owner's id.
 */
export type { StatementFormat, StatementImportStatus, StatementLineOutcome };

export const STATEMENT_KEY_PREFIX = 'statements/';

/**
 * An import runs in the background like a job (model/jobs.ts), under the same rules: `pending` is
 * set on its summary until it is SUCCEEDED or FAILED (the sparse IMPORT_PENDING_INDEX, sorted by
 * `updatedAt`), a run holds it under a lease it renews while it works, and the job sweep runs again
 * an import whose start was lost or whose run died, up to IMPORT_MAX_ATTEMPTS runs.
 */
export const IMPORT_PENDING = JOB_PENDING;
export const IMPORT_PENDING_INDEX = 'pending-index';
export const IMPORT_LEASE_MS = JOB_LEASE_MS;
export const IMPORT_MAX_ATTEMPTS = JOB_MAX_ATTEMPTS;

/** Largest statement file taken. */
export const MAX_STATEMENT_BYTES = 5 * 1024 * 1024;
/** Most lines one import reads. */
export const MAX_STATEMENT_LINES = 20_000;
/** Default and largest date window (days) between a receipt's date and its statement line's. */
export const DEFAULT_MATCH_WINDOW_DAYS = 3;
export const MAX_MATCH_WINDOW_DAYS = 14;

/** `statements/<owner>/<uploadId>`: the owner's prefix, as for receipts. */
export function statementObjectKey(owner: string, uploadId: string): string {
  return `${STATEMENT_KEY_PREFIX}${owner}/${uploadId}`;
}

/** The partition of the owner's import reports: one fixed name, so account deletion and export find them all. */
export function reportLinesPartition(owner: string): string {
  return `${owner}#report-lines`;
}

/** What every report line key of one import begins with: an import's report is one Query. */
export function reportLinesPrefixOf(importId: string): string {
  return `${importId}#line#`;
}

/** `<importId>#line#000042`: zero-padded, so the lines of a report sort in file order. */
export function reportLineKey(importId: string, index: number): string {
  const digits = `${index}`;
  return `${reportLinesPrefixOf(importId)}${'000000'.slice(digits.length)}${digits}`;
}

export function lineClaimsPartition(owner: string): string {
  return `${owner}#statement-lines`;
}

/** A statement line as it is kept on the expense it became (or was matched to). */
export interface StatementLineRef {
  key: string;
  importId: string;
  account: string;
  date: string;
  /** Integer minor units, positive for money out. */
  amount: number;
  currency: string;
  description: string;
}

/** The summary item of one import. */
export interface StatementImportItem {
  user_id: string;
  import_key: string;
  status: StatementImportStatus;
  uploadId: string;
  fileName?: string | null;
  /** What the caller asked for (format, CSV mapping, account, window), validated. */
  request: Record<string, unknown>;
  format?: StatementFormat | null;
  account?: string | null;
  counts?: Record<string, number> | null;
  /** Receipts of the statement's days that no line matched, with why. */
  unmatchedReceipts?: Array<{
    receiptId: string;
    expenseId: string;
    merchant: string;
    date: string;
    amount: number;
    currency: string;
    reason: string;
  }> | null;
  error?: { errorType: string; message: string; errorInfo?: Record<string, unknown> | null } | null;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string | null;
  /** IMPORT_PENDING until SUCCEEDED or FAILED; absent after (sparse index). */
  pending?: typeof IMPORT_PENDING | null;
  /** Runs started so far. */
  attempts?: number;
  /** The run holding the import (RUNNING), until when, and since when (epoch ms). */
  lease_id?: string | null;
  lease_until?: number | null;
  leased_at?: number | null;
}

/** One report line of an import. */
export interface StatementReportLineItem {
  user_id: string;
  import_key: string;
  index: number;
  date: string | null;
  amount: number | null;
  currency: string | null;
  description: string;
  outcome: StatementLineOutcome;
  reason: string;
  expenseId?: string | null;
  receiptId?: string | null;
}

/** Uploads not yet imported: `{ user_id: "<owner>#uploads", import_key: uploadId }` with the file's name and size. */
export function uploadsPartition(owner: string): string {
  return `${owner}#uploads`;
}

/** An import item as the schema's StatementImport (its `lines` are a field of their own). */
export function statementImportOf(item: StatementImportItem) {
  const counts = item.counts || {};
  return {
    id: item.import_key,
    status: item.status,
    uploadId: item.uploadId,
    fileName: item.fileName || null,
    format: item.format || null,
    account: item.account || null,
    lineCount: counts.lineCount || 0,
    created: counts.created || 0,
    matched: counts.matched || 0,
    alreadyImported: counts.alreadyImported || 0,
    skippedCredits: counts.skippedCredits || 0,
    invalid: counts.invalid || 0,
    unmatchedReceipts: item.unmatchedReceipts || [],
    error: item.error ? { errorType: item.error.errorType, message: item.error.message } : null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    finishedAt: item.finishedAt || null,
  };
}
