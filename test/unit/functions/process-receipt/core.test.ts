import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReceiptExtraction } from '../../../../generated/graphql.ts';
import { categorizeExpense } from '../../../../functions/shared/categorize/core.ts';
import {
  OcrUnreadable,
  processReceipt,
  sweepStuckReceipts,
  type ExpenseChange,
  type LeasedReceipt,
  type ProcessReceiptDeps,
} from '../../../../functions/process-receipt/core.ts';
import { decodeS3EventKey, requestOf } from '../../../../functions/process-receipt/handler.ts';
import { categoryDateOf, type ExpenseItem } from '../../../../model/expenses.ts';
import { statusKeyOf, type ReceiptItem } from '../../../../model/receipts.ts';
import type { ChangeRecord } from '../../../../model/history.ts';
import { MAX_PIXELS } from '../../../../functions/shared/jpeg-encoding.ts';
import { wasmImageConverter } from '../../../../functions/shared/image-conversion.ts';
import { givenCutWebp, givenWebpOfCanvas, givenWebpReceipt, meanDifference } from '../../../support/webp-files.ts';

/**
 * The OCR function's core over an in-memory world whose lease rules are the DynamoDB
 * adapter's (test/integration/process-receipt.test.ts runs the same stories on dynalite).
 */
const OWNER = 'user-a';
const RECEIPT_ID = '01JAAAAAAAAAAAAAAAAAAAAAAA';
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

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

type WorldOptions = {
  extraction?: ReceiptExtraction;
  bytes?: Uint8Array | null;
  analyzeError?: Error;
  otherExpenses?: ExpenseItem[];
  receipt?: Partial<LeasedReceipt>;
  otherReceipts?: ReceiptItem[];
  claims?: Record<string, string>;
  maxBytes?: number;
};

