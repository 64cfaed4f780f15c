import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/**
 * The review queue's one step (updateExpense with `reviewed: true`, through the local executor
 * against dynalite): fixes and the confirmation land together, the expense stops needing review
 * and its receipt leaves NEEDS_REVIEW, so listReceipts(status: NEEDS_REVIEW) no longer has it.
 */
let h: ResolverHarness;
const NOW = '2026-11-20T10:00:00.000Z';

async function givenReceiptToReview(owner = 'user-a') {
  const id = ulid();
  await h.db.send(
    new PutCommand({
      TableName: 'Receipts',
      Item: {
        user_id: owner,
        receipt_id: id,
        status: 'NEEDS_REVIEW',
        status_key: `NEEDS_REVIEW#${id}`,
        s3Key: `receipts/${owner}/${id}.jpg`,
        contentType: 'image/jpeg',
        size: 1000,
        extraction: { merchant: { value: 'C0RNER BAKERY', confidence: 0.41 }, lineItems: [] },
        expenseId: id,
        error: 'Low confidence on merchant',
        createdAt: NOW,
        updatedAt: NOW,
      },
    }),
  );
  await h.db.send(
    new PutCommand({
      TableName: 'Expenses',
      Item: {
        user_id: owner,
        expense_id: id,
        merchant: 'C0RNER BAKERY',
        amount: 380,
        currency: 'EUR',
        date: '2026-11-19',
        category: 'OTHER',
        category_date: 'OTHER#2026-11-19',
        categorySource: 'RULES',
        categoryConfidence: 0.2,
        receiptId: id,
        needsReview: true,
        version: 1,
        createdAt: NOW,
        updatedAt: NOW,
      },
    }),
  );
  return id;
}

const update = (input: Record<string, unknown>, sub = 'user-a') =>
  h.call('Mutation', 'updateExpense', { input }, { sub });
const receiptOf = async (id: string, owner = 'user-a') =>
  (await h.db.send(new GetCommand({ TableName: 'Receipts', Key: { user_id: owner, receipt_id: id } }))).Item!;
const toReview = async (sub = 'user-a') =>
  (
    (await h.call('Query', 'listReceipts', { status: 'NEEDS_REVIEW' }, { sub })).data as {
      items: Array<{ id: string }>;
    }
  ).items.map((r) => r.id);

/** The receipt's history as its owner asks for it. */
const receiptHistoryOf = async (id: string, sub = 'user-a') =>
  (
    (await h.call('Query', 'history', { itemId: id, itemType: 'RECEIPT' }, { sub })).data as {
      items: Array<Record<string, unknown>>;
    }
  ).items;

beforeAll(async () => {
  h = await startResolverHarness();
  for (const sub of ['user-a', 'user-b']) {
    await h.db.send(
      new PutCommand({
        TableName: 'Users',
        Item: {
          user_id: sub,
          email: `${sub}@example.com`,
          homeCurrency: 'EUR',
          timezone: 'Europe/Paris',
          dateOrder: 'DMY',
          reportSchedule: { weekly: false, monthly: false },
          createdAt: NOW,
          updatedAt: NOW,
        },
      }),
    );
  }
});

afterAll(async () => {
  await h?.stop();
});

describe('confirming a reviewed receipt', () => {
  it('given fixes and reviewed together, then one call applies them, clears needsReview and takes the receipt off the queue', async () => {
    const id = await givenReceiptToReview();
    expect(await toReview()).toContain(id);

    const out = await update({ id, expectedVersion: 1, merchant: 'Corner Bakery', category: 'DINING', reviewed: true });
    expect(out.errors).toEqual([]);
    expect(out.data).toMatchObject({ merchant: 'Corner Bakery', category: 'DINING', needsReview: false, version: 2 });
    const receipt = await receiptOf(id);
    expect(receipt).toMatchObject({ status: 'PROCESSED', status_key: `PROCESSED#${id}` });
    expect(receipt.error).toBeUndefined();
    expect(await toReview()).not.toContain(id);
    // The confirmation is in the receipt's history, by its owner through the API.
    expect(await receiptHistoryOf(id)).toEqual([
      expect.objectContaining({
        itemType: 'RECEIPT',
        itemId: id,
        version: 1,
        action: 'UPDATED',
        by: 'user-a',
        path: 'API',
        changes: [
          { field: 'status', before: '"NEEDS_REVIEW"', after: '"PROCESSED"' },
          { field: 'error', before: '"Low confidence on merchant"', after: null },
        ],
      }),
    ]);
    expect(receipt).toMatchObject({ version: 1, lastChange: { version: 1, action: 'UPDATED' } });
  });

  it('given reviewed alone (the reading was right), then it is accepted as the only change', async () => {
    const id = await givenReceiptToReview();
    const out = await update({ id, expectedVersion: 1, reviewed: true });
    expect(out.errors).toEqual([]);
    expect(out.data).toMatchObject({ merchant: 'C0RNER BAKERY', needsReview: false, version: 2 });
    expect((await receiptOf(id)).status).toBe('PROCESSED');
  });

  it('given the answer was lost and the same confirmation is retried, then it completes instead of a Conflict', async () => {
    const id = await givenReceiptToReview();
    await update({ id, expectedVersion: 1, amount: 420, reviewed: true });
    const retried = await update({ id, expectedVersion: 1, amount: 420, reviewed: true });
    expect(retried.errors).toEqual([]);
    expect(retried.data).toMatchObject({ amount: 420, needsReview: false, version: 2 });
    // One confirmation in the receipt's history, however often the request is retried.
    expect((await receiptHistoryOf(id)).map((e) => [e.version, e.action])).toEqual([[1, 'UPDATED']]);
  });

  it('given a stale version, then Conflict and neither the expense nor the receipt changes', async () => {
    const id = await givenReceiptToReview();
    await update({ id, expectedVersion: 1, note: 'edited on the phone' });
    const out = await update({ id, expectedVersion: 1, amount: 999, reviewed: true });
    expect(out.errors[0]).toMatchObject({ errorType: 'Conflict', errorInfo: { currentVersion: 2 } });
    expect((await receiptOf(id)).status).toBe('NEEDS_REVIEW');
    expect(await receiptHistoryOf(id)).toEqual([]);
  });

  it("given another user's expense id, then NotFound and their receipt stays in their queue", async () => {
    const id = await givenReceiptToReview('user-b');
    const out = await update({ id, expectedVersion: 1, reviewed: true }, 'user-a');
    expect(out.errors[0]).toMatchObject({ errorType: 'NotFound' });
    expect(await toReview('user-b')).toContain(id);
  });

  it('given neither a change nor reviewed, then ValidationError as before', async () => {
    const id = await givenReceiptToReview();
    const out = await update({ id, expectedVersion: 1, reviewed: false });
    expect(out.errors[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'input' } });
  });
});
