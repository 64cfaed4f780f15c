import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  createReceiptUpload,
  deleteReceipt,
  reprocessReceipt,
  uploadReceipt,
  type ReceiptDeps,
} from '../../../../functions/receipts/core.ts';
import { FieldError } from '../../../../functions/shared/field-call.ts';
import { MAX_PIXELS } from '../../../../functions/shared/jpeg-encoding.ts';
import { wasmImageConverter } from '../../../../functions/shared/image-conversion.ts';
import type { ExpenseSnapshot } from '../../../../model/function-calls.ts';
import type { ExpenseItem } from '../../../../model/expenses.ts';
import type { ReceiptItem } from '../../../../model/receipts.ts';
import type { ChangeRecord } from '../../../../model/history.ts';
import { givenWebpOfCanvas } from '../../../support/webp-files.ts';
import { INLINE_TRANSPORT_MAX_BYTES } from '../../../../model/inline-upload.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3, 4, 0xff, 0xd9]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
  Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]),
]);

function givenStore(maxBytes = 1024) {
  const receipts = new Map<string, ReceiptItem>();
  const claims = new Map<string, string>();
  const objects = new Map<string, Buffer>();
  const processing: string[] = [];
  const expenses = new Map<string, ExpenseSnapshot & { receiptId?: string }>();
  const budgetEvaluations: Array<{ owner: string; expense: ExpenseSnapshot }> = [];
  const history = new Map<string, ChangeRecord>();
  let n = 0;
  const deps: ReceiptDeps = {
    images: wasmImageConverter(),
    repository: {
      async claimSha256(owner, sha, id) {
        const key = `${owner}#${sha}`;
        if (claims.has(key)) return { claimed: false, firstReceiptId: claims.get(key)! };
        claims.set(key, id);
        return { claimed: true };
      },
      async releaseSha256(owner, sha, id) {
        if (claims.get(`${owner}#${sha}`) === id) claims.delete(`${owner}#${sha}`);
      },
      async putNew(item) {
        receipts.set(`${item.user_id}/${item.receipt_id}`, { ...item });
      },
      get: async (owner, id) => receipts.get(`${owner}/${id}`) ?? null,
      async markUploaded(owner, id) {
        const item = receipts.get(`${owner}/${id}`);
        if (item?.status === 'PENDING_UPLOAD') item.status = 'UPLOADED';
      },
      async restartUpload(owner, id, upload, now) {
        const item = receipts.get(`${owner}/${id}`);
        if (item?.status !== 'FAILED') return null;
        Object.assign(item, upload, { status: 'PENDING_UPLOAD', error: null, updatedAt: now });
        return { ...item };
      },
      async resetForReprocess(owner, id, _now, change) {
        const item = receipts.get(`${owner}/${id}`);
        if (!item || !['PROCESSED', 'NEEDS_REVIEW', 'FAILED'].includes(item.status)) return null;
        if ((item.version ?? 0) !== change.version - 1) return null;
        Object.assign(item, { status: 'UPLOADED', error: null, version: change.version, lastChange: change });
        return { ...item };
      },
      delete: async (owner, id) => void receipts.delete(`${owner}/${id}`),
      recordChange: async (owner, record) => void history.set(`${owner}/${record.entry_key}`, record),
      async deleteExpense(owner, id) {
        const expense = expenses.get(`${owner}/${id}`);
        expenses.delete(`${owner}/${id}`);
        // The item as stored (these tests keep only the fields budgets and history read).
        return expense ? ({ user_id: owner, ...expense } as unknown as ExpenseItem) : null;
      },
      async unlinkExpense(owner, id, receiptId) {
        const expense = expenses.get(`${owner}/${id}`);
        if (expense?.receiptId === receiptId) delete expense.receiptId;
      },
    },
    objects: {
      presignPut: async ({ key }) => `http://s3.local/${key}?X-Amz-Signature=abc`,
      presignGet: async (key) => `http://s3.local/${key}?get`,
      put: async ({ key, bytes }) => void objects.set(key, Buffer.from(bytes)),
      exists: async (key) => objects.has(key),
      deleteAllVersions: async (key) => void objects.delete(key),
    },
    processing: { requestProcessing: async (_o, id) => void processing.push(id) },
    budgets: { expenseDeleted: async (owner, expense) => void budgetEvaluations.push({ owner, expense }) },
    newId: () => `01J${String(++n).padStart(23, '0')}`,
    now: () => new Date('2024-05-01T12:00:00Z'),
    maxBytes,
    retentionDaysOf: async () => 30,
  };
  return { deps, receipts, objects, claims, processing, expenses, budgetEvaluations, history };
}