/** An in-memory world behind the ports: one receipt, an expenses table, hash claims, counters. */
function givenWorld(options: WorldOptions = {}) {
  const bytes = options.bytes === undefined ? JPEG : options.bytes;
  const receipt: LeasedReceipt = {
    user_id: OWNER,
    receipt_id: RECEIPT_ID,
    status: 'UPLOADED',
    status_key: statusKeyOf('UPLOADED', RECEIPT_ID),
    s3Key: `receipts/${OWNER}/${RECEIPT_ID}.jpg`,
    contentType: 'image/jpeg',
    size: bytes?.length ?? 0,
    inflight: 'Y',
    attempts: 0,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...options.receipt,
  };
  const receipts = new Map<string, ReceiptItem>([
    [RECEIPT_ID, receipt],
    ...(options.otherReceipts ?? []).map((r) => [r.receipt_id, r] as const),
  ]);
  const claims = new Map<string, string>(Object.entries(options.claims ?? {}));
  const expenses = new Map<string, ExpenseItem>((options.otherExpenses ?? []).map((e) => [e.expense_id, e]));
  const history = new Map<string, ChangeRecord>();
  const calls = {
    analyze: 0,
    analyzed: [] as Uint8Array[],
    published: [] as string[],
    replies: [] as string[],
    texts: [] as string[],
    evaluations: [] as ExpenseChange[],
    settled: [] as ExpenseChange[],
    outcomes: 0,
  };
  let clock = Date.parse('2024-06-01T10:00:00Z');
  const leaseFree = (now: number, voidBefore: number | null) =>
    receipt.leaseUntil == null ||
    receipt.leaseUntil < now ||
    (voidBefore !== null && (receipt.leasedAt ?? 0) < voidBefore);
  const deps: ProcessReceiptDeps = {
    receipts: {
      async acquire(owner, id, lease) {
        await Promise.resolve();
        if (owner !== OWNER || id !== RECEIPT_ID) return null;
        const take = { leaseId: lease.id, leaseUntil: lease.until, leasedAt: lease.now };
        if (receipt.status === 'UPLOADED' || receipt.status === 'PENDING_UPLOAD') {
          Object.assign(receipt, take, {
            status: 'PROCESSING',
            attempts: 1,
            updatedAt: new Date(lease.now).toISOString(),
            lastError: undefined,
            followUpsPending: undefined,
            expenseBefore: undefined,
          });
        } else if (receipt.status === 'PROCESSING' && leaseFree(lease.now, lease.voidBefore)) {
          Object.assign(receipt, take, {
            attempts: (receipt.attempts ?? 0) + 1,
            updatedAt: new Date(lease.now).toISOString(),
          });
        } else if (receipt.followUpsPending && leaseFree(lease.now, lease.voidBefore)) {
          Object.assign(receipt, take, { attempts: (receipt.attempts ?? 0) + 1 });
        } else return null;
        return structuredClone(receipt);
      },
      async renew(_o, _id, leaseId, until) {
        if (receipt.leaseId !== leaseId) return false;
        receipt.leaseUntil = until;
        return true;
      },
      async recordOutcome(_o, _id, leaseId, { result, expenseBefore }, now, change) {
        await Promise.resolve();
        if (receipt.leaseId !== leaseId || receipt.status !== 'PROCESSING') return false;
        calls.outcomes += 1;
        Object.assign(receipt, {
          status: result.status,
          extraction: result.extraction,
          expenseId: result.expenseId,
          possibleDuplicateOf: result.possibleDuplicateOf,
          error: result.error,
          updatedAt: now.toISOString(),
          followUpsPending: true,
          attempts: 1,
          expenseBefore: expenseBefore ?? undefined,
          lastError: undefined,
          version: change.version,
          lastChange: change,
          ...(result.sha256 ? { sha256: result.sha256 } : {}),
        });
        return true;
      },
      async finish(_o, _id, leaseId) {
        if (receipt.leaseId !== leaseId) return false;
        for (const key of [
          'inflight',
          'leaseId',
          'leaseUntil',
          'leasedAt',
          'followUpsPending',
          'attempts',
          'lastError',
          'expenseBefore',
        ] as const)
          delete receipt[key];
        return true;
      },
      async release(_o, _id, leaseId, reason) {
        if (receipt.leaseId !== leaseId) return;
        Object.assign(receipt, { leaseUntil: 0, leaseId: undefined, lastError: reason });
      },
    },
    objects: { get: async () => bytes },
    fileHashes: {
      async claim(_o, sha, id) {
        const first = claims.get(sha);
        if (first) return { claimed: false, firstReceiptId: first };
        claims.set(sha, id);
        return { claimed: true };
      },
      async release(_o, sha, id) {
        if (claims.get(sha) === id) claims.delete(sha);
      },
      receipt: async (_o, id) => receipts.get(id) ?? null,
    },
    images: wasmImageConverter(),
    async analyze(document) {
      calls.analyze += 1;
      calls.analyzed.push(document);
      await new Promise((r) => setTimeout(r, 5));
      if (options.analyzeError) throw options.analyzeError;
      return options.extraction ?? goodExtraction;
    },
    readText(text) {
      calls.texts.push(text);
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
    publishProcessed: async (_o, id) => void calls.published.push(id),
    replyToSender: async (_o, id) => void calls.replies.push(id),
    settleBudgets: async (_o, change) => void calls.settled.push(change),
    history: { put: async (_o, record) => void history.set(record.entry_key, record) },
    log: { info: () => {}, warn: () => {}, error: () => {} },
    now: () => new Date(clock),
    lease: { ms: 60_000, voidBefore: null },
    maxAttempts: 3,
    maxBytes: options.maxBytes ?? 1000,
    reviewConfidence: 0.6,
  };
  return { deps, receipt, expenses, claims, calls, history, advance: (ms: number) => (clock += ms) };
}

type World = ReturnType<typeof givenWorld>;

/** The sweep over this world's one receipt, as the handler runs it. */
const sweep = (world: World, deps = world.deps) =>
  sweepStuckReceipts(
    deps,
    (async function* () {
      if (world.receipt.inflight) yield structuredClone(world.receipt);
    })(),
    { leasePrefix: 'sweep', uploadWindowMs: 20 * 60_000, hasTimeLeft: () => true },
  );

/** A step of `deps` that fails once, after doing its work when `after` is set. */
function failingOnce<T extends (...args: any[]) => Promise<any>>(step: T, after = false): T {
  let failed = false;
  return (async (...args: any[]) => {
    const result = after ? await step(...args) : undefined;
    if (!failed) {
      failed = true;
      throw new Error('connection reset');
    }
    return after ? result : step(...args);
  }) as T;
}

function expectDone(world: World) {
  expect(world.receipt).toMatchObject({ status: 'PROCESSED', expenseId: RECEIPT_ID });
  expect(world.receipt.inflight).toBeUndefined();
  expect(world.receipt.followUpsPending).toBeUndefined();
  expect(world.expenses.size).toBe(1);
}

/** The receipt's own history entries (the expense's are there too). */
function receiptHistory(world: World): ChangeRecord[] {
  return [...world.history.values()].filter((entry) => entry.itemType === 'RECEIPT');
}

describe('processReceipt', () => {
  it('given an uploaded receipt, when processed, then one categorized expense is created, the receipt is PROCESSED, budgets re-evaluated with the written expense, the owner told, then budgets looked at again', async () => {
    const world = givenWorld();
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'lease-1');
    expect(result?.status).toBe('PROCESSED');
    expectDone(world);
    const expense = world.expenses.get(RECEIPT_ID)!;
    expect(expense).toMatchObject({
      merchant: 'RESTORAN WAN SHENG',
      amount: 480,
      currency: 'MYR',
      date: '2018-03-21',
      category: 'DINING',
      categorySource: 'RULES',
      receiptId: RECEIPT_ID,
      needsReview: false,
    });
    expect(world.calls.evaluations).toEqual([{ before: null, after: expense }]);
    expect(world.calls.published).toEqual([RECEIPT_ID]);
    expect(world.calls.settled).toEqual([{ before: null, after: expense }]);
    expect(world.receipt.sha256).toBe(sha256Of(JPEG));
    // What OCR read is in the receipt's history, by the system, carried on the receipt too.
    expect(receiptHistory(world)).toEqual([world.receipt.lastChange]);
    expect(world.receipt.lastChange).toMatchObject({
      entry_key: `${RECEIPT_ID}#RECEIPT#${world.receipt.createdAt}#0000000001`,
      action: 'UPDATED',
      version: 1,
      by: 'system',
      path: 'OCR',
    });
    expect(world.receipt.version).toBe(1);
    expect((world.receipt.lastChange as ChangeRecord).changes).toEqual(
      expect.arrayContaining([
        { field: 'status', before: 'PROCESSING', after: 'PROCESSED' },
        { field: 'expenseId', before: null, after: RECEIPT_ID },
        { field: 'merchantRead', before: null, after: 'RESTORAN WAN SHENG' },
        { field: 'totalRead', before: null, after: 480 },
      ]),
    );
    // Its creation is in its history, by the system through OCR, carried on the item itself.
    expect(expense.lastChange).toMatchObject({
      entry_key: `${RECEIPT_ID}#EXPENSE#${expense.createdAt}#0000000001`,
      action: 'CREATED',
      version: 1,
      by: 'system',
      path: 'OCR',
    });
    expect(expense.lastChange!.changes).toEqual(
      expect.arrayContaining([
        { field: 'merchant', before: null, after: 'RESTORAN WAN SHENG' },
        { field: 'amount', before: null, after: 480 },
      ]),
    );
  });

  it('given a merchant the owner filed under a custom category, when its receipt is processed, then the expense is filed there, under its parent, as LEARNED', async () => {
    const world = givenWorld();
    const asked: string[] = [];
    world.deps.categorizer.learned = async (_owner, merchant) => {
      asked.push(merchant);
      return { category: 'ENTERTAINMENT', customCategoryId: 'cat-hawker' };
    };
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'lease-1');
    expect(asked).toEqual(['RESTORAN WAN SHENG']);
    expect(world.expenses.get(RECEIPT_ID)).toMatchObject({
      category: 'ENTERTAINMENT',
      category_date: 'ENTERTAINMENT#2018-03-21',
      customCategoryId: 'cat-hawker',
      categorySource: 'LEARNED',
      categoryConfidence: 1,
    });
  });

  it('given an unedited expense from a receipt, when the receipt is read again, then the expense keeps its life (createdAt), so its history has one creation, the latest reading', async () => {
    const world = givenWorld();
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'first');
    const first = world.expenses.get(RECEIPT_ID)!;
    world.receipt.status = 'UPLOADED';
    world.receipt.inflight = 'Y';
    world.advance(60_000);
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'again');
    const again = world.expenses.get(RECEIPT_ID)!;
    expect(again.createdAt).toBe(first.createdAt);
    expect(again.lastChange!.entry_key).toBe(first.lastChange!.entry_key);
    expect(Date.parse(again.lastChange!.at) - Date.parse(first.lastChange!.at)).toBe(60_000);
  });

  it('given an e-receipt stored as text, when processed, then it is read by the text reader without OCR, the expense is created and the sender gets the reply', async () => {
    const text = new TextEncoder().encode('RESTORAN WAN SHENG\nTOTAL 4.80\n');
    const world = givenWorld({
      bytes: text,
      receipt: { contentType: 'text/plain', s3Key: `receipts/${OWNER}/${RECEIPT_ID}.txt`, source: 'EMAIL' },
    });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'lease-1');
    expect(result?.status).toBe('PROCESSED');
    expect(world.calls.analyze).toBe(0);
    expect(world.calls.texts).toEqual(['RESTORAN WAN SHENG\nTOTAL 4.80\n']);
    expect(world.expenses.get(RECEIPT_ID)).toMatchObject({ merchant: 'RESTORAN WAN SHENG', amount: 480 });
    expect(world.calls.replies).toEqual([RECEIPT_ID]);
    expectDone(world);
  });

  it('given an image that claims to be text, when processed, then it is still only read as text: the stored type decides, and a text receipt never reaches Textract', async () => {
    const world = givenWorld({ receipt: { contentType: 'text/plain' } });
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'lease-1');
    expect(world.calls.analyze).toBe(0);
    expect(world.calls.texts).toHaveLength(1);
  });

  it('given replying to the sender fails once, when the event is retried, then the reply is sent and the receipt finished', async () => {
    const world = givenWorld({ receipt: { source: 'EMAIL' } });
    const reply = world.deps.replyToSender;
    await expect(
      processReceipt({ ...world.deps, replyToSender: failingOnce(reply) }, OWNER, RECEIPT_ID, 'first'),
    ).rejects.toThrow();
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'second');
    expect(world.calls.replies).toEqual([RECEIPT_ID]);
    expect(world.calls.analyze).toBe(1);
    expectDone(world);
  });

  it('given the same S3 event delivered 5 times at once, when processed, then OCR, the expense, the outcome and the event happen once', async () => {
    const world = givenWorld();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => processReceipt(world.deps, OWNER, RECEIPT_ID, `lease-${n}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(world.calls.analyze).toBe(1);
    expect(world.expenses.size).toBe(1);
    expect(world.calls.outcomes).toBe(1);
    expect(world.calls.published).toHaveLength(1);
  });

  it('given a receipt already done, when its event comes again, then nothing happens', async () => {
    const world = givenWorld();
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'first');
    expect(await processReceipt(world.deps, OWNER, RECEIPT_ID, 'late duplicate')).toBeNull();
    expect(world.calls.published).toHaveLength(1);
    expect(world.calls.evaluations).toHaveLength(1);
  });

  it('given publishing fails once, when the event is retried, then the receipt is PROCESSED with one expense and the owner told', async () => {
    const world = givenWorld();
    const publish = world.deps.publishProcessed;
    await expect(
      processReceipt({ ...world.deps, publishProcessed: failingOnce(publish) }, OWNER, RECEIPT_ID, 'first'),
    ).rejects.toThrow('connection reset');
    // The outcome is recorded, the follow-ups pending, the lease given back for the retry.
    expect(world.receipt).toMatchObject({
      status: 'PROCESSED',
      followUpsPending: true,
      inflight: 'Y',
      lastError: 'Error: connection reset',
    });
    expect(await processReceipt(world.deps, OWNER, RECEIPT_ID, 'retry')).toMatchObject({ status: 'PROCESSED' });
    expectDone(world);
    expect(world.calls.analyze).toBe(1);
    expect(world.calls.published).toEqual([RECEIPT_ID]);
    // Budgets were evaluated again on the retry: safe, and how an alert not yet sent is sent.
    const written = world.expenses.get(RECEIPT_ID)!;
    expect(world.calls.evaluations).toEqual([
      { before: null, after: written },
      { before: null, after: written },
    ]);
  });

  it('given budget evaluation fails once, when the event is retried, then the budgets are evaluated and the owner told', async () => {
    const world = givenWorld();
    await expect(
      processReceipt(
        { ...world.deps, evaluateBudgets: failingOnce(world.deps.evaluateBudgets) },
        OWNER,
        RECEIPT_ID,
        'first',
      ),
    ).rejects.toThrow();
    expect(world.calls.published).toEqual([]);
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'retry');
    expectDone(world);
    expect(world.calls.evaluations).toHaveLength(1);
    expect(world.calls.published).toEqual([RECEIPT_ID]);
  });

  it.each([
    ['taking the lease', 'acquire'],
    ['writing the expense', 'putFromReceipt'],
    ['recording the outcome', 'recordOutcome'],
    ["putting the outcome in the receipt's history", 'history'],
    ['evaluating budgets', 'evaluateBudgets'],
    ['publishing', 'publishProcessed'],
    ['looking at budgets again', 'settleBudgets'],
  ] as const)(
    'given a run that dies right after %s, when its lease runs out and the sweep re-drives it, then one expense, PROCESSED, budgets evaluated and the owner told',
    async (_name, step) => {
      const world = givenWorld();
      // Dead: after the step, nothing the run tries reaches the world (not even giving its lease back).
      let dead = false;
      const die = <T extends (...args: any[]) => Promise<any>>(fn: T): T =>
        (async (...args: any[]) => {
          if (dead) throw new Error('process killed');
          return fn(...args);
        }) as T;
      const crashing = <T extends (...args: any[]) => Promise<any>>(fn: T): T =>
        die((async (...args: any[]) => {
          await fn(...args);
          dead = true;
          throw new Error('process killed');
        }) as unknown as T);
      const { receipts, expenses } = world.deps;
      const run: ProcessReceiptDeps = {
        ...world.deps,
        receipts: {
          acquire: die(receipts.acquire),
          renew: die(receipts.renew),
          recordOutcome: die(receipts.recordOutcome),
          finish: die(receipts.finish),
          release: die(receipts.release),
        },
        expenses: {
          ...expenses,
          get: die(expenses.get),
          putFromReceipt: die(expenses.putFromReceipt),
          sameDay: die(expenses.sameDay),
        },
        evaluateBudgets: die(world.deps.evaluateBudgets),
        history: { put: die(world.deps.history.put) },
        publishProcessed: die(world.deps.publishProcessed),
        settleBudgets: die(world.deps.settleBudgets),
      };
      if (step === 'acquire' || step === 'recordOutcome') run.receipts[step] = crashing(receipts[step]) as never;
      else if (step === 'putFromReceipt') run.expenses.putFromReceipt = crashing(expenses.putFromReceipt);
      else if (step === 'history') run.history = { put: crashing(world.deps.history.put) };
      else run[step] = crashing(world.deps[step]) as never;

      await expect(processReceipt(run, OWNER, RECEIPT_ID, 'crashed')).rejects.toThrow('process killed');
      expect(await sweep(world)).toEqual({ processed: 0, failed: 0, left: 0 }); // its lease still holds
      world.advance(61_000);
      expect((await sweep(world)).processed).toBe(1);
      expectDone(world);
      expect(world.calls.evaluations.length).toBeGreaterThanOrEqual(1);
      expect(world.calls.published).toContain(RECEIPT_ID);
      expect(world.calls.settled.length).toBeGreaterThanOrEqual(1);
      expect(world.expenses.get(RECEIPT_ID)?.amount).toBe(480);
      // OCR's reading is in the receipt's history exactly once (a run that died before its put is made good by the next).
      expect(receiptHistory(world)).toEqual([world.receipt.lastChange]);
      expect(receiptHistory(world)[0]).toMatchObject({ version: 1, action: 'UPDATED', by: 'system', path: 'OCR' });
    },
  );

  it('given a lease taken before the void-before instant (its runner is gone), when the sweep runs, then it is taken over at once', async () => {
    const world = givenWorld();
    await world.deps.receipts.acquire(OWNER, RECEIPT_ID, {
      id: 'dead runner',
      now: world.deps.now().getTime(),
      until: world.deps.now().getTime() + 60_000,
      voidBefore: null,
    });
    world.advance(2_000);
    expect((await sweep(world)).processed).toBe(0);
    expect((await sweep(world, { ...world.deps, lease: { ms: 60_000, voidBefore: world.deps.now() } })).processed).toBe(
      1,
    );
    expectDone(world);
  });

  it('given a low-confidence total, when processed, then the expense is still created but flagged and the receipt NEEDS_REVIEW', async () => {
    const world = givenWorld({
      extraction: { ...goodExtraction, total: { amount: 4800, confidence: 0.3 } } as ReceiptExtraction,
    });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result?.status).toBe('NEEDS_REVIEW');
    expect(result?.error).toMatch(/total read with low confidence/);
    expect(world.expenses.get(RECEIPT_ID)?.needsReview).toBe(true);
  });

  it('given a currency the receipt does not name (a guess), when processed, then the receipt NEEDS_REVIEW with the currency and its confidence, never silently booked', async () => {
    const world = givenWorld({
      extraction: { ...goodExtraction, currency: { value: 'EUR', confidence: 0.3 } } as ReceiptExtraction,
    });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result?.status).toBe('NEEDS_REVIEW');
    expect(result?.error).toMatch(/currency EUR is a guess \(30 %\)/);
    expect(result?.extraction?.currency).toEqual({ value: 'EUR', confidence: 0.3 });
    expect(world.expenses.get(RECEIPT_ID)?.needsReview).toBe(true);
  });

  it('given no date on the receipt, when processed, then the expense is dated today in the owner timezone and flagged', async () => {
    const world = givenWorld({ extraction: { ...goodExtraction, date: null } as ReceiptExtraction });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result?.status).toBe('NEEDS_REVIEW');
    expect(world.expenses.get(RECEIPT_ID)?.date).toBe('2024-06-01');
  });

  it.each([
    [
      'a truncated JPEG',
      { bytes: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) },
      'ValidationError: The JPEG image is truncated',
    ],
    [
      'a text file',
      { bytes: new TextEncoder().encode('hello, not an image') },
      'ValidationError: Not a JPEG, PNG or PDF file',
    ],
    ['a missing object', { bytes: null }, 'ValidationError: The image was never uploaded or has been deleted'],
    [
      'a PNG declared as JPEG',
      {
        bytes: Uint8Array.from([
          0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
        ]),
      },
      'ValidationError: The file is image/png but was declared as image/jpeg',
    ],
    [
      'fewer bytes than declared',
      { receipt: { size: 4000 } },
      'ValidationError: The file is 9 bytes but 4000 were declared',
    ],
    [
      'more bytes than the limit',
      { bytes: Uint8Array.from([0xff, 0xd8, 0xff, ...new Array(2000).fill(0), 0xff, 0xd9]) },
      'LimitExceeded: The file is 2005 bytes; the limit is 1000 bytes',
    ],
    [
      'a hash other than the declared one',
      { receipt: { sha256: 'ab'.repeat(32) } },
      `ValidationError: The file's SHA-256 is ${sha256Of(JPEG)} but ${'ab'.repeat(32)} was declared`,
    ],
  ] as Array<[string, WorldOptions, string]>)(
    'given %s, when processed, then the receipt FAILS with the reason, no OCR runs and no expense exists',
    async (_name, options, error) => {
      const world = givenWorld(options);
      const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
      expect(result).toMatchObject({ status: 'FAILED', error, expenseId: null });
      expect(world.receipt).toMatchObject({ status: 'FAILED', error });
      expect(world.expenses.size).toBe(0);
      expect(world.calls.analyze).toBe(0);
      expect(world.calls.published).toEqual([RECEIPT_ID]);
    },
  );

  it('given a WebP uploaded presigned, when processed, then Textract reads a JPEG of it, the stored WebP keeps its type and hash, and the expense is created', async () => {
    const webp = await givenWebpReceipt(200, 300);
    const world = givenWorld({
      bytes: webp,
      maxBytes: 1024 * 1024,
      receipt: { contentType: 'image/webp', s3Key: `receipts/${OWNER}/${RECEIPT_ID}.webp` },
    });

    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');

    expect(result?.status).toBe('PROCESSED');
    expectDone(world);
    const [document] = world.calls.analyzed;
    expect(Buffer.from(document.subarray(0, 3))).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(await meanDifference(document, webp)).toBeLessThan(3);
    expect(world.receipt).toMatchObject({ contentType: 'image/webp', sha256: sha256Of(webp) });
  });

  it.each([
    [
      'a WebP libwebp cannot decode',
      async () => ({ bytes: await givenCutWebp() }),
      'ValidationError: The image/webp image cannot be decoded: libwebp cannot decode it',
    ],
    [
      'a WebP with more pixels than can be converted',
      async () => ({ bytes: givenWebpOfCanvas(4000, Math.ceil(MAX_PIXELS / 4000) + 1) }),
      `LimitExceeded: The image is 4000 × ${Math.ceil(MAX_PIXELS / 4000) + 1} pixels`,
    ],
    [
      'a WebP larger than the limit once it is a JPEG',
      async () => ({ bytes: await givenWebpReceipt(400, 600), maxBytes: 2000 }),
      'LimitExceeded: As a JPEG the image is',
    ],
  ] as Array<[string, () => Promise<WorldOptions>, string]>)(
    'given %s uploaded presigned, when processed, then the receipt FAILS with the reason and no OCR runs',
    async (_name, make, error) => {
      const options = await make();
      const world = givenWorld({ ...options, receipt: { contentType: 'image/webp' } });
      const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
      expect(result).toMatchObject({ status: 'FAILED', expenseId: null, sha256: sha256Of(options.bytes!) });
      expect(result?.error?.startsWith(error), result?.error ?? '').toBe(true);
      expect(world.calls.analyze).toBe(0);
      expect(world.expenses.size).toBe(0);
    },
  );

  it.each([
    [
      'a WebP declared as JPEG',
      () => givenWebpReceipt(),
      'ValidationError: The file is image/webp but was declared as image/jpeg',
    ],
    [
      'a HEIC photo declared as JPEG',
      async () =>
        Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)]),
      'ValidationError: The file is image/heic but was declared as image/jpeg',
    ],
  ])('given %s, when processed, then the receipt FAILS saying what the file is', async (_name, make, error) => {
    const world = givenWorld({ bytes: await make(), maxBytes: 1024 * 1024 });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result?.status).toBe('FAILED');
    expect(result?.error?.startsWith(error), result?.error ?? '').toBe(true);
    expect(world.calls.analyze).toBe(0);
  });

  it('given a presigned upload without a hash whose file the owner already has, when processed, then FAILED as a DuplicateReceipt naming the first, with no expense', async () => {
    const first: ReceiptItem = {
      user_id: OWNER,
      receipt_id: '01JFIRSTAAAAAAAAAAAAAAAAAA',
      status: 'PROCESSED',
      status_key: '',
      s3Key: '',
      contentType: 'image/jpeg',
      size: 9,
      createdAt: '',
      updatedAt: '',
    };
    const world = givenWorld({ otherReceipts: [first], claims: { [sha256Of(JPEG)]: first.receipt_id } });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result).toMatchObject({
      status: 'FAILED',
      error: `DuplicateReceipt: This file was already uploaded as receipt ${first.receipt_id}`,
      possibleDuplicateOf: first.receipt_id,
    });
    expect(world.receipt.sha256).toBe(sha256Of(JPEG));
    expect(world.expenses.size).toBe(0);
    expect(world.calls.analyze).toBe(0);
  });

  it('given a receipt failed as a duplicate, when the owner reprocesses it, then it is a duplicate again', async () => {
    const first: ReceiptItem = {
      user_id: OWNER,
      receipt_id: '01JFIRSTAAAAAAAAAAAAAAAAAA',
      status: 'PROCESSED',
      status_key: '',
      s3Key: '',
      contentType: 'image/jpeg',
      size: 9,
      createdAt: '',
      updatedAt: '',
    };
    const world = givenWorld({ otherReceipts: [first], claims: { [sha256Of(JPEG)]: first.receipt_id } });
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    Object.assign(world.receipt, { status: 'UPLOADED', inflight: 'Y' }); // what reprocessReceipt leaves
    expect(await processReceipt(world.deps, OWNER, RECEIPT_ID, 'reprocess')).toMatchObject({
      status: 'FAILED',
      possibleDuplicateOf: first.receipt_id,
    });
    expect(world.expenses.size).toBe(0);
  });

  it('given a hash claimed by a receipt that never got its bytes or no longer exists, when processed, then the receipt is read as usual', async () => {
    const pending: ReceiptItem = {
      user_id: OWNER,
      receipt_id: '01JPENDINGAAAAAAAAAAAAAAAA',
      status: 'PENDING_UPLOAD',
      status_key: '',
      s3Key: '',
      contentType: 'image/jpeg',
      size: 9,
      createdAt: '',
      updatedAt: '',
    };
    const waiting = givenWorld({ otherReceipts: [pending], claims: { [sha256Of(JPEG)]: pending.receipt_id } });
    expect((await processReceipt(waiting.deps, OWNER, RECEIPT_ID, 'l'))?.status).toBe('PROCESSED');
    const deleted = givenWorld({ claims: { [sha256Of(JPEG)]: '01JDELETEDAAAAAAAAAAAAAAAA' } });
    expect((await processReceipt(deleted.deps, OWNER, RECEIPT_ID, 'l'))?.status).toBe('PROCESSED');
    expect(deleted.claims.get(sha256Of(JPEG))).toBe(RECEIPT_ID);
  });

  it('given a document OCR cannot read, when processed, then FAILED with the reason, and an empty read also fails', async () => {
    const unreadable = givenWorld({ analyzeError: new OcrUnreadable('unsupported document format') });
    expect((await processReceipt(unreadable.deps, OWNER, RECEIPT_ID, 'l'))?.error).toBe(
      'OcrFailed: The receipt could not be read: unsupported document format',
    );
    const blank = givenWorld({
      extraction: {
        merchant: null,
        date: null,
        total: null,
        subtotal: null,
        tax: null,
        tip: null,
        currency: null,
        lineItems: [],
        rawText: '',
      } as unknown as ReceiptExtraction,
    });
    expect((await processReceipt(blank.deps, OWNER, RECEIPT_ID, 'l'))?.error).toBe(
      'OcrFailed: No text could be read from the receipt',
    );
    expect(blank.expenses.size).toBe(0);
  });

  it('given a transient OCR error, when processed, then it throws so the event is retried, and the lease is given back so the retry starts at once', async () => {
    const world = givenWorld({
      analyzeError: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    });
    await expect(processReceipt(world.deps, OWNER, RECEIPT_ID, 'l')).rejects.toThrow('Rate exceeded');
    expect(world.receipt).toMatchObject({
      status: 'PROCESSING',
      leaseUntil: 0,
      lastError: 'ThrottlingException: Rate exceeded',
      attempts: 1,
    });
    await expect(processReceipt(world.deps, OWNER, RECEIPT_ID, 'retry')).rejects.toThrow('Rate exceeded');
    expect(world.receipt.attempts).toBe(2);
  });

  it('given an error that never clears, when the attempts run out, then the receipt is FAILED with the last reason and no longer retried', async () => {
    const world = givenWorld({
      analyzeError: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    });
    for (const attempt of [1, 2])
      await expect(processReceipt(world.deps, OWNER, RECEIPT_ID, `attempt ${attempt}`)).rejects.toThrow();
    expect(await processReceipt(world.deps, OWNER, RECEIPT_ID, 'attempt 3')).toMatchObject({
      status: 'FAILED',
      error: 'OcrFailed: Gave up after 3 attempts: ThrottlingException: Rate exceeded',
    });
    expect(world.receipt.inflight).toBeUndefined();
    expect(world.calls.published).toEqual([RECEIPT_ID]);
    expect(await sweep(world)).toEqual({ processed: 0, failed: 0, left: 0 });
  });

  it('given runs that keep dying (a poison file), when the attempts run out, then the next run marks it FAILED without reading it', async () => {
    const world = givenWorld({
      receipt: { status: 'PROCESSING', attempts: 3, leaseUntil: 0, lastError: 'Task timed out after 60.00 seconds' },
    });
    expect(await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l')).toMatchObject({
      status: 'FAILED',
      error: 'OcrFailed: Gave up after 3 attempts: Task timed out after 60.00 seconds',
    });
    expect(world.calls.analyze).toBe(0);
  });

  it('given follow-ups that keep failing, when their attempts run out, then the receipt leaves the in-flight list and stays PROCESSED', async () => {
    const world = givenWorld();
    const deps = { ...world.deps, publishProcessed: async () => Promise.reject(new Error('API down')) };
    await expect(processReceipt(deps, OWNER, RECEIPT_ID, 'a1')).rejects.toThrow('API down');
    await expect(processReceipt(deps, OWNER, RECEIPT_ID, 'a2')).rejects.toThrow('API down');
    expect(await processReceipt(deps, OWNER, RECEIPT_ID, 'a3')).toMatchObject({ status: 'PROCESSED' });
    expectDone(world);
  });

  it('given another receipt with the same merchant, date and total, when processed, then it is flagged as a possible duplicate', async () => {
    const other: ExpenseItem = {
      user_id: OWNER,
      expense_id: 'E1',
      merchant: 'Restoran Wan Sheng',
      amount: 480,
      currency: 'MYR',
      date: '2018-03-21',
      category: 'DINING',
      category_date: categoryDateOf('DINING', '2018-03-21'),
      categorySource: 'RULES',
      categoryConfidence: 0.5,
      receiptId: 'R-FIRST',
      needsReview: false,
      version: 1,
      createdAt: '',
      updatedAt: '',
    };
    const world = givenWorld({ otherExpenses: [other] });
    const result = await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(result?.possibleDuplicateOf).toBe('R-FIRST');
    expect(world.expenses.size).toBe(2);
  });

  it('given an expense the user already edited, when the receipt is reprocessed, then the edit is kept and budgets see the stored expense', async () => {
    const edited: ExpenseItem = {
      user_id: OWNER,
      expense_id: RECEIPT_ID,
      merchant: 'My name for it',
      amount: 500,
      currency: 'MYR',
      date: '2018-03-21',
      category: 'TRAVEL',
      category_date: categoryDateOf('TRAVEL', '2018-03-21'),
      categorySource: 'USER',
      categoryConfidence: 1,
      receiptId: RECEIPT_ID,
      needsReview: false,
      version: 3,
      createdAt: '',
      updatedAt: '',
    };
    const world = givenWorld({ otherExpenses: [edited] });
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'l');
    expect(world.expenses.get(RECEIPT_ID)).toMatchObject({
      merchant: 'My name for it',
      amount: 500,
      category: 'TRAVEL',
    });
    expect(world.calls.evaluations).toEqual([{ before: edited, after: edited }]);
  });

  it('given a reprocess that moves the expense to another day, when its follow-ups are re-driven after a failure, then budgets see both days', async () => {
    const earlier: ExpenseItem = {
      user_id: OWNER,
      expense_id: RECEIPT_ID,
      merchant: 'RESTORAN WAN SHENG',
      amount: 480,
      currency: 'MYR',
      date: '2018-03-12',
      category: 'DINING',
      category_date: categoryDateOf('DINING', '2018-03-12'),
      categorySource: 'RULES',
      categoryConfidence: 0.5,
      receiptId: RECEIPT_ID,
      needsReview: false,
      version: 1,
      createdAt: '',
      updatedAt: '',
    };
    const world = givenWorld({ otherExpenses: [earlier] });
    await expect(
      processReceipt(
        { ...world.deps, evaluateBudgets: failingOnce(world.deps.evaluateBudgets) },
        OWNER,
        RECEIPT_ID,
        'first',
      ),
    ).rejects.toThrow();
    await processReceipt(world.deps, OWNER, RECEIPT_ID, 'retry');
    expect(world.calls.evaluations).toHaveLength(1);
    expect(world.calls.evaluations[0]).toEqual({ before: earlier, after: world.expenses.get(RECEIPT_ID)! });
    expect(world.calls.evaluations[0].after?.date).toBe('2018-03-21');
  });
});

