import type { RateBook } from '../shared/currency/rate-book.ts';
import { conversionOf } from '../shared/currency/conversion.ts';
import { createHash } from 'node:crypto';
import type { DateOrder, ReceiptExtraction, ReceiptStatus } from '../../generated/graphql.ts';
import type { LearnedFiling } from '../../model/categories.ts';
import { entityTextOf, type CategoryChoice, type DetectedEntity } from '../shared/categorize/core.ts';
import { convertForTextract, identifyUpload } from '../shared/receipt-content.ts';
import { TEXT_RECEIPT_CONTENT_TYPE } from '../shared/receipt-intake.ts';
import { categoryDateOf, type ExpenseItem } from '../../model/expenses.ts';
import type { ReceiptItem } from '../../model/receipts.ts';
import { changeRecord, SYSTEM_ACTOR, type ChangeRecord } from '../../model/history.ts';
import { receiptChange } from '../shared/receipt-history.ts';
import type { ImageConverter } from '../shared/image-conversion.ts';
import { todayIn } from '../shared/periods.ts';

/** The user settings OCR needs. */
export interface OwnerProfile {
  dateOrder: DateOrder;
  homeCurrency: string;
  /** A zone the runtime knows (the profile reader falls back to UTC). */
  timezone: string;
}

/**
 * An expense change as the budget core takes it: the items before and after the write (null
 * when there was none). The items count over what the expense indexes show, which may lag.
 */
export interface ExpenseChange {
  before: ExpenseItem | null;
  after: ExpenseItem | null;
}

/** The errorType a FAILED receipt's `error` starts with, as the API's mutations name them. */
export type FailureType = 'DuplicateReceipt' | 'LimitExceeded' | 'ValidationError' | 'OcrFailed';

export interface ProcessingResult {
  status: Extract<ReceiptStatus, 'PROCESSED' | 'NEEDS_REVIEW' | 'FAILED'>;
  extraction: ReceiptExtraction | null;
  expenseId: string | null;
  possibleDuplicateOf: string | null;
  /** FAILED: `<FailureType>: <reason>`; NEEDS_REVIEW: what to check. */
  error: string | null;
  /** Hex SHA-256 of the object as read; null when it could not be read. */
  sha256: string | null;
}

/** A receipt as a run takes it: its record, plus what earlier runs left on it. */
export interface LeasedReceipt extends ReceiptItem {
  /** Runs that took the receipt in its current stage (reading it, or its follow-ups), this one included. */
  attempts: number;
  /** Why the last run that gave the receipt back failed. */
  lastError?: string | null;
  /** The outcome is recorded; budgets and the owner's devices are still to be told. */
  followUpsPending?: boolean;
  /** The expense as it was before this outcome's write (a reprocess), for the budgets' change. */
  expenseBefore?: ExpenseItem | null;
  /** When the current lease was taken (ms). */
  leasedAt?: number | null;
}

export interface LeaseRequest {
  id: string;
  now: number;
  until: number;
  /** Leases taken before this instant (ms) are void: the runs that held them are known to be gone. */
  voidBefore: number | null;
}

/**
 * The receipt's lease: only the run holding it records an outcome. Leases are short and
 * renewed while the run works, so one left by a crashed run is free again soon. Correctness
 * never rests on them (the expense id is the receipt id; every write is conditional): a lease
 * only keeps two runs from doing the same OCR.
 */
export interface ReceiptLeases {
  /**
   * Take the receipt for a run: to read it (waiting for OCR, or PROCESSING with a free lease),
   * or to finish the follow-ups of an outcome already recorded. null when another run holds
   * it or nothing is left to do.
   */
  acquire(owner: string, receiptId: string, lease: LeaseRequest): Promise<LeasedReceipt | null>;
  /** Extend our lease; false when it is no longer ours. */
  renew(owner: string, receiptId: string, leaseId: string, until: number): Promise<boolean>;
  /** The outcome (status, extraction, expense id…), recorded only under our lease; the follow-ups are then pending. */
  recordOutcome(
    owner: string,
    receiptId: string,
    leaseId: string,
    outcome: { result: ProcessingResult; expenseBefore: ExpenseItem | null },
    now: Date,
    /** The receipt's change (OCR's reading), carried on it as `lastChange` with its `version`, in the same write. */
    change: ChangeRecord,
  ): Promise<boolean>;
  /** The follow-ups are done: the receipt leaves the in-flight index. */
  finish(owner: string, receiptId: string, leaseId: string): Promise<boolean>;
  /** Give the lease back at once (this run failed and a retry may start now), noting why. */
  release(owner: string, receiptId: string, leaseId: string, reason: string): Promise<void>;
}

