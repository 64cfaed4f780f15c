import { describe, expect, it } from 'vitest';
import type { ReceiptExtraction } from '../../../generated/graphql.ts';
import { categorizeExpense } from '../../../functions/categorize/core.ts';
import { OcrUnreadable, processReceipt, type ExpenseItem, type ProcessReceiptDeps, type ProcessingResult } from '../../../functions/process-receipt/core.ts';
import type { ReceiptItem } from '../../../functions/receipts/receipt-item.ts';

const OWNER = 'user-a';
const RECEIPT_ID = '01JAAAAAAAAAAAAAAAAAAAAAAA';
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

const goodExtraction: ReceiptExtraction = {
  merchant: { value: 'RESTORAN WAN SHENG', confidence: 0.97 },
  date: { value: '2018-03-21', confidence: 0.95 },
  total: { amount: 480, confidence: 0.99 },
  subtotal: null,
  tax: null,
  tip: null,
  currency: { value: 'MYR', confidence: 0.9 },
  lineItems: [{ description: 'TEH (B)', quantity: 1, unitPrice: 210, amount: 210, confidence: 0.9 }],
  rawText: 'RESTORAN WAN SHENG\nTOTAL 4.80',
} as ReceiptExtraction;

/** An in-memory world behind the ports: one receipts table, one expenses table, counters. */
function givenWorld(options: { extraction?: ReceiptExtraction; bytes?: Uint8Array | null; analyzeError?: Error; otherExpenses?: ExpenseItem[] } = {}) {
  const receipt: ReceiptItem = {
    user_id: OWNER,
    receipt_id: RECEIPT_ID,
    status: 'UPLOADED',
    status_key: `UPLOADED#${RECEIPT_ID}`,
    s3Key: `receipts/${OWNER}/${RECEIPT_ID}.jpg`,
    contentType: 'image/jpeg',
    size: JPEG.length,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
  };
  const expenses = new Map<string, ExpenseItem>((options.otherExpenses ?? []).map((e) => [e.expense_id, e]));
  const calls = { analyze: 0, published: 0, evaluations: [] as Array<{ dates: string[] }>, completions: [] as ProcessingResult[] };
  let clock = Date.parse('2024-06-01T10:00:00Z');
  const deps: ProcessReceiptDeps = {
    receipts: {
      async acquireLease(owner, id, leaseId, now, leaseMs) {
        await Promise.resolve();
        const free = receipt.status === 'UPLOADED' || receipt.status === 'PENDING_UPLOAD' || (receipt.status === 'PROCESSING' && (receipt.leaseUntil ?? 0) < now.getTime());
        if (owner !== OWNER || id !== RECEIPT_ID || !free) return null;
        Object.assign(receipt, { status: 'PROCESSING', leaseId, leaseUntil: now.getTime() + leaseMs });
        return { ...receipt };
      },
      async complete(_owner, _id, leaseId, result) {
        await Promise.resolve();
        if (receipt.leaseId !== leaseId) return false;
        Object.assign(receipt, { status: result.status, leaseId: null, expenseId: result.expenseId, error: result.error });
        calls.completions.push(result);
        return true;
      },
    },
    objects: { get: async () => (options.bytes === undefined ? JPEG : options.bytes) },
    async analyze() {
      calls.analyze += 1;
      await new Promise((r) => setTimeout(r, 5));
      if (options.analyzeError) throw options.analyzeError;
      return options.extraction ?? goodExtraction;
    },
    profiles: { get: async () => ({ dateOrder: 'DMY', homeCurrency: 'MYR', timezone: 'Asia/Kuala_Lumpur' }) },
    categorizer: { learned: async () => null, entities: async () => [], choose: categorizeExpense },
    expenses: {
      get: async (_o, id) => expenses.get(id) ?? null,
      async putFromReceipt(item) {
        const existing = expenses.get(item.expense_id);
        if (existing && (existing.version !== 1 || existing.categorySource === 'USER')) return false;
        expenses.set(item.expense_id, item);
        return true;
      },
      sameDay: async (_o, date) => [...expenses.values()].filter((e) => e.date === date),
      merchantKeyOf: (m) => m.toLowerCase().replace(/[^a-z0-9]/g, ''),
    },
    evaluateBudgets: async (_o, change) => void calls.evaluations.push(change),
    publishProcessed: async () => void (calls.published += 1),
    log: { info: () => {}, warn: () => {} },
    now: () => new Date(clock),
    leaseMs: 60_000,
    reviewConfidence: 0.6,
  };
  return { deps, receipt, expenses, calls, advance: (ms: number) => (clock += ms) };
}