describe('sweepStuckReceipts', () => {
  it('given a presigned upload whose URL may still be used, when swept, then it is left alone; after the window it FAILS as never uploaded', async () => {
    const world = givenWorld({
      bytes: null,
      receipt: { status: 'PENDING_UPLOAD', updatedAt: '2024-06-01T09:55:00.000Z' },
    });
    expect((await sweep(world)).processed).toBe(0);
    world.advance(20 * 60_000);
    expect((await sweep(world)).processed).toBe(1);
    expect(world.receipt).toMatchObject({
      status: 'FAILED',
      error: 'ValidationError: The image was never uploaded or has been deleted',
    });
  });

  it('given no time left in the invocation, when swept, then the receipt is left for the next sweep', async () => {
    const world = givenWorld();
    const counts = await sweepStuckReceipts(
      world.deps,
      (async function* () {
        yield structuredClone(world.receipt);
      })(),
      { leasePrefix: 's', uploadWindowMs: 0, hasTimeLeft: () => false },
    );
    expect(counts).toEqual({ processed: 0, failed: 0, left: 1 });
    expect(world.receipt.status).toBe('UPLOADED');
  });
});

describe('the events the OCR function accepts', () => {
  it('given S3 keys as events carry them, when decoded, then + is a space and %2B a plus', () => {
    expect(decodeS3EventKey('receipts/us-east-1%3Aab+cd/01JAAAAAAAAAAAAAAAAAAAAAAA.jpg')).toBe(
      'receipts/us-east-1:ab cd/01JAAAAAAAAAAAAAAAAAAAAAAA.jpg',
    );
    expect(decodeS3EventKey('receipts/a%2Bb/x%2Bx+y.jpg')).toBe('receipts/a+b/x+x y.jpg');
    expect(decodeS3EventKey('receipts/%C3%A9t%C3%A9/r.jpg')).toBe('receipts/été/r.jpg');
  });

  it('given each kind of event, then S3 records, reprocess requests and schedules are recognised and anything else is ignored', () => {
    const record = {
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: { object: { key: 'receipts/u/r.jpg' } },
    };
    expect(requestOf({ Records: [record] })).toMatchObject({ kind: 's3' });
    expect(requestOf({ action: 'process', owner: 'u', receiptId: 'r' })).toEqual({
      kind: 'process',
      owner: 'u',
      receiptId: 'r',
    });
    expect(requestOf({ action: 'sweep' })).toEqual({ kind: 'sweep' });
    expect(requestOf({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} })).toEqual({
      kind: 'sweep',
    });
    expect(requestOf({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' })).toEqual({
      kind: 'ignore',
      why: 's3:TestEvent',
    });
    expect(requestOf({ action: 'process', owner: 'u' })).toMatchObject({ kind: 'ignore' });
    expect(requestOf({ Records: [{ eventSource: 'aws:sqs', body: '{}' }] })).toMatchObject({ kind: 'ignore' });
    expect(requestOf(null)).toMatchObject({ kind: 'ignore' });
    expect(requestOf({ hello: 'world' })).toEqual({ kind: 'ignore', why: 'unknown event shape (keys: hello)' });
  });
});