export interface ProcessReceiptDeps {
  receipts: ReceiptLeases;
  objects: { get(key: string): Promise<Uint8Array | null> };
  /** The owner's file-hash claims (the receipts repository's): one receipt per identical file. */
  fileHashes: {
    claim(
      owner: string,
      sha256: string,
      receiptId: string,
    ): Promise<{ claimed: true } | { claimed: false; firstReceiptId: string }>;
    release(owner: string, sha256: string, receiptId: string): Promise<void>;
    receipt(owner: string, receiptId: string): Promise<ReceiptItem | null>;
  };
  /** WebP or HEIC → JPEG, for one that arrived through a presigned upload (Textract reads neither). */
  images: ImageConverter;
  /** Textract AnalyzeExpense on the bytes, parsed into one extraction; throws OcrUnreadable when the document cannot be read. */
  analyze(bytes: Uint8Array, profile: OwnerProfile): Promise<ReceiptExtraction>;
  /** An e-receipt's text (text/plain, from an email) read by the same rules, without OCR. */
  readText(text: string, profile: OwnerProfile): ReceiptExtraction;
  profiles: { get(owner: string): Promise<OwnerProfile> };
  categorizer: {
    learned(owner: string, merchant: string): Promise<LearnedFiling | null>;
    entities(text: string): Promise<DetectedEntity[]>;
    choose(
      input: { merchant: string; lineItems: string[] },
      evidence: { learned: LearnedFiling | null; entities: DetectedEntity[] },
    ): CategoryChoice;
  };
  /** Exchange rates: the expense is converted into the owner's home currency as it is written (absent: only same-currency ones are). */
  rates?: RateBook;
  /** Keeps the search index in step with the expense written (functions/shared/search); absent in tests that do not search. */
  searchIndex?: { sync(before: ExpenseItem | null, after: ExpenseItem | null): Promise<unknown> };
  expenses: {
    get(owner: string, expenseId: string): Promise<ExpenseItem | null>;
    /** Create, or replace an OCR-made expense nobody edited (version 1); false when the user edited it. */
    putFromReceipt(item: ExpenseItem, replaceUnedited: boolean): Promise<boolean>;
    sameDay(owner: string, date: string): Promise<ExpenseItem[]>;
    merchantKeyOf(merchant: string): string;
  };
  /** Re-evaluate budgets touched by an expense change; safe to repeat (alerts fire once; a repeat delivers one recorded but not sent). */
  evaluateBudgets(owner: string, change: ExpenseChange): Promise<void>;
  /** The receipts' history (model/history.ts): a put under a key that is the change, so a repeat changes nothing. */
  history: { put(owner: string, record: ChangeRecord): Promise<void> };
  /** Push the stored receipt to its owner's devices; a repeat pushes the same payload. */
  publishProcessed(owner: string, receiptId: string): Promise<void>;
  /** An emailed receipt: tell its sender the outcome (a reply to their message); nothing for an upload. A repeat sends the same reply again. */
  replyToSender(owner: string, receiptId: string): Promise<void>;
  /** Once the indexes show concurrent writers' expenses too, look at the change's budgets again (safe to repeat, like evaluateBudgets). */
  settleBudgets(owner: string, change: ExpenseChange): Promise<void>;
  log: {
    info(message: string, extra?: Record<string, unknown>): void;
    warn(message: string, extra?: Record<string, unknown>): void;
    error(message: string, extra?: Record<string, unknown>): void;
  };
  now: () => Date;
  lease: {
    ms: number;
    /** Leases taken before this instant are void (see LeaseRequest); null when no run is known gone. */
    voidBefore: Date | null;
  };
  /** Runs per stage before giving up: reading → FAILED with the last reason; follow-ups → logged and dropped. */
  maxAttempts: number;
  /** Largest object accepted, in bytes. */
  maxBytes: number;
  /** Below this confidence, merchant, date and total send the receipt to review. */
  reviewConfidence: number;
}