async function errorOf(promise: Promise<unknown>): Promise<FieldError> {
  const error = await promise.then(
    () => null,
    (e) => e,
  );
  expect(error).toBeInstanceOf(FieldError);
  return error as FieldError;
}

describe('uploadReceipt (inline base64)', () => {
  it("given a JPEG, when uploaded, then the receipt is UPLOADED with its real type, size and hash, the bytes are stored under the owner prefix, and the image expires after the owner's retention", async () => {
    const { deps, objects } = givenStore();
    const receipt = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64'), fileName: 'lunch.jpg' });
    expect(receipt).toMatchObject({
      owner: 'alice',
      status: 'UPLOADED',
      contentType: 'image/jpeg',
      size: JPEG.length,
      fileName: 'lunch.jpg',
      // Uploaded 2024-05-01 by an owner keeping images 30 days.
      imageExpiresOn: '2024-05-31',
    });
    expect(receipt.sha256).toBe(createHash('sha256').update(JPEG).digest('hex'));
    expect([...objects.keys()]).toEqual([`receipts/alice/${receipt.id}.jpg`]);
  });

  it('given the same file twice by one user, when uploaded, then DuplicateReceipt names the first; another user may upload it', async () => {
    const { deps } = givenStore();
    const first = await uploadReceipt(deps, 'alice', { image: PNG.toString('base64') });
    const error = await errorOf(uploadReceipt(deps, 'alice', { image: PNG.toString('base64') }));
    expect(error.errorType).toBe('DuplicateReceipt');
    expect(error.errorInfo.receiptId).toBe(first.id);
    await expect(uploadReceipt(deps, 'bob', { image: PNG.toString('base64') })).resolves.toMatchObject({
      owner: 'bob',
    });
  });

  it.each([
    ['0 bytes', '', 'ValidationError', 'empty'],
    ['a text file', Buffer.from('just some text').toString('base64'), 'ValidationError', 'unsupportedType'],
    ['a truncated JPEG', JPEG.subarray(0, 8).toString('base64'), 'ValidationError', 'truncated'],
    ['not base64', '%%%not base64%%%', 'ValidationError', undefined],
  ])('given %s, when uploaded, then a typed error and nothing is written', async (_name, image, errorType, reason) => {
    const { deps, receipts, objects, claims } = givenStore();
    const error = await errorOf(uploadReceipt(deps, 'alice', { image }));
    expect(error.errorType).toBe(errorType);
    expect(error.errorInfo.field).toBe('image');
    if (reason) expect(error.errorInfo.reason).toBe(reason);
    expect(receipts.size + objects.size + claims.size).toBe(0);
  });

  it('given a file over the limit, when uploaded, then LimitExceeded carries the limit and nothing is written', async () => {
    const { deps, receipts } = givenStore(100);
    const big = Buffer.concat([JPEG.subarray(0, 6), Buffer.alloc(200), Buffer.from([0xff, 0xd9])]);
    const error = await errorOf(uploadReceipt(deps, 'alice', { image: big.toString('base64') }));
    expect(error.errorType).toBe('LimitExceeded');
    expect(error.errorInfo).toMatchObject({ field: 'image', limit: 100 });
    expect(receipts.size).toBe(0);
  });
});

