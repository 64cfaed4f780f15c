import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptStatus } from '../../generated/graphql.ts';
import { statusKeyOf } from '../../model/receipts.ts';
import { startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/** Budgets, the profile and receipt reads through the local executor against dynalite. */
let h: ResolverHarness;

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
          timezone: 'UTC',
          dateOrder: 'DMY',
          reportSchedule: { weekly: false, monthly: false },
          createdAt: '2026-01-01T00:00:00Z',
          updatedAt: '2026-01-01T00:00:00Z',
        },
      }),
    );
  }
});

afterAll(async () => {
  await h?.stop();
});

describe('budgets', () => {
  it('given a category and period, when created, then defaults apply; a second one for the same pair is a Conflict', async () => {
    const created = await h.call('Mutation', 'createBudget', {
      input: { category: 'DINING', period: 'MONTHLY', amount: 30000 },
    });
    expect(created.errors).toEqual([]);
    expect(created.data).toMatchObject({
      id: 'DINING-MONTHLY',
      name: 'Monthly Dining',
      currency: 'EUR',
      thresholds: [50, 80, 100],
      rollover: false,
      version: 1,
    });
    const again = await h.call('Mutation', 'createBudget', {
      input: { category: 'DINING', period: 'MONTHLY', amount: 1 },
    });
    expect(again.errors).toEqual([
      expect.objectContaining({ errorType: 'Conflict', errorInfo: { field: 'category', budgetId: 'DINING-MONTHLY' } }),
    ]);
    // Another period, or all spending, is another budget.
    expect(
      (await h.call('Mutation', 'createBudget', { input: { category: 'DINING', period: 'WEEKLY', amount: 8000 } }))
        .errors,
    ).toEqual([]);
    expect(
      (await h.call('Mutation', 'createBudget', { input: { period: 'MONTHLY', amount: 200000, currency: 'USD' } }))
        .data,
    ).toMatchObject({ id: 'ALL-MONTHLY', category: null, currency: 'USD' });
  });

  it.each([
    [{ amount: 0 }, 'amount'],
    [{ thresholds: [80, 50] }, 'thresholds'],
    [{ thresholds: [0, 50] }, 'thresholds'],
    [{ thresholds: [50, 201] }, 'thresholds'],
    [{ thresholds: [50, 50] }, 'thresholds'],
    [{ currency: 'EU' }, 'currency'],
  ])('given %o, when created, then ValidationError names %s', async (input, field) => {
    const out = await h.call('Mutation', 'createBudget', {
      input: { category: 'TRAVEL', period: 'YEARLY', amount: 100, ...input },
    });
    expect(out.errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field }) }),
    ]);
  });

  it('given a budget, when updated with the version read, then it changes; with a stale version, Conflict; the fired alerts are kept', async () => {
    await h.call('Mutation', 'createBudget', { input: { category: 'GROCERIES', period: 'MONTHLY', amount: 40000 } });
    await h.db.send(
      new PutCommand({
        TableName: 'Budgets',
        Item: {
          ...((await h.call('Query', 'budget', { id: 'GROCERIES-MONTHLY' })).data as object),
          user_id: 'user-a',
          budget_id: 'GROCERIES-MONTHLY',
          fired: { '2026-11-01': [50] },
        },
      }),
    );
    const updated = await h.call('Mutation', 'updateBudget', {
      input: { id: 'GROCERIES-MONTHLY', expectedVersion: 1, amount: 45000, thresholds: [75, 100] },
    });
    expect(updated.data).toMatchObject({ amount: 45000, thresholds: [75, 100], version: 2 });
    expect((updated.data as { fired: unknown }).fired).toEqual({ '2026-11-01': [50] });
    const stale = await h.call('Mutation', 'updateBudget', {
      input: { id: 'GROCERIES-MONTHLY', expectedVersion: 1, amount: 1 },
    });
    expect(stale.errors).toEqual([
      expect.objectContaining({ errorType: 'Conflict', errorInfo: { currentVersion: 2 } }),
    ]);
  });

  it("given user A's budgets, then user B cannot see, change or delete them, and lists only its own", async () => {
    expect((await h.call('Query', 'budget', { id: 'DINING-MONTHLY' }, { sub: 'user-b' })).errors[0].errorType).toBe(
      'NotFound',
    );
    expect(
      (
        await h.call(
          'Mutation',
          'updateBudget',
          { input: { id: 'DINING-MONTHLY', expectedVersion: 1, amount: 5 } },
          { sub: 'user-b' },
        )
      ).errors[0].errorType,
    ).toBe('NotFound');
    expect(
      (await h.call('Mutation', 'deleteBudget', { id: 'DINING-MONTHLY' }, { sub: 'user-b' })).errors[0].errorType,
    ).toBe('NotFound');
    expect(((await h.call('Query', 'listBudgets', {}, { sub: 'user-b' })).data as { items: unknown[] }).items).toEqual(
      [],
    );
    const mine = (await h.call('Query', 'listBudgets', {})).data as { items: Array<{ id: string }> };
    expect(mine.items.map((b) => b.id)).toEqual([
      'ALL-MONTHLY',
      'DINING-MONTHLY',
      'DINING-WEEKLY',
      'GROCERIES-MONTHLY',
    ]);
  });

  it('given a budget, when deleted, then the same category and period can be budgeted again', async () => {
    expect((await h.call('Mutation', 'deleteBudget', { id: 'DINING-WEEKLY' })).data).toMatchObject({
      id: 'DINING-WEEKLY',
    });
    expect(
      (await h.call('Mutation', 'createBudget', { input: { category: 'DINING', period: 'WEEKLY', amount: 9000 } }))
        .data,
    ).toMatchObject({ amount: 9000, version: 1 });
  });
});

