import { createHash } from 'node:crypto';
import type {
  StatementCsvMapping,
  StatementCsvMappingInput,
  StatementFormat,
  StatementLineOutcome,
} from '../../generated/graphql.ts';
import { categoryDateOf, type ExpenseItem } from '../../model/expenses.ts';
import { changeRecord } from '../../model/history.ts';
import type { Conversion } from '../../model/rates.ts';
import {
  DEFAULT_MATCH_WINDOW_DAYS,
  IMPORT_LEASE_MS,
  IMPORT_MAX_ATTEMPTS,
  MAX_STATEMENT_BYTES,
  MAX_STATEMENT_LINES,
  reportLineKey,
  reportLinesPartition,
  statementObjectKey,
  type StatementImportItem,
  type StatementLineRef,
  type StatementReportLineItem,
} from '../../model/statements.ts';
import type { CategoryChoice } from '../shared/categorize/core.ts';
import { FieldError } from '../shared/field-call.ts';
import { leaseIsFree, newLease, type JobLease } from '../shared/jobs.ts';
import { matchReceipts, type ReceiptCandidate } from './matching.ts';
import {
  columnNamesOf,
  completeMapping,
  readStatement,
  StatementFileError,
  type ParsedLine,
  type ParsedStatement,
} from './parse.ts';

/** A line's claim: the expense it became or was matched to, so no later import takes it again. */
export interface LineClaim {
  lineKey: string;
  importId: string;
  expenseId: string;
  outcome: 'CREATED' | 'MATCHED';
  receiptId: string | null;
  reason: string;
  /** False until the expense write is done: a claim left unwritten by a crash is taken over. */
  written: boolean;
}

export interface StatementDeps {
  objects: {
    presignPut(input: { key: string; size: number; sha256Base64?: string; expiresInSeconds: number }): Promise<string>;
    /** The object's bytes, or null when there is none. */
    read(key: string): Promise<Uint8Array | null>;
  };
  uploads: {
    put(owner: string, upload: { uploadId: string; fileName: string; size: number; createdAt: string }): Promise<void>;
  };
  imports: {
    get(owner: string, importId: string): Promise<StatementImportItem | null>;
    /**
     * RUNNING under this lease, attempts + 1: a PENDING import, or a RUNNING one whose lease ran out
     * or is void, with attempts left; the item as claimed, or null when it is not to be run now.
     */
    claim(owner: string, importId: string, lease: JobLease, maxAttempts: number): Promise<StatementImportItem | null>;
    /** Extends our lease; false when it is no longer ours. */
    renew(owner: string, importId: string, leaseId: string, until: number): Promise<boolean>;
    /** Gives our lease back (this run failed; Lambda's retry may claim it at once). */
    release(owner: string, importId: string, leaseId: string): Promise<void>;
    /** SUCCEEDED or FAILED with these fields: out of the pending index, no lease. */
    finish(owner: string, importId: string, fields: Partial<StatementImportItem>): Promise<void>;
    putLine(line: StatementReportLineItem): Promise<void>;
    /** One page of unfinished imports of every user, last changed before `before` (ISO), oldest first. */
    stale(
      before: string,
      cursor?: unknown,
    ): Promise<{ imports: Array<{ owner: string; importId: string }>; cursor?: unknown }>;
  };
  claims: {
    /** Takes the line's claim unless a written one exists; answers the written one then. */
    claim(owner: string, claim: LineClaim): Promise<LineClaim | null>;
    markWritten(owner: string, lineKey: string): Promise<void>;
  };
  expenses: {
    /** Every expense dated between the two days (inclusive), a Query page at a time. */
    between(owner: string, from: string, to: string): Promise<ExpenseItem[]>;
    /** Conditional put; false when the id exists already. */
    putNew(item: ExpenseItem & { statementLine: StatementLineRef }): Promise<boolean>;
    /** Sets the line on the expense unless another line holds it; false then. */
    attachLine(owner: string, expenseId: string, line: StatementLineRef, now: string): Promise<boolean>;
  };
  /** Budgets look at the new expenses (BudgetFn, asynchronously): one request per category and day. */
  expensesAdded(owner: string, items: ExpenseItem[]): Promise<void>;
  homeCurrency(owner: string): Promise<string>;
  /** The amount in the owner's home currency at the rate of its day, or null while no rate is known. */
  convert(owner: string, expense: { amount: number; currency: string; date: string }): Promise<Conversion | null>;
  categorize(owner: string, description: string): Promise<CategoryChoice>;
  /** An expense id derived from the line: the same line always gets the same id. */
  expenseIdOf(owner: string, lineKey: string, date: string): string;
  newId(): string;
  now(): Date;
  /** Leases taken before this instant are void (functions/shared/config.ts processingLeasesVoidBefore); null on AWS. */
  leasesVoidBefore: Date | null;
  /** IMPORT_LEASE_MS unless given. */
  leaseMs?: number;
  log: { warn(message: string, extra?: Record<string, unknown>): void };
}