/** The document cannot be read (Textract's BadDocument/UnsupportedDocument, no text at all). */
export class OcrUnreadable extends Error {
  override name = 'OcrUnreadable';
}

const UNKNOWN_MERCHANT = 'Unknown merchant';

function reviewReasons(extraction: ReceiptExtraction, minConfidence: number): string[] {
  const reasons: string[] = [];
  const check = (name: string, field: { confidence: number } | null | undefined) => {
    if (!field) reasons.push(`${name} not found`);
    else if (field.confidence < minConfidence)
      reasons.push(`${name} read with low confidence (${Math.round(field.confidence * 100)} %)`);
  };
  check('merchant', extraction.merchant);
  check('date', extraction.date);
  check('total', extraction.total);
  // A currency nothing on the receipt named is a guess: the person confirms it, it is never booked unseen.
  const currency = extraction.currency;
  if (currency && currency.confidence < minConfidence)
    reasons.push(`currency ${currency.value} is a guess (${Math.round(currency.confidence * 100)} %)`);
  return reasons;
}

/** The expense a receipt's extraction makes; its id is the receipt id, so a retry can never make a second one. */
export function expenseFromExtraction(
  owner: string,
  receiptId: string,
  extraction: ReceiptExtraction,
  choice: CategoryChoice,
  profile: OwnerProfile,
  needsReview: boolean,
  now: Date,
): ExpenseItem {
  const date = extraction.date?.value ?? todayIn(profile.timezone, now);
  const iso = now.toISOString();
  return {
    user_id: owner,
    expense_id: receiptId,
    merchant: extraction.merchant?.value?.slice(0, 200) || UNKNOWN_MERCHANT,
    amount: extraction.total?.amount ?? 0,
    currency: extraction.currency?.value ?? profile.homeCurrency,
    date,
    category: choice.category,
    category_date: categoryDateOf(choice.category, date),
    categorySource: choice.source,
    categoryConfidence: choice.confidence,
    // A custom category the merchant learned (the user's, live: the categorizer followed its merges).
    ...(choice.customCategoryId ? { customCategoryId: choice.customCategoryId } : {}),
    receiptId,
    needsReview,
    note: null,
    lineItemText: (extraction.lineItems ?? []).map((item) => item.description).filter((text) => !!text),
    version: 1,
    createdAt: iso,
    updatedAt: iso,
  };
}

function failed(type: FailureType, reason: string, extra: Partial<ProcessingResult> = {}): ProcessingResult {
  return {
    status: 'FAILED',
    extraction: null,
    expenseId: null,
    possibleDuplicateOf: null,
    error: `${type}: ${reason}`,
    sha256: null,
    ...extra,
  };
}

function reasonOf(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return [name, message].filter(Boolean).join(': ') || String(error);
}

/** What reading the receipt produced: the outcome, and the expense change it made (null when none). */
interface ReadOutcome {
  result: ProcessingResult;
  expenseBefore: ExpenseItem | null;
  change: ExpenseChange | null;
}

/**
 * Process one uploaded receipt, in two stages that each survive a crash or a failed call:
 *
 * 1. Read: lease the receipt, check the object, OCR it, write the expense (its id is the
 *    receipt id), then record the outcome (PROCESSED / NEEDS_REVIEW / FAILED) with the
 *    follow-ups marked pending.
 * 2. Follow-ups: re-evaluate budgets, push the receipt to the owner's devices, and only then
 *    take the receipt out of flight.
 *
 * A run that fails gives its lease back and throws (the event is retried); a run that dies
 * leaves a lease that expires. Either way the retry or the sweep resumes at the stage left
 * off: a duplicated or retried event never makes a second expense, and never loses the alert
 * or the push (both are safe to repeat: the alert fires once, the push carries the same receipt).
 */