describe('uploadReceipt: sizes and formats', () => {
  it('given an image within the receipt limit but larger than one Lambda invocation carries, when uploaded inline, then LimitExceeded gives the inline limit and points at createReceiptUpload', async () => {
    const { deps, receipts } = givenStore(10 * 1024 * 1024);
    const big = Buffer.concat([
      JPEG.subarray(0, 6),
      Buffer.alloc(INLINE_TRANSPORT_MAX_BYTES),
      Buffer.from([0xff, 0xd9]),
    ]);
    const error = await errorOf(uploadReceipt(deps, 'alice', { image: big.toString('base64') }));
    expect(error.errorType).toBe('LimitExceeded');
    expect(error.errorInfo).toMatchObject({
      field: 'image',
      limit: INLINE_TRANSPORT_MAX_BYTES,
      uploadWith: 'createReceiptUpload',
      uploadLimit: 10 * 1024 * 1024,
    });
    expect(receipts.size).toBe(0);
  });

  it('given a WebP, when uploaded inline, then a JPEG is stored and recorded with the original type, and the same WebP again is a duplicate', async () => {
    const { deps, objects } = givenStore(1024 * 1024);
    const webp = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } })
      .webp()
      .toBuffer();
    const receipt = await uploadReceipt(deps, 'alice', { image: webp.toString('base64'), fileName: 'photo.webp' });
    const stored = objects.get(`receipts/alice/${receipt.id}.jpg`)!;
    expect(stored.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(await sharp(stored).metadata()).toMatchObject({ format: 'jpeg', width: 40, height: 30 });
    expect(receipt).toMatchObject({
      contentType: 'image/jpeg',
      originalContentType: 'image/webp',
      size: stored.length,
      sha256: createHash('sha256').update(stored).digest('hex'),
    });
    const again = await errorOf(uploadReceipt(deps, 'alice', { image: webp.toString('base64') }));
    expect(again).toMatchObject({ errorType: 'DuplicateReceipt', errorInfo: { receiptId: receipt.id } });
    await deleteReceipt(deps, 'alice', receipt.id, false);
    await expect(uploadReceipt(deps, 'alice', { image: webp.toString('base64') })).resolves.toMatchObject({
      originalContentType: 'image/webp',
    });
  });

  it('given a WebP with more pixels than can be converted, when uploaded inline, then LimitExceeded gives its size and the limit; nothing is written', async () => {
    const { deps, receipts, objects, claims } = givenStore(1024 * 1024);
    const side = Math.ceil(Math.sqrt(MAX_PIXELS)) + 1;
    const webp = givenWebpOfCanvas(side, side);

    const error = await errorOf(uploadReceipt(deps, 'alice', { image: webp.toString('base64') }));

    expect(error).toMatchObject({
      errorType: 'LimitExceeded',
      errorInfo: { field: 'image', limit: MAX_PIXELS, width: side, height: side },
    });
    expect(receipts.size + objects.size + claims.size).toBe(0);
  });

  it.each([
    [
      'a HEIC without an image',
      Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)]),
      'undecodable',
      'image/heic',
    ],
    [
      'a truncated WebP',
      Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x00, 0x10, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(20)]),
      'truncated',
      'image/webp',
    ],
    [
      'a WebP that does not decode',
      Buffer.concat([Buffer.from('RIFF'), Buffer.from([20, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(12)]),
      'undecodable',
      'image/webp',
    ],
  ])(
    'given %s, when uploaded inline, then ValidationError names the detected type and nothing is written',
    async (_name, file, reason, detectedType) => {
      const { deps, receipts, objects, claims } = givenStore();
      const error = await errorOf(uploadReceipt(deps, 'alice', { image: file.toString('base64') }));
      expect(error.errorType).toBe('ValidationError');
      expect(error.errorInfo).toMatchObject({ field: 'image', reason, detectedType });
      expect(receipts.size + objects.size + claims.size).toBe(0);
    },
  );
});