const UPLOAD_URL_SECONDS = 900;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const PREVIEW_LINES = 20;
const SAMPLE_ROWS = 5;
/** Unmatched receipts kept on the import item (an item is at most 400 KB). */
const MAX_UNMATCHED_LISTED = 200;

const invalid = (field: string, message: string, info: Record<string, unknown> = {}) =>
  new FieldError('ValidationError', message, { field, ...info });

export async function createStatementUpload(
  deps: StatementDeps,
  owner: string,
  input: { fileName: string; size: number; sha256?: string | null },
) {
  const fileName = String(input.fileName ?? '').trim();
  if (fileName.length < 1 || fileName.length > 255 || /[\u0000-\u001f]/.test(fileName))
    throw invalid('fileName', 'fileName must be 1 to 255 printable characters', { min: 1, max: 255 });
  if (!Number.isInteger(input.size) || input.size < 1 || input.size > MAX_STATEMENT_BYTES)
    throw new FieldError(
      input.size > MAX_STATEMENT_BYTES ? 'LimitExceeded' : 'ValidationError',
      `size must be 1 to ${MAX_STATEMENT_BYTES} bytes`,
      { field: 'size', min: 1, max: MAX_STATEMENT_BYTES },
    );
  const sha256 = input.sha256 == null ? null : input.sha256.toLowerCase();
  if (sha256 !== null && !SHA256_HEX.test(sha256)) throw invalid('sha256', 'sha256 must be 64 hex characters');
  const uploadId = deps.newId();
  const now = deps.now();
  await deps.uploads.put(owner, { uploadId, fileName, size: input.size, createdAt: now.toISOString() });
  const sha256Base64 = sha256 ? Buffer.from(sha256, 'hex').toString('base64') : undefined;
  const uploadUrl = await deps.objects.presignPut({
    key: statementObjectKey(owner, uploadId),
    size: input.size,
    sha256Base64,
    expiresInSeconds: UPLOAD_URL_SECONDS,
  });
  // Written once (S3's conditional write): the URL cannot replace a file already previewed or imported.
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'if-none-match': '*' };
  if (sha256Base64) headers['x-amz-checksum-sha256'] = sha256Base64;
  return {
    uploadId,
    uploadUrl,
    uploadHeaders: JSON.stringify(headers),
    expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  };
}

async function readUpload(deps: StatementDeps, owner: string, uploadId: string): Promise<Uint8Array> {
  if (typeof uploadId !== 'string' || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(uploadId))
    throw invalid('uploadId', 'uploadId is not an upload id');
  const bytes = await deps.objects.read(statementObjectKey(owner, uploadId));
  // Another user's upload id reads nothing here: the key starts with the caller's id.
  if (!bytes) throw new FieldError('NotFound', `No uploaded statement ${uploadId}`, { uploadId });
  if (bytes.length > MAX_STATEMENT_BYTES)
    throw new FieldError('LimitExceeded', `A statement is at most ${MAX_STATEMENT_BYTES} bytes`, {
      max: MAX_STATEMENT_BYTES,
    });
  return bytes;
}

