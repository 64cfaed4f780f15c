import type { Category, CategorySource, DateOrder, ReceiptExtraction, ReceiptStatus } from '../../generated/graphql.ts';
import type { CategoryChoice, DetectedEntity } from '../categorize/core.ts';
import { checkReceiptContent } from '../receipts/receipt-content.ts';
import type { ReceiptItem } from '../receipts/receipt-item.ts';

/** The user settings OCR needs. */
export interface OwnerProfile {
  dateOrder: DateOrder;
  homeCurrency: string;
  timezone: string;
}

/** An Expenses table item as the OCR path writes it. */
export interface ExpenseItem {
  user_id: string;
  expense_id: string;
  merchant: string;
  amount: number;
  currency: string;
  date: string;
  category: Category;
  category_date: string;
  categorySource: CategorySource;
  categoryConfidence: number;
  receiptId: string | null;
  needsReview: boolean;
  note?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProcessingResult {
  status: Extract<ReceiptStatus, 'PROCESSED' | 'NEEDS_REVIEW' | 'FAILED'>;
  extraction: ReceiptExtraction | null;
  expenseId: string | null;
  possibleDuplicateOf: string | null;
  error: string | null;
}

export interface ProcessReceiptDeps {
  receipts: {
    /** Take the receipt for processing (UPLOADED/PENDING_UPLOAD, or PROCESSING with an expired lease). */
    acquireLease(owner: string, receiptId: string, leaseId: string, now: Date, leaseMs: number): Promise<ReceiptItem | null>;
    /** Record the outcome, only if the lease is still ours; false when it is not. */
    complete(owner: string, receiptId: string, leaseId: string, result: ProcessingResult, now: Date): Promise<boolean>;
  };
  objects: { get(key: string): Promise<Uint8Array | null> };
  /** Textract AnalyzeExpense on the bytes, parsed into one extraction; throws OcrUnreadable when the document cannot be read. */
  analyze(bytes: Uint8Array, profile: OwnerProfile): Promise<ReceiptExtraction>;
  profiles: { get(owner: string): Promise<OwnerProfile> };
  categorizer: {
    learned(owner: string, merchant: string): Promise<Category | null>;
    entities(text: string): Promise<DetectedEntity[]>;
    choose(input: { merchant: string; lineItems: string[] }, evidence: { learned: Category | null; entities: DetectedEntity[] }): CategoryChoice;
  };
  expenses: {
    get(owner: string, expenseId: string): Promise<ExpenseItem | null>;
    /** Create, or replace an OCR-made expense nobody edited (version 1); false when the user edited it. */
    putFromReceipt(item: ExpenseItem, replaceUnedited: boolean): Promise<boolean>;
    sameDay(owner: string, date: string): Promise<ExpenseItem[]>;
    merchantKeyOf(merchant: string): string;
  };
  /** Re-evaluate budgets touched by an expense change (exactly-once alerts are the budget core's job). */
  evaluateBudgets(owner: string, change: { dates: string[]; categories: Category[] }): Promise<void>;
  publishProcessed(owner: string, receiptId: string): Promise<void>;
  log: { info(message: string, extra?: Record<string, unknown>): void; warn(message: string, extra?: Record<string, unknown>): void };
  now: () => Date;
  leaseMs: number;
  /** Below this confidence, merchant, date and total send the receipt to review. */
  reviewConfidence: number;
}

/** The document cannot be read (Textract's BadDocument/UnsupportedDocument, no text at all). */
export class OcrUnreadable extends Error {
  override name = 'OcrUnreadable';
}

const UNKNOWN_MERCHANT = 'Unknown merchant';

function todayIn(timezone: string, now: Date): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function reviewReasons(extraction: ReceiptExtraction, minConfidence: number): string[] {
  const reasons: string[] = [];
  const check = (name: string, field: { confidence: number } | null | undefined) => {
    if (!field) reasons.push(`${name} not found`);
    else if (field.confidence < minConfidence) reasons.push(`${name} read with low confidence (${Math.round(field.confidence * 100)} %)`);
  };
  check('merchant', extraction.merchant);
  check('date', extraction.date);
  check('total', extraction.total);
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
    category_date: `${choice.category}#${date}`,
    categorySource: choice.source,
    categoryConfidence: choice.confidence,
    receiptId,
    needsReview,
    note: null,
    version: 1,
    createdAt: iso,
    updatedAt: iso,
  };
}