describe('profile', () => {
  it('given the signed-in user, when reading and updating the profile, then only their row changes', async () => {
    expect((await h.call('Query', 'me', {})).data).toMatchObject({ id: 'user-a', homeCurrency: 'EUR' });
    const updated = await h.call('Mutation', 'updateProfile', {
      input: { timezone: 'Europe/Paris', homeCurrency: 'CHF', reportSchedule: { weekly: true, monthly: false } },
    });
    expect(updated.data).toMatchObject({
      id: 'user-a',
      timezone: 'Europe/Paris',
      homeCurrency: 'CHF',
      reportSchedule: { weekly: true, monthly: false },
    });
    expect((await h.call('Query', 'me', {}, { sub: 'user-b' })).data).toMatchObject({
      homeCurrency: 'EUR',
      timezone: 'UTC',
    });
  });

  it('given bad or empty input, then ValidationError; an unknown user gets NotFound and no row', async () => {
    expect((await h.call('Mutation', 'updateProfile', { input: { timezone: 'not a zone' } })).errors[0]).toMatchObject({
      errorType: 'ValidationError',
      errorInfo: { field: 'timezone' },
    });
    expect((await h.call('Mutation', 'updateProfile', { input: {} })).errors[0]).toMatchObject({
      errorType: 'ValidationError',
      errorInfo: { field: 'input' },
    });
    expect(
      (await h.call('Mutation', 'updateProfile', { input: { name: 'Ghost' } }, { sub: 'nobody' })).errors[0].errorType,
    ).toBe('NotFound');
    expect((await h.call('Query', 'me', {}, { sub: 'nobody' })).errors[0].errorType).toBe('NotFound');
  });
});

describe('receipts', () => {
  it('given receipts in several states, when listed by status, then only that status, newest first; another user sees none', async () => {
    const ids = ['01JABCDEFGHJKMNPQRSTVWXYZ0', '01JABCDEFGHJKMNPQRSTVWXYZ1', '01JABCDEFGHJKMNPQRSTVWXYZ2'];
    const statuses: ReceiptStatus[] = ['PROCESSED', 'FAILED', 'PROCESSED'];
    for (const [i, id] of ids.entries()) {
      await h.db.send(
        new PutCommand({
          TableName: 'Receipts',
          Item: {
            user_id: 'user-a',
            receipt_id: id,
            status: statuses[i],
            status_key: statusKeyOf(statuses[i], id),
            s3Key: `receipts/user-a/${id}.jpg`,
            contentType: 'image/jpeg',
            size: 10,
            createdAt: '2026-11-01T00:00:00Z',
            updatedAt: '2026-11-01T00:00:00Z',
          },
        }),
      );
    }
    const processed = (await h.call('Query', 'listReceipts', { status: 'PROCESSED' })).data as {
      items: Array<{ id: string; owner: string }>;
    };
    expect(processed.items.map((r) => r.id)).toEqual([ids[2], ids[0]]);
    expect(processed.items[0].owner).toBe('user-a');
    expect(((await h.call('Query', 'listReceipts', {})).data as { items: unknown[] }).items).toHaveLength(3);
    expect(((await h.call('Query', 'listReceipts', {}, { sub: 'user-b' })).data as { items: unknown[] }).items).toEqual(
      [],
    );
    expect((await h.call('Query', 'receipt', { id: ids[1] })).data).toMatchObject({ id: ids[1], status: 'FAILED' });
    expect((await h.call('Query', 'receipt', { id: ids[1] }, { sub: 'user-b' })).errors[0].errorType).toBe('NotFound');
  });
});