export async function processReceipt(
  deps: ProcessReceiptDeps,
  owner: string,
  receiptId: string,
  leaseId: string,
): Promise<ProcessingResult | null> {
  const started = deps.now();
  const receipt = await deps.receipts.acquire(owner, receiptId, {
    id: leaseId,
    now: started.getTime(),
    until: started.getTime() + deps.lease.ms,
    voidBefore: deps.lease.voidBefore?.getTime() ?? null,
  });
  if (!receipt) {
    deps.log.info('receipt not processed: already done, in progress elsewhere, or unknown', { receiptId });
    return null;
  }
  const heartbeat = keepLease(deps, owner, receiptId, leaseId);
  try {
    // The receipt's last change (its upload, a reprocess asked for, or this outcome when only the
    // follow-ups are left) put in its history again, in case that put was lost to a crash: same key.
    if (receipt.lastChange) await deps.history.put(owner, receipt.lastChange as ChangeRecord);
    if (receipt.followUpsPending) {
      deps.log.info('resuming the follow-ups of a processed receipt', {
        receiptId,
        attempt: receipt.attempts,
        lastError: receipt.lastError ?? undefined,
      });
      const expense = receipt.expenseId ? await deps.expenses.get(owner, receipt.expenseId) : null;
      const before = receipt.expenseBefore ?? null;
      const change = expense || before ? { before, after: expense } : null;
      await followUp(deps, owner, receiptId, leaseId, change, receipt.attempts);
      return resultOf(receipt);
    }

    const outcome = await readStage(deps, owner, receipt, leaseId);
    const now = deps.now();
    const change = outcomeChange(receipt, outcome.result, now);
    if (!(await deps.receipts.recordOutcome(owner, receiptId, leaseId, outcome, now, change))) {
      deps.log.warn('lease lost before the outcome was recorded; another run owns the receipt now', { receiptId });
      return null;
    }
    await deps.history.put(owner, change);
    await followUp(deps, owner, receiptId, leaseId, outcome.change, 1);
    deps.log.info('receipt processed', {
      receiptId,
      status: outcome.result.status,
      ms: deps.now().getTime() - started.getTime(),
    });
    return outcome.result;
  } finally {
    heartbeat.stop();
  }
}

/**
 * What OCR read, as the receipt's change: by the system, path OCR, from the receipt as this run
 * took it (PROCESSING) to its outcome. Its version is the receipt's next (functions/shared/receipt-history.ts):
 * only the run holding the lease records an outcome, once, so a retried event never makes a second.
 */
function outcomeChange(receipt: LeasedReceipt, result: ProcessingResult, now: Date): ChangeRecord {
  const after: ReceiptItem = {
    ...receipt,
    status: result.status,
    extraction: result.extraction,
    expenseId: result.expenseId,
    possibleDuplicateOf: result.possibleDuplicateOf,
    error: result.error,
    ...(result.sha256 ? { sha256: result.sha256 } : {}),
  };
  return receiptChange({ action: 'UPDATED', by: SYSTEM_ACTOR, path: 'OCR', now }, receipt, after);
}

async function readStage(
  deps: ProcessReceiptDeps,
  owner: string,
  receipt: LeasedReceipt,
  leaseId: string,
): Promise<ReadOutcome> {
  const gaveUp = (reason: string): ReadOutcome => ({
    result: failed('OcrFailed', `Gave up after ${deps.maxAttempts} attempts: ${reason}`),
    expenseBefore: null,
    change: null,
  });
  // Earlier runs died without giving the lease back (a crash, a timeout): stop retrying for ever.
  if (receipt.attempts > deps.maxAttempts)
    return gaveUp(receipt.lastError ?? 'the run did not finish (crash or timeout)');
  try {
    return await readReceipt(deps, owner, receipt);
  } catch (error) {
    const reason = reasonOf(error);
    if (receipt.attempts >= deps.maxAttempts) return gaveUp(reason);
    deps.log.warn('receipt could not be read now; it will be retried', {
      receiptId: receipt.receipt_id,
      attempt: receipt.attempts,
      error: reason,
    });
    await deps.receipts.release(owner, receipt.receipt_id, leaseId, reason).catch(() => {});
    throw error;
  }
}