describe('createReceiptUpload (presigned)', () => {
  const sha256 = createHash('sha256').update(JPEG).digest('hex');

  it('given a declared JPEG with its hash, when requested, then a PENDING_UPLOAD receipt and a URL with the headers to send (the write only if no image is there yet)', async () => {
    const { deps } = givenStore();
    const upload = await createReceiptUpload(deps, 'alice', { contentType: 'image/jpeg', size: JPEG.length, sha256 });
    expect(upload.receipt).toMatchObject({
      status: 'PENDING_UPLOAD',
      owner: 'alice',
      size: JPEG.length,
      imageExpiresOn: '2024-05-31',
    });
    expect(upload.uploadUrl).toContain(`receipts/alice/${upload.receipt.id}.jpg`);
    expect(JSON.parse(upload.uploadHeaders)).toEqual({
      'content-type': 'image/jpeg',
      'if-none-match': '*',
      'x-amz-checksum-sha256': Buffer.from(sha256, 'hex').toString('base64'),
    });
    expect(Date.parse(upload.expiresAt) - Date.parse('2024-05-01T12:00:00Z')).toBe(900_000);
  });

  it('given an interrupted upload, when the same file is requested again, then the same receipt is resumed; once uploaded, DuplicateReceipt', async () => {
    const { deps, receipts } = givenStore();
    const first = await createReceiptUpload(deps, 'alice', { contentType: 'image/jpeg', size: JPEG.length, sha256 });
    const again = await createReceiptUpload(deps, 'alice', { contentType: 'image/jpeg', size: JPEG.length, sha256 });
    expect(again.receipt.id).toBe(first.receipt.id);
    receipts.get(`alice/${first.receipt.id}`)!.status = 'PROCESSED';
    const error = await errorOf(
      createReceiptUpload(deps, 'alice', { contentType: 'image/jpeg', size: JPEG.length, sha256 }),
    );
    expect(error).toMatchObject({ errorType: 'DuplicateReceipt', errorInfo: { receiptId: first.receipt.id } });
  });

  it('given a presigned upload abandoned and marked FAILED by the sweep, when the same file is uploaded again, then the new upload takes that receipt over', async () => {
    const { deps, receipts } = givenStore();
    const first = await createReceiptUpload(deps, 'alice', { contentType: 'image/jpeg', size: JPEG.length, sha256 });
    Object.assign(receipts.get(`alice/${first.receipt.id}`)!, {
      status: 'FAILED',
      error: 'ValidationError: The image was never uploaded or has been deleted',
    });

    const again = await createReceiptUpload(deps, 'alice', {
      contentType: 'image/jpeg',
      size: JPEG.length,
      sha256,
      fileName: 'again.jpg',
    });
    expect(again.receipt).toMatchObject({
      id: first.receipt.id,
      status: 'PENDING_UPLOAD',
      error: null,
      fileName: 'again.jpg',
    });

    receipts.get(`alice/${first.receipt.id}`)!.status = 'FAILED';
    const inline = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    expect(inline).toMatchObject({ id: first.receipt.id, status: 'UPLOADED' });
  });

  it('given a receipt that FAILED with its image stored, when the same file is uploaded again, then DuplicateReceipt names it (reprocess it instead)', async () => {
    const { deps, receipts } = givenStore();
    const first = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    Object.assign(receipts.get(`alice/${first.id}`)!, { status: 'FAILED', error: 'The receipt could not be read' });
    const error = await errorOf(
      createReceiptUpload(deps, 'alice', { contentType: 'image/jpeg', size: JPEG.length, sha256 }),
    );
    expect(error).toMatchObject({ errorType: 'DuplicateReceipt', errorInfo: { receiptId: first.id } });
  });

  it('given a declared WebP, when requested, then the receipt is to be stored as a .webp (the OCR function converts it when it reads it)', async () => {
    const { deps } = givenStore();
    const upload = await createReceiptUpload(deps, 'alice', { contentType: 'image/webp', size: 500 });
    expect(upload.receipt).toMatchObject({
      status: 'PENDING_UPLOAD',
      contentType: 'image/webp',
      originalContentType: null,
    });
    expect(upload.uploadUrl).toContain(`receipts/alice/${upload.receipt.id}.webp`);
    expect(JSON.parse(upload.uploadHeaders)).toEqual({ 'content-type': 'image/webp', 'if-none-match': '*' });
  });

  it('given a declared GIF, when requested, then ValidationError lists what is taken', async () => {
    const { deps } = givenStore();
    const error = await errorOf(createReceiptUpload(deps, 'alice', { contentType: 'image/gif', size: 500 }));
    expect(error).toMatchObject({
      errorType: 'ValidationError',
      errorInfo: {
        field: 'contentType',
        allowed: ['image/jpeg', 'image/png', 'application/pdf', 'image/webp', 'image/heic'],
      },
    });
  });

  it.each([
    [{ contentType: 'image/gif', size: 10 }, 'ValidationError', 'contentType'],
    [{ contentType: 'image/jpeg', size: 0 }, 'ValidationError', 'size'],
    [{ contentType: 'image/jpeg', size: 30 * 1024 * 1024 }, 'LimitExceeded', 'size'],
    [{ contentType: 'image/jpeg', size: 10, sha256: 'xyz' }, 'ValidationError', 'sha256'],
    [{ contentType: 'image/jpeg', size: 10, fileName: 'x'.repeat(300) }, 'ValidationError', 'fileName'],
  ])('given %o, when requested, then %s on %s', async (input, errorType, field) => {
    const { deps, receipts } = givenStore();
    const error = await errorOf(createReceiptUpload(deps, 'alice', input));
    expect(error.errorType).toBe(errorType);
    expect(error.errorInfo.field).toBe(field);
    expect(receipts.size).toBe(0);
  });
});