describe('processReceipt', () => {
  it('given an uploaded receipt, when processed, then one categorized expense is created, the receipt is PROCESSED, budgets re-evaluated and the owner told', async () => {
    const world = givenWorld();
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'lease-1');
    expect(result?.status).toBe('PROCESSED');
    expect(world.receipt.status).toBe('PROCESSED');
    const expense = world.expenses.get(RECEIPT_ID)!;
    expect(expense).toMatchObject({ merchant: 'RESTORAN WAN SHENG', amount: 480, currency: 'MYR', date: '2018-03-21', category: 'DINING', categorySource: 'RULES', receiptId: RECEIPT_ID, needsReview: false });
    expect(world.calls.evaluations).toEqual([{ dates: ['2018-03-21'], categories: ['DINING'] }]);
    expect(world.calls.published).toBe(1);
  });

  it('given the same S3 event delivered 5 times at once, when processed, then OCR, the expense, the completion and the event happen once', async () => {
    const world = givenWorld();
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => processReceipt(world.deps, OWNER, RECEIPT_ID, `lease-${n}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(world.calls.analyze).toBe(1);
    expect(world.expenses.size).toBe(1);
    expect(world.calls.completions).toHaveLength(1);
    expect(world.calls.published).toBe(1);
  });

  it('given a run that crashed mid-way, when the lease runs out and the sweep re-drives it, then it completes with still one expense', async () => {
    const world = givenWorld();
    // The crashed run took the lease and wrote the expense, then died before completing.
    await world.deps.receipts.acquireLease(OWNER, RECEIPT_ID, 'crashed', world.deps.now(), world.deps.leaseMs);
    await world.deps.expenses.putFromReceipt({ ...(world.expenses.get(RECEIPT_ID) ?? ({} as ExpenseItem)), expense_id: RECEIPT_ID, user_id: OWNER, version: 1, categorySource: 'RULES', date: '2018-03-21' } as ExpenseItem, true);
    expect(await processReceipt(world.deps, OWNER, RECEIPT_ID, 'too-early')).toBeNull();
    world.advance(61_000);
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'sweep');
    expect(result?.status).toBe('PROCESSED');
    expect(world.expenses.size).toBe(1);
    expect(world.expenses.get(RECEIPT_ID)?.amount).toBe(480);
  });

  it('given a low-confidence total, when processed, then the expense is still created but flagged and the receipt NEEDS_REVIEW', async () => {
    const world = givenWorld({ extraction: { ...goodExtraction, total: { amount: 4800, confidence: 0.3 } } as ReceiptExtraction });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result?.status).toBe('NEEDS_REVIEW');
    expect(result?.error).toMatch(/total read with low confidence/);
    expect(world.expenses.get(RECEIPT_ID)?.needsReview).toBe(true);
  });

  it('given no date on the receipt, when processed, then the expense is dated today in the owner timezone and flagged', async () => {
    const world = givenWorld({ extraction: { ...goodExtraction, date: null } as ReceiptExtraction });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result?.status).toBe('NEEDS_REVIEW');
    expect(world.expenses.get(RECEIPT_ID)?.date).toBe('2024-06-01');
  });

  it.each([
    ['a truncated JPEG', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), /truncated/],
    ['a text file', new TextEncoder().encode('hello, not an image'), /Not a JPEG, PNG or PDF/],
    ['a missing object', null, /never uploaded/],
  ])('given %s, when processed, then the receipt FAILS with a reason and no expense exists', async (_name, bytes, reason) => {
    const world = givenWorld({ bytes });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result?.status).toBe('FAILED');
    expect(result?.error).toMatch(reason);
    expect(world.expenses.size).toBe(0);
    expect(world.calls.analyze).toBe(0);
    expect(world.calls.published).toBe(1);
  });

  it('given a document OCR cannot read, when processed, then FAILED with the reason, and an empty read also fails', async () => {
    const unreadable = givenWorld({ analyzeError: new OcrUnreadable('unsupported document format') });
    expect((await processReceipt(unreadable.deps, OWNER, RECEIPT_ID, 'l'))?.error).toMatch(/could not be read: unsupported/);
    const blank = givenWorld({ extraction: { merchant: null, date: null, total: null, subtotal: null, tax: null, tip: null, currency: null, lineItems: [], rawText: '' } as unknown as ReceiptExtraction });
    expect((await processReceipt(blank.deps, OWNER, RECEIPT_ID, 'l'))?.error).toBe('No text could be read from the receipt');
    expect(blank.expenses.size).toBe(0);
  });

  it('given a transient OCR error, when processed, then it throws so the event is retried, and the receipt stays in flight', async () => {
    const world = givenWorld({ analyzeError: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }) });
    await expect(processReceipt(world.deps, OWNER, RECEIPT_ID, 'l')).rejects.toThrow('Rate exceeded');
    expect(world.receipt.status).toBe('PROCESSING');
  });

  it('given another receipt with the same merchant, date and total, when processed, then it is flagged as a possible duplicate', async () => {
    const other: ExpenseItem = { user_id: OWNER, expense_id: 'E1', merchant: 'Restoran Wan Sheng', amount: 480, currency: 'MYR', date: '2018-03-21', category: 'DINING', category_date: 'DINING#2018-03-21', categorySource: 'RULES', categoryConfidence: 0.5, receiptId: 'R-FIRST', needsReview: false, version: 1, createdAt: '', updatedAt: '' };
    const world = givenWorld({ otherExpenses: [other] });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result?.possibleDuplicateOf).toBe('R-FIRST');
    expect(world.expenses.size).toBe(2);
  });

  it('given an expense the user already edited, when the receipt is reprocessed, then the edit is kept', async () => {
    const edited: ExpenseItem = { user_id: OWNER, expense_id: RECEIPT_ID, merchant: 'My name for it', amount: 500, currency: 'MYR', date: '2018-03-21', category: 'TRAVEL', category_date: 'TRAVEL#2018-03-21', categorySource: 'USER', categoryConfidence: 1, receiptId: RECEIPT_ID, needsReview: false, version: 3, createdAt: '', updatedAt: '' };
    const world = givenWorld({ otherExpenses: [edited] });
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(world.expenses.get(RECEIPT_ID)).toMatchObject({ merchant: 'My name for it', amount: 500, category: 'TRAVEL' });
  });
});