/**
 * Process one uploaded receipt: lease it, read it, create its expense, record the outcome,
 * re-evaluate budgets and tell the owner's devices. Every step is idempotent and keyed on
 * the receipt id, so a duplicated or retried event, or a crash anywhere, never loses the
 * receipt or makes a second expense: a crashed run's lease expires and the sweep re-drives it.
 */
export async function processReceipt(deps: ProcessReceiptDeps, owner: string, receiptId: string, leaseId: string): Promise<ProcessingResult | null> {
  const started = deps.now();
  const receipt = await deps.receipts.acquireLease(owner, receiptId, leaseId, started, deps.leaseMs);
  if (!receipt) {
    deps.log.info('receipt not processed: already done, in progress elsewhere, or unknown', { receiptId });
    return null;
  }

  const result = await readAndRecord(deps, owner, receipt);
  const recorded = await deps.receipts.complete(owner, receiptId, leaseId, result, deps.now());
  if (!recorded) {
    deps.log.warn('lease lost before completion; another run owns the receipt now', { receiptId });
    return null;
  }
  if (result.expenseId) {
    const expense = await deps.expenses.get(owner, result.expenseId);
    if (expense) await deps.evaluateBudgets(owner, { dates: [expense.date], categories: [expense.category] });
  }
  await deps.publishProcessed(owner, receiptId);
  deps.log.info('receipt processed', { receiptId, status: result.status, ms: deps.now().getTime() - started.getTime() });
  return result;
}

async function readAndRecord(deps: ProcessReceiptDeps, owner: string, receipt: ReceiptItem): Promise<ProcessingResult> {
  const failed = (error: string): ProcessingResult => ({ status: 'FAILED', extraction: null, expenseId: null, possibleDuplicateOf: null, error });

  const bytes = await deps.objects.get(receipt.s3Key);
  if (!bytes) return failed('The image was never uploaded or has been deleted');
  const content = checkReceiptContent(bytes);
  if (!content.ok) return failed(content.detail);
  if (content.contentType !== receipt.contentType) {
    return failed(`The file is ${content.contentType} but was declared as ${receipt.contentType}`);
  }

  const profile = await deps.profiles.get(owner);
  let extraction: ReceiptExtraction;
  try {
    extraction = await deps.analyze(bytes, profile);
  } catch (error) {
    if (error instanceof OcrUnreadable) return failed(`The receipt could not be read: ${error.message}`);
    throw error;
  }
  const readSomething = extraction.merchant || extraction.total || extraction.date || (extraction.rawText ?? '').trim().length > 0;
  if (!readSomething) return failed('No text could be read from the receipt');

  const reasons = reviewReasons(extraction, deps.reviewConfidence);
  const merchant = extraction.merchant?.value ?? UNKNOWN_MERCHANT;
  const lineItems = (extraction.lineItems ?? []).map((item) => item.description);
  const [learned, entities] = await Promise.all([
    extraction.merchant ? deps.categorizer.learned(owner, merchant) : Promise.resolve(null),
    deps.categorizer.entities([merchant, ...lineItems].join('\n')),
  ]);
  const choice = deps.categorizer.choose({ merchant, lineItems }, { learned, entities });
  const expense = expenseFromExtraction(owner, receipt.receipt_id, extraction, choice, profile, reasons.length > 0, deps.now());

  const previous = await deps.expenses.get(owner, expense.expense_id);
  const written = await deps.expenses.putFromReceipt(expense, true);
  if (previous && previous.date !== expense.date && written) {
    // A reprocess moved the expense to another day: budgets of the old day change too.
    await deps.evaluateBudgets(owner, { dates: [previous.date], categories: [previous.category] });
  }

  const duplicate = (await deps.expenses.sameDay(owner, expense.date)).find(
    (other) =>
      other.expense_id !== expense.expense_id &&
      other.receiptId &&
      other.amount === expense.amount &&
      deps.expenses.merchantKeyOf(other.merchant) === deps.expenses.merchantKeyOf(expense.merchant),
  );

  return {
    status: reasons.length > 0 ? 'NEEDS_REVIEW' : 'PROCESSED',
    extraction,
    expenseId: expense.expense_id,
    possibleDuplicateOf: duplicate?.receiptId ?? null,
    error: reasons.length > 0 ? `Please check: ${reasons.join('; ')}` : null,
  };
}