/** Budgets, then the owner's devices, then budgets once more when the indexes have settled, then out of flight. A failure gives the lease back and throws, so the retry starts here. */
async function followUp(
  deps: ProcessReceiptDeps,
  owner: string,
  receiptId: string,
  leaseId: string,
  change: ExpenseChange | null,
  attempt: number,
): Promise<void> {
  try {
    if (change) await deps.evaluateBudgets(owner, change);
    await deps.publishProcessed(owner, receiptId);
    await deps.replyToSender(owner, receiptId);
    if (change) await deps.settleBudgets(owner, change);
  } catch (error) {
    const reason = reasonOf(error);
    if (attempt < deps.maxAttempts) {
      deps.log.warn('receipt follow-ups failed; they will be retried', { receiptId, attempt, error: reason });
      await deps.receipts.release(owner, receiptId, leaseId, reason).catch(() => {});
      throw error;
    }
    deps.log.error('receipt follow-ups abandoned: budgets or devices may not have been told', {
      receiptId,
      attempts: attempt,
      error: reason,
    });
  }
  await deps.receipts.finish(owner, receiptId, leaseId);
}

function resultOf(receipt: LeasedReceipt): ProcessingResult {
  return {
    status: receipt.status as ProcessingResult['status'],
    extraction: receipt.extraction ?? null,
    expenseId: receipt.expenseId ?? null,
    possibleDuplicateOf: receipt.possibleDuplicateOf ?? null,
    error: receipt.error ?? null,
    sha256: receipt.sha256 ?? null,
  };
}

/** Renew the lease every third of its length while the run works. */
function keepLease(deps: ProcessReceiptDeps, owner: string, receiptId: string, leaseId: string): { stop(): void } {
  const timer = setInterval(
    () => {
      deps.receipts.renew(owner, receiptId, leaseId, deps.now().getTime() + deps.lease.ms).then(
        (held) => {
          if (held) return;
          clearInterval(timer);
          deps.log.warn('lease taken over by another run', { receiptId });
        },
        (error: unknown) => deps.log.warn('could not renew the lease', { receiptId, error: reasonOf(error) }),
      );
    },
    Math.max(10, Math.floor(deps.lease.ms / 3)),
  );
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}

/**
 * Claim the file's hash for this receipt, as the inline upload does (presigned uploads arrive
 * without one unless the client sent it). Returns the first receipt when the owner already
 * has this file; null when it is this receipt's (also after an earlier attempt claimed it).
 */
async function firstReceiptWithFile(
  deps: ProcessReceiptDeps,
  owner: string,
  sha256: string,
  receiptId: string,
): Promise<string | null> {
  const claim = await deps.fileHashes.claim(owner, sha256, receiptId);
  if (claim.claimed || claim.firstReceiptId === receiptId) return null;
  const first = await deps.fileHashes.receipt(owner, claim.firstReceiptId);
  // That receipt never received its bytes: this one is the file's, and may be read.
  if (first?.status === 'PENDING_UPLOAD') return null;
  if (first) return first.receipt_id;
  // The first receipt was deleted but its claim survived (a crash mid-delete): take the claim over.
  await deps.fileHashes.release(owner, sha256, claim.firstReceiptId);
  const again = await deps.fileHashes.claim(owner, sha256, receiptId);
  return again.claimed || again.firstReceiptId === receiptId ? null : again.firstReceiptId;
}