function mappingOf(input: StatementCsvMappingInput | null | undefined) {
  if (!input) return null;
  return (table: Parameters<typeof completeMapping>[1]) => completeMapping(input, table);
}

/** Reads with the caller's mapping completed against the file (or the proposed one). */
function readWith(
  bytes: Uint8Array,
  format: StatementFormat | null | undefined,
  csv: StatementCsvMappingInput | null | undefined,
  currency: string,
) {
  const first = readStatement(bytes, { format, currency });
  const complete = mappingOf(csv);
  if (first.format !== 'CSV' || !complete || !first.table) return first;
  return readStatement(bytes, { format: 'CSV', currency, csv: complete(first.table) });
}

function asFieldError(error: unknown): never {
  if (error instanceof StatementFileError)
    throw new FieldError('ValidationError', error.message, { field: error.field });
  throw error;
}

export async function previewStatement(
  deps: StatementDeps,
  owner: string,
  uploadId: string,
  csv?: StatementCsvMappingInput | null,
) {
  const bytes = await readUpload(deps, owner, uploadId);
  const currency = await deps.homeCurrency(owner);
  let read: ReturnType<typeof readWith>;
  try {
    read = readWith(bytes, null, csv, currency);
  } catch (error) {
    asFieldError(error);
  }
  const mapping = read.mapping ?? null;
  return {
    uploadId,
    format: read.format,
    account: read.account,
    currency: read.currency,
    lineCount: read.lines.length,
    columns: read.table && mapping ? columnNamesOf(read.table, mapping.headerRow) : [],
    sampleRows: read.table && mapping ? read.table.rows.slice(mapping.headerRow ? 1 : 0).slice(0, SAMPLE_ROWS) : [],
    mapping: mapping && { ...mapping, delimiter: mapping.delimiter === '\t' ? '\\t' : mapping.delimiter },
    lines: read.lines.slice(0, PREVIEW_LINES).map((l) => ({
      date: l.date,
      amount: l.amount,
      currency: l.currency,
      description: l.description,
      problem: l.problem,
    })),
  };
}

/**
 * A line's identity across imports: the account and the bank's transaction id when it gives one;
 * otherwise account, day, amount, currency, text and the how-many-th such line of the file it is
 * (two coffees of the same price on one day are two lines).
 */