describe('history', () => {
  it("given a receipt uploaded inline and one presigned, when both are deleted, then each one's history has its creation and its deletion by its owner through the API, in version order, each once", async () => {
    const { deps, history } = givenStore();
    const inline = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64'), fileName: 'lunch.jpg' });
    const presigned = await createReceiptUpload(deps, 'alice', { contentType: 'image/png', size: 10 });
    await deleteReceipt(deps, 'alice', inline.id, false);
    await deleteReceipt(deps, 'alice', presigned.receipt.id, false);
    const of = (id: string) =>
      [...history.entries()]
        .filter(([key]) => key.startsWith(`alice/${id}#RECEIPT#`))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, entry]) => entry);
    for (const id of [inline.id, presigned.receipt.id]) {
      expect(of(id)).toMatchObject([
        { itemId: id, version: 1, action: 'CREATED', by: 'alice', path: 'API' },
        { itemId: id, version: 2, action: 'DELETED', by: 'alice', path: 'API' },
      ]);
    }
    expect(history.size).toBe(4);
    expect(of(inline.id)[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'status', before: null, after: 'PENDING_UPLOAD' },
        { field: 'fileName', before: null, after: 'lunch.jpg' },
      ]),
    );
    expect(of(inline.id)[1].changes).toEqual(
      expect.arrayContaining([{ field: 'status', before: 'UPLOADED', after: null }]),
    );
  });
});

describe('history of a reprocess', () => {
  it('given a receipt sent to review, when its owner reprocesses it, then the change is in its history by them through the API: back to UPLOADED, what review asked gone', async () => {
    const { deps, receipts, history } = givenStore();
    const receipt = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    // As OCR leaves it (its reading is version 2).
    Object.assign(receipts.get(`alice/${receipt.id}`)!, {
      status: 'NEEDS_REVIEW',
      error: 'Please check: total',
      version: 2,
    });
    await reprocessReceipt(deps, 'alice', receipt.id);
    const entry = [...history.values()].find((e) => e.version === 3)!;
    expect(entry).toMatchObject({ itemId: receipt.id, action: 'UPDATED', by: 'alice', path: 'API' });
    expect(entry.changes).toEqual([
      { field: 'status', before: 'NEEDS_REVIEW', after: 'UPLOADED' },
      { field: 'error', before: 'Please check: total', after: null },
    ]);
    expect(receipts.get(`alice/${receipt.id}`)).toMatchObject({ version: 3, lastChange: entry });
  });
});