async function readReceipt(deps: ProcessReceiptDeps, owner: string, receipt: ReceiptItem): Promise<ReadOutcome> {
  const none = (result: ProcessingResult): ReadOutcome => ({ result, expenseBefore: null, change: null });

  // What arrived in S3 is checked here, once: a presigned PUT is bound to a type and size, but
  // only these bytes say what the file really is.
  const bytes = await deps.objects.get(receipt.s3Key);
  if (!bytes) return none(failed('ValidationError', 'The image was never uploaded or has been deleted'));
  if (bytes.length > deps.maxBytes)
    return none(failed('LimitExceeded', `The file is ${bytes.length} bytes; the limit is ${deps.maxBytes} bytes`));
  if (bytes.length !== receipt.size)
    return none(failed('ValidationError', `The file is ${bytes.length} bytes but ${receipt.size} were declared`));
  const isText = receipt.contentType === TEXT_RECEIPT_CONTENT_TYPE;
  const content = isText ? ({ ok: true, contentType: TEXT_RECEIPT_CONTENT_TYPE } as const) : identifyUpload(bytes);
  if (content.ok === false) return none(failed('ValidationError', content.detail));
  const arrivedAs = content.ok === 'convert' ? content.from : content.contentType;
  if (arrivedAs !== receipt.contentType)
    return none(failed('ValidationError', `The file is ${arrivedAs} but was declared as ${receipt.contentType}`));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (receipt.sha256 && receipt.sha256 !== sha256) {
    return none(
      failed('ValidationError', `The file's SHA-256 is ${sha256} but ${receipt.sha256} was declared`, { sha256 }),
    );
  }
  // A declared hash was claimed when the upload was created (claiming again finds it ours); an
  // undeclared one is claimed now. Checked on every run, so a reprocess of a duplicate stays one.
  const [first, profile] = await Promise.all([
    firstReceiptWithFile(deps, owner, sha256, receipt.receipt_id),
    deps.profiles.get(owner),
  ]);
  if (first)
    return none(
      failed('DuplicateReceipt', `This file was already uploaded as receipt ${first}`, {
        sha256,
        possibleDuplicateOf: first,
      }),
    );

  // The object stays as uploaded (what its signed checksum describes, what imageUrl serves); Textract reads it as a JPEG.
  let document = bytes;
  if (content.ok === 'convert') {
    const converting = deps.now().getTime();
    const conversion = await convertForTextract(deps.images, bytes, content.from, deps.maxBytes);
    if (!conversion.ok) return none(failed(conversion.errorType, conversion.message, { sha256 }));
    document = conversion.jpeg;
    deps.log.info('receipt converted for OCR', {
      receiptId: receipt.receipt_id,
      from: content.from,
      bytes: document.length,
      ms: deps.now().getTime() - converting,
    });
  }

  let extraction: ReceiptExtraction;
  const ocrStarted = deps.now().getTime();
  try {
    extraction = isText
      ? deps.readText(Buffer.from(document).toString('utf8'), profile)
      : await deps.analyze(document, profile);
  } catch (error) {
    if (error instanceof OcrUnreadable)
      return none(failed('OcrFailed', `The receipt could not be read: ${error.message}`, { sha256 }));
    throw error;
  }
  deps.log.info('receipt read', { receiptId: receipt.receipt_id, ocrMs: deps.now().getTime() - ocrStarted });
  const readSomething =
    extraction.merchant || extraction.total || extraction.date || (extraction.rawText ?? '').trim().length > 0;
  if (!readSomething) return none(failed('OcrFailed', 'No text could be read from the receipt', { sha256 }));

  const reasons = reviewReasons(extraction, deps.reviewConfidence);
  const merchant = extraction.merchant?.value ?? UNKNOWN_MERCHANT;
  const lineItems = (extraction.lineItems ?? []).map((item) => item.description);
  // The expense's id is the receipt's: what it was before this write (a reprocess) is read alongside.
  const [learned, before] = await Promise.all([
    extraction.merchant ? deps.categorizer.learned(owner, merchant) : Promise.resolve(null),
    deps.expenses.get(owner, receipt.receipt_id),
  ]);
  // Comprehend (a paid call) only when the corrections, the brand index and the keywords find nothing.
  let choice = deps.categorizer.choose({ merchant, lineItems }, { learned, entities: [] });
  if (choice.category === 'OTHER') {
    const entities = await deps.categorizer.entities(
      entityTextOf({ merchant, lineItems, rawText: extraction.rawText }),
    );
    if (entities.length > 0) choice = deps.categorizer.choose({ merchant, lineItems }, { learned, entities });
  }
  const read = expenseFromExtraction(
    owner,
    receipt.receipt_id,
    extraction,
    choice,
    profile,
    reasons.length > 0,
    deps.now(),
  );
  // In the home currency at the rate of its day, as typed-in expenses are (or flagged needsRate).
  const conversion =
    read.currency === profile.homeCurrency
      ? conversionOf(read, profile.homeCurrency, null)
      : ((await deps.rates?.convert(owner, read, profile.homeCurrency)) ?? null);
  const expense: ExpenseItem = { ...read, converted: conversion, needsRate: conversion === null };
  // A retry or a reprocess replacing the unedited expense keeps its life (createdAt), so its
  // history entry is the same one put again, never a second creation.
  if (before && before.version === 1 && before.categorySource !== 'USER') expense.createdAt = before.createdAt;
  const now = deps.now();
  expense.lastChange = changeRecord({
    itemType: 'EXPENSE',
    itemId: expense.expense_id,
    incarnation: expense.createdAt,
    version: 1,
    action: 'CREATED',
    at: now.toISOString(),
    atEpochSeconds: Math.floor(now.getTime() / 1000),
    by: SYSTEM_ACTOR,
    path: 'OCR',
    before: null,
    after: expense,
  });

  // The item as written is the change's `after`: the budgets' spend query reads an index that
  // may not show it yet (GSIs are eventually consistent), so the budget core folds it in.
  // The same-day expenses exclude this one, so they are read while it is written.
  const [written, sameDay] = await Promise.all([
    deps.expenses.putFromReceipt(expense, true),
    deps.expenses.sameDay(owner, expense.date),
  ]);
  const after = written ? expense : before;
  if (written) await deps.searchIndex?.sync(before, expense);

  const duplicate = sameDay.find(
    (other) =>
      other.expense_id !== expense.expense_id &&
      other.receiptId &&
      other.amount === expense.amount &&
      deps.expenses.merchantKeyOf(other.merchant) === deps.expenses.merchantKeyOf(expense.merchant),
  );

  return {
    result: {
      status: reasons.length > 0 ? 'NEEDS_REVIEW' : 'PROCESSED',
      extraction,
      expenseId: expense.expense_id,
      possibleDuplicateOf: duplicate?.receiptId ?? null,
      error: reasons.length > 0 ? `Please check: ${reasons.join('; ')}` : null,
      sha256,
    },
    expenseBefore: before,
    change: { before, after },
  };
}