export function lineKeysOf(account: string, lines: ParsedLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    let identity: string;
    if (line.transactionId) identity = `id|${line.transactionId}`;
    else {
      const base = `${line.date}|${line.amount}|${line.currency}|${line.description.toLowerCase().replace(/\s+/g, ' ')}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      identity = `${base}|${n}`;
    }
    return createHash('sha256').update(`${account}\n${identity}`).digest('base64url');
  });
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function failure(error: unknown): StatementImportItem['error'] {
  if (error instanceof FieldError)
    return { errorType: error.errorType, message: error.message, errorInfo: error.errorInfo };
  if (error instanceof StatementFileError)
    return { errorType: 'ValidationError', message: error.message, errorInfo: { field: error.field } };
  return null;
}

/** The typed error of an import whose every run died (or threw something unforeseen). */
const GAVE_UP = { errorType: 'InternalError', message: 'The import could not be completed' };

/**
 * Runs one import to its end. Safe to run again (Lambda retries an Event, the sweep runs it after
 * a lost start or a dead run, the user imports the same file again): the run holds the import
 * under a lease it renews while it works, so two runs never work on it at once; each line is
 * claimed before its expense is written, a created expense's id is derived from the line, and a
 * receipt's expense takes one line only, so nothing is made twice.
 */
export async function runImport(
  deps: StatementDeps,
  owner: string,
  importId: string,
): Promise<{ created: number; matched: number } | null> {
  const current = await deps.imports.get(owner, importId);
  if (!current || current.status === 'SUCCEEDED' || current.status === 'FAILED') return null;
  const leaseMs = deps.leaseMs ?? IMPORT_LEASE_MS;
  const lease = newLease(deps.now(), leaseMs, deps.leasesVoidBefore);
  const item = await deps.imports.claim(owner, importId, lease, IMPORT_MAX_ATTEMPTS);
  if (!item) {
    await failIfExhausted(deps, owner, importId, lease);
    return null;
  }
  const heartbeat = setInterval(() => {
    void deps.imports.renew(owner, importId, lease.id, deps.now().getTime() + leaseMs).catch(() => {});
  }, leaseMs / 3);
  let error: StatementImportItem['error'];
  try {
    return await importLines(deps, owner, item);
  } catch (thrown) {
    error = failure(thrown);
    if (!error) {
      if ((item.attempts ?? 1) < IMPORT_MAX_ATTEMPTS) {
        // Lambda retries the Event (or the sweep runs it); what was written stays and is not redone.
        await deps.imports.release(owner, importId, lease.id).catch(() => {});
        throw thrown;
      }
      deps.log.warn('statement import failed on its last attempt', { importId, error: String(thrown) });
      error = GAVE_UP;
    }
  } finally {
    clearInterval(heartbeat);
  }
  const finishedAt = deps.now().toISOString();
  await deps.imports.finish(owner, importId, { status: 'FAILED', error, updatedAt: finishedAt, finishedAt });
  return null;
}

/** Not claimable: held by a live run, or every attempt used by runs that died (then it is FAILED). */
async function failIfExhausted(deps: StatementDeps, owner: string, importId: string, lease: JobLease): Promise<void> {
  const item = await deps.imports.get(owner, importId);
  if (!item || item.status !== 'RUNNING' || (item.attempts ?? 0) < IMPORT_MAX_ATTEMPTS) return;
  if (!leaseIsFree(item, lease)) return;
  deps.log.warn('statement import gave up: every run died', { importId, attempts: item.attempts });
  const finishedAt = deps.now().toISOString();
  await deps.imports.finish(owner, importId, { status: 'FAILED', error: GAVE_UP, updatedAt: finishedAt, finishedAt });
}

/**
 * The job sweep's part for imports: every import still unfinished a lease after its last change,
 * whose start was lost (still PENDING) or whose run died (RUNNING, its lease run out), is run here
 * again; one a live run holds is left to it. Stops starting more when `timeLeftMs` runs low (an
 * import may take minutes); the next sweep continues.
 */
export async function sweepImports(
  deps: StatementDeps,
  options: { timeLeftMs: () => number; reserveMs?: number },
): Promise<{ imported: number; notRun: number; failed: number }> {
  const counts = { imported: 0, notRun: 0, failed: 0 };
  const before = new Date(deps.now().getTime() - (deps.leaseMs ?? IMPORT_LEASE_MS)).toISOString();
  let cursor: unknown;
  do {
    const page = await deps.imports.stale(before, cursor);
    for (const { owner, importId } of page.imports) {
      if (options.timeLeftMs() < (options.reserveMs ?? 0)) return counts;
      try {
        if (await runImport(deps, owner, importId)) counts.imported += 1;
        else counts.notRun += 1;
      } catch (error) {
        counts.failed += 1;
        deps.log.warn('statement import failed in the sweep; the next sweep runs it again', {
          importId,
          error: String(error),
        });
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return counts;
}

async function importLines(deps: StatementDeps, owner: string, item: StatementImportItem) {
  const importId = item.import_key;
  const request = item.request as {
    format?: StatementFormat | null;
    csv?: StatementCsvMappingInput | null;
    currency?: string | null;
    account?: string | null;
    matchWindowDays?: number | null;
  };
  const bytes = await readUpload(deps, owner, item.uploadId);
  const currency = request.currency ?? (await deps.homeCurrency(owner));
  const read: ParsedStatement & { mapping?: StatementCsvMapping } = readWith(
    bytes,
    request.format,
    request.csv,
    currency,
  );
  if (read.lines.length > MAX_STATEMENT_LINES)
    throw new FieldError('LimitExceeded', `A statement is read up to ${MAX_STATEMENT_LINES} lines`, {
      max: MAX_STATEMENT_LINES,
      lines: read.lines.length,
    });
  const account = request.account ?? read.account ?? 'default';
  const window = request.matchWindowDays ?? DEFAULT_MATCH_WINDOW_DAYS;
  const keys = lineKeysOf(account, read.lines);

  const debits = read.lines.filter((l) => !l.problem && l.amount !== null && l.amount < 0 && l.date && l.currency);
  const days = debits.map((l) => l.date!).sort();
  let candidates: ReceiptCandidate[] = [];
  // Receipt expenses that already carry a line of this file (a run that stopped between the write
  // and its claim's mark): the line stays theirs.
  const attached = new Map<string, ExpenseItem>();
  if (days.length > 0) {
    const expenses = await deps.expenses.between(owner, addDays(days[0], -window), addDays(days.at(-1)!, window));
    for (const e of expenses) {
      const line = (e as { statementLine?: StatementLineRef }).statementLine;
      if (e.receiptId && line?.key) attached.set(line.key, e);
    }
    candidates = expenses
      .filter((e) => e.receiptId && !(e as { statementLine?: unknown }).statementLine)
      .map((e) => ({
        expenseId: e.expense_id,
        receiptId: e.receiptId!,
        merchant: e.merchant,
        date: e.date,
        amount: e.amount,
        currency: e.currency,
      }));
  }
  const { matches, unmatched } = matchReceipts(
    debits.map((l) => ({
      index: l.index,
      date: l.date!,
      amount: -l.amount!,
      currency: l.currency!,
      description: l.description,
    })),
    candidates,
    window,
  );

  const added: ExpenseItem[] = [];
  const counts = {
    lineCount: read.lines.length,
    created: 0,
    matched: 0,
    alreadyImported: 0,
    skippedCredits: 0,
    invalid: 0,
  };
  for (const [i, line] of read.lines.entries()) {
    const report = (
      outcome: StatementLineOutcome,
      reason: string,
      expenseId?: string | null,
      receiptId?: string | null,
    ) =>
      deps.imports.putLine({
        user_id: reportLinesPartition(owner),
        import_key: reportLineKey(importId, line.index),
        index: line.index,
        date: line.date,
        amount: line.amount === null ? null : -line.amount,
        currency: line.currency,
        description: line.description,
        outcome,
        reason,
        expenseId: expenseId ?? null,
        receiptId: receiptId ?? null,
      });
    if (line.problem || line.amount === null || !line.date || !line.currency) {
      counts.invalid++;
      await report('INVALID', line.problem ?? 'the line has no day, amount or currency');
      continue;
    }
    if (line.amount >= 0) {
      counts.skippedCredits++;
      await report('SKIPPED_CREDIT', line.amount === 0 ? 'a zero amount' : 'money in, not an expense');
      continue;
    }
    const ref: StatementLineRef = {
      key: keys[i],
      importId,
      account,
      date: line.date,
      amount: -line.amount,
      currency: line.currency,
      description: line.description,
    };
    const match = matches.get(line.index);
    const before = attached.get(keys[i]);
    const decided: LineClaim = before
      ? {
          lineKey: keys[i],
          importId,
          expenseId: before.expense_id,
          outcome: 'MATCHED',
          receiptId: before.receiptId,
          reason: `receipt ${before.receiptId} (${before.merchant}, ${before.date}) already carries this line`,
          written: false,
        }
      : match
        ? {
            lineKey: keys[i],
            importId,
            expenseId: match.candidate.expenseId,
            outcome: 'MATCHED',
            receiptId: match.candidate.receiptId,
            reason: match.reason,
            written: false,
          }
        : {
            lineKey: keys[i],
            importId,
            expenseId: deps.expenseIdOf(owner, keys[i], line.date),
            outcome: 'CREATED',
            receiptId: null,
            reason: 'no receipt of the same amount, currency, days and merchant',
            written: false,
          };
    const held = await deps.claims.claim(owner, decided);
    if (held && held.importId !== importId) {
      counts.alreadyImported++;
      await report('ALREADY_IMPORTED', `import ${held.importId} took this line`, held.expenseId, held.receiptId);
      continue;
    }
    let claim = held ?? decided;
    if (!claim.written) claim = await writeLine(deps, owner, claim, ref, added);
    if (claim.outcome === 'MATCHED') counts.matched++;
    else counts.created++;
    await report(claim.outcome, claim.reason, claim.expenseId, claim.receiptId);
  }

  // Before the import is SUCCEEDED: a crash here reruns it, and budget evaluation is idempotent (an alert fires once).
  if (added.length > 0) await deps.expensesAdded(owner, added);
  const now = deps.now().toISOString();
  const unmatchedReceipts = candidates
    .filter((c) => unmatched.has(c.expenseId) && days.length > 0 && c.date >= days[0] && c.date <= days.at(-1)!)
    .slice(0, MAX_UNMATCHED_LISTED)
    .map((c) => ({ ...c, reason: unmatched.get(c.expenseId)! }));
  await deps.imports.finish(owner, importId, {
    status: 'SUCCEEDED',
    format: read.format,
    account,
    counts,
    unmatchedReceipts,
    error: null,
    updatedAt: now,
    finishedAt: now,
  });
  return counts;
}

async function writeLine(
  deps: StatementDeps,
  owner: string,
  claim: LineClaim,
  ref: StatementLineRef,
  added: ExpenseItem[],
) {
  const now = deps.now().toISOString();
  if (claim.outcome === 'MATCHED') {
    if (await deps.expenses.attachLine(owner, claim.expenseId, ref, now)) {
      await deps.claims.markWritten(owner, claim.lineKey);
      return { ...claim, written: true };
    }
    // The receipt's expense took another line meanwhile (or is gone): this line is an expense of its own.
    claim = {
      ...claim,
      outcome: 'CREATED',
      receiptId: null,
      expenseId: deps.expenseIdOf(owner, claim.lineKey, ref.date),
      reason: 'the matching receipt took another line meanwhile',
    };
    await deps.claims.claim(owner, claim);
  }
  const choice = await deps.categorize(owner, ref.description);
  // In the home currency at the rate of its day, as typed-in and OCR'd expenses are (or flagged needsRate).
  const converted = await deps.convert(owner, { amount: ref.amount, currency: ref.currency, date: ref.date });
  // A put that finds the id is a retry of this same line: the expense is there.
  const expense: ExpenseItem & { statementLine: StatementLineRef } = {
    user_id: owner,
    expense_id: claim.expenseId,
    merchant: ref.description.slice(0, 200) || 'Statement line',
    amount: ref.amount,
    currency: ref.currency,
    date: ref.date,
    category: choice.category,
    category_date: categoryDateOf(choice.category, ref.date),
    categorySource: choice.source,
    categoryConfidence: choice.confidence,
    ...(choice.customCategoryId ? { customCategoryId: choice.customCategoryId } : {}),
    receiptId: null,
    needsReview: false,
    note: null,
    converted,
    needsRate: converted === null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    statementLine: ref,
  };
  // Its creation is in its history (path IMPORT, by the owner who asked for the import), carried
  // on the item as every write path's change is (model/history.ts).
  expense.lastChange = changeRecord({
    itemType: 'EXPENSE',
    itemId: expense.expense_id,
    incarnation: now,
    version: 1,
    action: 'CREATED',
    at: now,
    atEpochSeconds: Math.floor(Date.parse(now) / 1000),
    by: owner,
    path: 'IMPORT',
    before: null,
    after: expense,
  });
  if (await deps.expenses.putNew(expense)) added.push(expense);
  await deps.claims.markWritten(owner, claim.lineKey);
  return { ...claim, written: true };
}