describe('reprocess and delete', () => {
  it("given another user's receipt id, when reprocessed or deleted, then NotFound exactly as for a missing one", async () => {
    const { deps, objects } = givenStore();
    const mine = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    const theirs = await errorOf(reprocessReceipt(deps, 'bob', mine.id));
    const missing = await errorOf(reprocessReceipt(deps, 'bob', '01JZZZZZZZZZZZZZZZZZZZZZZZ'));
    expect(theirs.errorType).toBe('NotFound');
    expect(missing.errorType).toBe('NotFound');
    expect((await errorOf(deleteReceipt(deps, 'bob', mine.id, true))).errorType).toBe('NotFound');
    expect(objects.size).toBe(1);
  });

  it('given a processed receipt, when reprocessed, then it goes back to UPLOADED and OCR is requested; while in flight it is a Conflict', async () => {
    const { deps, receipts, processing } = givenStore();
    const receipt = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    expect((await errorOf(reprocessReceipt(deps, 'alice', receipt.id))).errorType).toBe('Conflict');
    receipts.get(`alice/${receipt.id}`)!.status = 'PROCESSED';
    await expect(reprocessReceipt(deps, 'alice', receipt.id)).resolves.toMatchObject({ status: 'UPLOADED' });
    expect(processing).toEqual([receipt.id]);
  });

  it('given a deleted receipt, when the same file is uploaded again, then it is accepted as new', async () => {
    const { deps, objects } = givenStore();
    const receipt = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    await deleteReceipt(deps, 'alice', receipt.id, false);
    expect(objects.size).toBe(0);
    const again = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    expect(again.id).not.toBe(receipt.id);
  });

  it('given a processed receipt, when deleted with its expense, then image, record and expense are gone and budgets are re-evaluated for that expense', async () => {
    const { deps, receipts, objects, expenses, budgetEvaluations, history } = givenStore();
    const receipt = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    Object.assign(receipts.get(`alice/${receipt.id}`)!, { status: 'PROCESSED', expenseId: receipt.id });
    const expense = {
      expense_id: receipt.id,
      date: '2024-05-01',
      category: 'DINING' as const,
      amount: 1250,
      currency: 'EUR',
      // What tag and custom-category budgets are picked by.
      customCategoryId: 'c1',
      tags: ['work'],
    } satisfies ExpenseSnapshot;
    expenses.set(`alice/${receipt.id}`, { ...expense, receiptId: receipt.id });

    await deleteReceipt(deps, 'alice', receipt.id, true);

    expect(objects.size + receipts.size + expenses.size).toBe(0);
    // The whole snapshot, id included: budgets drop the index's lagging copy of the deleted expense by its id.
    expect(budgetEvaluations).toEqual([{ owner: 'alice', expense }]);
    // The expense's deletion is in its history, beside the receipt's.
    expect([...history.values()].map((c) => [c.itemType, c.itemId, c.action, c.by, c.path])).toEqual(
      expect.arrayContaining([
        ['EXPENSE', receipt.id, 'DELETED', 'alice', 'API'],
        ['RECEIPT', receipt.id, 'DELETED', 'alice', 'API'],
      ]),
    );
  });

  it('given a receipt an OCR run holds, when deleted, then Conflict and nothing is removed; once the lease has lapsed (a crashed run), it can be', async () => {
    const { deps, receipts, objects } = givenStore();
    const receipt = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    Object.assign(receipts.get(`alice/${receipt.id}`)!, {
      status: 'PROCESSING',
      leaseUntil: deps.now().getTime() + 60_000,
    });
    expect(await errorOf(deleteReceipt(deps, 'alice', receipt.id, true))).toMatchObject({
      errorType: 'Conflict',
      errorInfo: { status: 'PROCESSING' },
    });
    expect(receipts.size + objects.size).toBe(2);
    receipts.get(`alice/${receipt.id}`)!.leaseUntil = deps.now().getTime() - 1;
    await deleteReceipt(deps, 'alice', receipt.id, true);
    expect(receipts.size + objects.size).toBe(0);
  });

  it('given a processed receipt, when deleted without its expense, then the expense stays, no longer linked, and budgets are untouched', async () => {
    const { deps, receipts, expenses, budgetEvaluations } = givenStore();
    const receipt = await uploadReceipt(deps, 'alice', { image: JPEG.toString('base64') });
    Object.assign(receipts.get(`alice/${receipt.id}`)!, { status: 'PROCESSED', expenseId: receipt.id });
    const expense = {
      expense_id: receipt.id,
      date: '2024-05-01',
      category: 'DINING' as const,
      amount: 1250,
      currency: 'EUR',
      // What tag and custom-category budgets are picked by.
      customCategoryId: 'c1',
      tags: ['work'],
    };
    expenses.set(`alice/${receipt.id}`, { ...expense, receiptId: receipt.id });

    await deleteReceipt(deps, 'alice', receipt.id, false);

    expect(receipts.size).toBe(0);
    expect(expenses.get(`alice/${receipt.id}`)).toEqual(expense);
    expect(budgetEvaluations).toEqual([]);
  });
});