/** How the sweep decides what to re-drive. */
export interface SweepOptions {
  /** Prefix of the sweep's lease ids (its request id). */
  leasePrefix: string;
  /** A presigned upload may still arrive while its URL is valid: PENDING_UPLOAD receipts younger than this are left alone. */
  uploadWindowMs: number;
  /** False once the invocation has too little time left to take another receipt. */
  hasTimeLeft: () => boolean;
}

/**
 * The sweep: re-drives in-flight receipts whose event was lost, whose run crashed or gave up
 * (its lease ran out or is void), or whose follow-ups are unfinished. `candidates` are the
 * in-flight receipts last changed more than one lease ago (or before the void-before instant).
 */
export async function sweepStuckReceipts(
  deps: ProcessReceiptDeps,
  candidates: AsyncIterable<LeasedReceipt>,
  options: SweepOptions,
): Promise<{ processed: number; failed: number; left: number }> {
  const counts = { processed: 0, failed: 0, left: 0 };
  const now = deps.now().getTime();
  const voidBefore = deps.lease.voidBefore?.getTime() ?? null;
  for await (const receipt of candidates) {
    if (receipt.status === 'PENDING_UPLOAD' && Date.parse(receipt.updatedAt) > now - options.uploadWindowMs) continue;
    const leaseLive =
      (receipt.leaseUntil ?? 0) >= now && !(voidBefore !== null && (receipt.leasedAt ?? 0) < voidBefore);
    if (leaseLive) continue;
    if (!options.hasTimeLeft()) {
      counts.left += 1;
      continue;
    }
    try {
      if (
        await processReceipt(
          deps,
          receipt.user_id,
          receipt.receipt_id,
          `${options.leasePrefix}#sweep#${receipt.receipt_id}`,
        )
      )
        counts.processed += 1;
    } catch (error) {
      // One receipt failing must not stop the sweep; it stays in flight for the next one.
      counts.failed += 1;
      deps.log.warn('sweep could not finish a receipt', { receiptId: receipt.receipt_id, error: reasonOf(error) });
    }
  }
  return counts;
}
