import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { svgToPng } from '../../functions/report/charts.ts';
import { BAKERY_RECEIPT, drawReceiptJpeg, GALLERY_RECEIPT, HARDWARE_RECEIPT } from '../support/drawn-receipts.ts';
import type { LocalStack } from '../../local/stack.ts';
import {
  eventually,
  givenSignedInUser,
  graphql,
  subscribeOverWebSocket,
  givenRunningStack,
  type SignedInUser,
} from './steps.ts';

/**
 * How soon after the upload the push must arrive: the OCR's own time plus 1 s for the rest
 * (storage, events, categorizing, the push), stretched by how much slower than its usual few
 * seconds the OCR itself ran, since a loaded machine slows the rest alike.
 */
function afterOcrBound(ocrMs: number): number {
  return ocrMs + 1000 * Math.max(1, ocrMs / 5000);
}

/**
 * The heart of the product on `npm start`: a photographed receipt uploaded with a presigned
 * URL (plain fetch) or inline, read by the local Textract (PaddleOCR) through the same OCR
 * function as on AWS, and the categorized expense pushed to its owner only.
 */
const RECEIPT = `id status expenseId error extraction { merchant { value } date { value } total { amount } }
  expense { id merchant amount currency date category categorySource }`;
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let bob: SignedInUser;

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, user.accessToken);

/** What the functions log (JSON lines on stdout) while it runs. */
function captureLogs() {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    lines.push(String(chunk));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  return {
    text: () => lines.join(''),
    records: () =>
      lines
        .flatMap((l) => l.split('\n'))
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    stop: () => void (process.stdout.write = write),
  };
}

/** Given a subscriber to the caller's processed receipts that notes when each arrives. */
async function givenReceiptSubscriber(user: SignedInUser) {
  const subscriber = await subscribeOverWebSocket(
    stack,
    user.accessToken,
    `subscription { onReceiptProcessed { ${RECEIPT} } }`,
  );
  const arrivals: Array<{ receipt: any; at: number }> = [];
  subscriber.socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString());
    if (message.type === 'data') arrivals.push({ receipt: message.payload.data.onReceiptProcessed, at: Date.now() });
  });
  return {
    ...subscriber,
    /** The push of one receipt, and when it arrived (OCR on 2 busy cores can take a while). */
    pushOf: async (id: () => string | undefined) => {
      const find = () => arrivals.find((a) => a.receipt.id === id());
      await eventually(find, Boolean, 100_000);
      expect(find(), 'the receipt is pushed to its owner').toBeDefined();
      return find()!;
    },
  };
}

/** How long the OCR function's Textract call took for a receipt, from its log line. */
function ocrMsOf(logs: ReturnType<typeof captureLogs>, receiptId: string): number {
  const line = logs
    .records()
    .find((r) => r.service === 'process-receipt' && r.message === 'receipt read' && r.receiptId === receiptId);
  expect(line, 'the OCR function logs the time its Textract call took').toBeDefined();
  return line!.ocrMs as number;
}

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('receipts'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  bob = await givenSignedInUser(stack, 'bob@example.com');
  // The drawn receipts are Malaysian: day-first dates, ringgit.
  await call(
    ada,
    'mutation { updateProfile(input: { homeCurrency: "MYR", dateOrder: DMY, timezone: "Asia/Kuala_Lumpur" }) { id } }',
  );
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

describe('receipts', () => {
  it('given a presigned upload with plain fetch, then the owner receives the processed receipt with its expense within the OCR time + 1 s; another user does not', async () => {
    const image = await drawReceiptJpeg(GALLERY_RECEIPT);
    const adaEvents = await givenReceiptSubscriber(ada);
    const bobEvents = await subscribeOverWebSocket(
      stack,
      bob.accessToken,
      'subscription { onReceiptProcessed { id } }',
    );
    const upload = await call(
      ada,
      'mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id status } uploadUrl uploadHeaders } }',
      {
        input: {
          contentType: 'image/jpeg',
          size: image.length,
          sha256: createHash('sha256').update(image).digest('hex'),
          fileName: 'gallery.jpg',
        },
      },
    );
    expect(upload.body.errors).toBeUndefined();
    const { receipt, uploadUrl, uploadHeaders } = upload.body.data.createReceiptUpload;
    expect(receipt.status).toBe('PENDING_UPLOAD');
    const logs = captureLogs();
    let uploaded: number;
    let pushed: Awaited<ReturnType<typeof adaEvents.pushOf>>;
    try {
      const put = await fetch(uploadUrl, { method: 'PUT', headers: JSON.parse(uploadHeaders), body: image });
      uploaded = Date.now();
      expect(put.status).toBe(200);
      pushed = await adaEvents.pushOf(() => receipt.id);
    } finally {
      logs.stop();
    }
    expect(pushed.receipt).toMatchObject({ id: receipt.id, status: 'PROCESSED', error: null });
    expect(pushed.receipt.expense).toMatchObject({
      merchant: GALLERY_RECEIPT.merchant,
      amount: GALLERY_RECEIPT.total,
      currency: GALLERY_RECEIPT.currency,
      date: GALLERY_RECEIPT.date,
      categorySource: 'RULES',
    });
    const ocrMs = ocrMsOf(logs, receipt.id);
    console.log(`presigned: pushed ${pushed.at - uploaded} ms after the upload; OCR ${ocrMs} ms`);
    expect(pushed.at - uploaded).toBeLessThanOrEqual(afterOcrBound(ocrMs));
    expect(bobEvents.data).toEqual([]);

    // Bob cannot see it; Ada's list has it, with its image URL.
    expect(
      (await call(bob, 'query ($id: ID!) { receipt(id: $id) { id } }', { id: receipt.id })).body.errors?.[0].errorType,
    ).toBe('NotFound');
    const mine = await call(ada, 'query ($id: ID!) { receipt(id: $id) { status imageUrl expense { amount } } }', {
      id: receipt.id,
    });
    expect(mine.body.data.receipt).toMatchObject({ status: 'PROCESSED', expense: { amount: GALLERY_RECEIPT.total } });
    expect((await fetch(mine.body.data.receipt.imageUrl)).status).toBe(200);
    adaEvents.socket.close();
    bobEvents.socket.close();
  }, 120_000);

  it('given the same image again, then DuplicateReceipt names the first receipt and no second expense is made', async () => {
    const image = await drawReceiptJpeg(GALLERY_RECEIPT);
    const again = await call(ada, 'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
      input: { image: image.toString('base64'), fileName: 'again.jpg' },
    });
    expect(again.body.errors?.[0].errorType).toBe('DuplicateReceipt');
    const expenses = await call(ada, 'query { listExpenses(limit: 100) { items { id } } }');
    expect(expenses.body.data.listExpenses.items).toHaveLength(1);
  });

  it('given an inline upload, then the receipt is read the same way and pushed within the OCR time + 1 s', async () => {
    const image = await drawReceiptJpeg(BAKERY_RECEIPT);
    const events = await givenReceiptSubscriber(ada);
    const logs = captureLogs();
    let sent: number;
    let uploaded: { body: { data?: any; errors?: unknown } };
    let pushed: Awaited<ReturnType<typeof events.pushOf>>;
    try {
      // The bytes reach S3 inside the mutation, so the clock starts when it is sent.
      sent = Date.now();
      uploaded = await call(
        ada,
        'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id status } }',
        { input: { image: image.toString('base64'), fileName: 'bakery.jpg' } },
      );
      expect(uploaded.body.errors).toBeUndefined();
      pushed = await events.pushOf(() => uploaded.body.data?.uploadReceipt?.id);
    } finally {
      logs.stop();
    }
    const id = uploaded.body.data.uploadReceipt.id;
    expect(pushed.receipt).toMatchObject({ id, status: 'PROCESSED' });
    expect(pushed.receipt.expense).toMatchObject({ amount: BAKERY_RECEIPT.total, date: BAKERY_RECEIPT.date });
    const ocrMs = ocrMsOf(logs, id);
    console.log(`inline: pushed ${pushed.at - sent} ms after the upload was sent; OCR ${ocrMs} ms`);
    expect(pushed.at - sent).toBeLessThanOrEqual(afterOcrBound(ocrMs));
    events.socket.close();
  }, 120_000);

  it('given a budget, when a receipt from today is read, then its expense raises the budget alerts like a typed-in one', async () => {
    const budget = await call(
      ada,
      'mutation { createBudget(input: { name: "Everything", period: MONTHLY, amount: 10000 }) { id currency } }',
    );
    expect(budget.body.data.createBudget).toEqual({ id: 'ALL-MONTHLY', currency: 'MYR' });
    const alerts = await subscribeOverWebSocket(
      stack,
      ada.accessToken,
      'subscription { onBudgetAlert { budgetId threshold spent } }',
    );
    // A clean receipt printed today (in Ada's timezone), drawn as a PNG with a packaged font.
    const today = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Kuala_Lumpur',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(new Date());
    const rows = [
      'KOPI CORNER CAFE SDN BHD',
      'NO 12 JALAN BUNGA',
      `DATE: ${today}`,
      'NASI LEMAK        12.00',
      'KOPI O             3.00',
      'TOTAL          RM 85.00',
      'CASH           RM 100.00',
      'CHANGE         RM 15.00',
    ];
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="${80 + rows.length * 56}"><rect width="100%" height="100%" fill="#fff"/>${rows
      .map(
        (row, i) =>
          `<text x="40" y="${80 + i * 56}" font-size="30" font-family="DejaVu Sans" fill="#111">${row}</text>`,
      )
      .join('')}</svg>`;
    const image = Buffer.from(await svgToPng(svg));
    const uploaded = await call(ada, 'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
      input: { image: image.toString('base64'), fileName: 'today.png' },
    });
    expect(uploaded.body.errors).toBeUndefined();
    await eventually(
      () => alerts.data.length,
      (n) => n >= 2,
      30_000,
    );
    expect(alerts.data).toEqual([
      { onBudgetAlert: { budgetId: 'ALL-MONTHLY', threshold: 50, spent: 8500 } },
      { onBudgetAlert: { budgetId: 'ALL-MONTHLY', threshold: 80, spent: 8500 } },
    ]);
    const receipt = await call(ada, 'query ($id: ID!) { receipt(id: $id) { status expense { amount currency } } }', {
      id: uploaded.body.data.uploadReceipt.id,
    });
    expect(receipt.body.data.receipt).toMatchObject({
      status: 'PROCESSED',
      expense: { amount: 8500, currency: 'MYR' },
    });
    alerts.socket.close();
  }, 60_000);

  it('given an upload, when followed through the logs, then every line of its processing carries the id of the request that made it, and no image or token', async () => {
    const image = await drawReceiptJpeg(HARDWARE_RECEIPT);
    const logs = captureLogs();
    let requestId: string | null;
    let receiptId: string;
    try {
      const response = await fetch(stack.urls.graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: ada.accessToken },
        body: JSON.stringify({
          query: 'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }',
          variables: { input: { image: image.toString('base64') } },
        }),
      });
      requestId = response.headers.get('x-amzn-requestid');
      receiptId = ((await response.json()) as { data: { uploadReceipt: { id: string } } }).data.uploadReceipt.id;
      await eventually(
        async () =>
          (await call(ada, 'query ($id: ID!) { receipt(id: $id) { status } }', { id: receiptId })).body.data.receipt
            .status,
        (status) => ['PROCESSED', 'NEEDS_REVIEW', 'FAILED'].includes(status),
        30_000,
      );
      await stack.lambda.drain();
    } finally {
      logs.stop();
    }
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const ocr = logs
      .records()
      .filter(
        (r) =>
          r.service === 'process-receipt' &&
          r.receiptId === receiptId &&
          r.message !== 'ignoring S3 record: not a receipt being created',
      );
    expect(ocr.length).toBeGreaterThan(0);
    expect(new Set(ocr.map((r) => r.correlationId))).toEqual(new Set([requestId]));
    const everything = logs.text();
    expect(everything).not.toContain(image.toString('base64').slice(0, 200));
    expect(everything).not.toContain(ada.accessToken);
  }, 60_000);

  it('given bad files, then typed errors and nothing stored', async () => {
    const text = Buffer.from('this is not an image').toString('base64');
    expect(
      (
        await call(ada, 'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
          input: { image: text },
        })
      ).body.errors?.[0].errorType,
    ).toBe('ValidationError');
    const truncated = (await drawReceiptJpeg(HARDWARE_RECEIPT)).subarray(0, 5000).toString('base64');
    expect(
      (
        await call(ada, 'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
          input: { image: truncated },
        })
      ).body.errors?.[0].errorType,
    ).toBe('ValidationError');
    const listed = await call(ada, 'query { listReceipts(limit: 100) { items { id } } }');
    expect(listed.body.data.listReceipts.items).toHaveLength(4);
  });
});
