import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { merchantKeyOf } from '../../model/merchant-key.ts';
import { startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/**
 * Issue 14.6: merchants with no Latin letters (`星巴克`, `مطعم`, `☕`) through createExpense and
 * updateExpense as AppSync runs them (local executor, dynalite). Before merchant keys kept
 * caseless scripts, such a name had an empty key: createExpense failed with InternalError, and
 * updateExpense wrote the expense in step 2, failed in step 3 and answered every retry Conflict.
 */
let h: ResolverHarness;
/** Data source requests to fail once, by `${dataSource} ${operation}`. */
let failNext = new Set<string>();

beforeAll(async () => {
  h = await startResolverHarness({
    beforeDataSource(name, request) {
      const what = `${name} ${request?.operation}`;
      if (failNext.delete(what)) throw new Error(`injected failure of ${what}`);
    },
  });
  await h.db.send(
    new PutCommand({
      TableName: 'Users',
      Item: { user_id: 'user-a', email: 'a@example.com', homeCurrency: 'EUR', timezone: 'UTC', dateOrder: 'DMY' },
    }),
  );
});
afterAll(async () => h?.stop());
beforeEach(() => {
  failNext = new Set();
  h.lambdaCalls.length = 0;
});

const create = (merchant: string, extra: Record<string, unknown> = {}) =>
  h.call('Mutation', 'createExpense', { input: { merchant, amount: 480, date: '2026-11-20', ...extra } });
const update = (input: Record<string, unknown>) => h.call('Mutation', 'updateExpense', { input });
const stored = async (id: string) =>
  (await h.db.send(new GetCommand({ TableName: 'Expenses', Key: { user_id: 'user-a', expense_id: id } }))).Item!;
const learned = async (merchant: string) =>
  (
    await h.db.send(
      new GetCommand({ TableName: 'Merchants', Key: { user_id: 'user-a', merchant_key: merchantKeyOf(merchant) } }),
    )
  ).Item?.category ?? null;
const budgetEvents = () => h.lambdaCalls.filter((c) => c.functionName === 'BudgetFn');

describe('merchants in any script', () => {
  it.each(['星巴克', 'مطعم', '☕', '🍔🍟', 'סופר-פארם', 'スターバックス・コーヒー', '!!!'])(
    'given %s without a category, when created, then the expense is written and categorized or OTHER',
    async (merchant) => {
      const out = await create(merchant);
      expect(out.errors ?? []).toEqual([]);
      const expense = out.data as { id: string; merchant: string; category: string; categorySource: string };
      expect(expense.merchant).toBe(merchant);
      expect((await stored(expense.id)).category).toBe(expense.category);
    },
  );

  it('given 星巴克 (Starbucks), when created without a category, then the brand index files it DINING', async () => {
    expect((await create('星巴克')).data).toMatchObject({ category: 'DINING', categorySource: 'BRAND' });
  });

  it('given ☕ corrected to DINING, when another ☕ is created, then the correction is learned and wins', async () => {
    const first = (await create('☕')).data as { id: string; version: number };
    const out = await update({ id: first.id, expectedVersion: first.version, category: 'DINING' });
    expect(out.errors ?? []).toEqual([]);
    expect(await learned('☕')).toBe('DINING');
    expect((await create('☕')).data).toMatchObject({ category: 'DINING', categorySource: 'LEARNED' });
  });

  it('given مطعم renamed to 星巴克 with a category, when updated, then both names learn it and budgets are told', async () => {
    const first = (await create('مطعم')).data as { id: string; version: number };
    h.lambdaCalls.length = 0;
    const out = await update({
      id: first.id,
      expectedVersion: first.version,
      merchant: '星巴克',
      category: 'GROCERIES',
    });
    expect(out.errors ?? []).toEqual([]);
    expect(out.data).toMatchObject({ merchant: '星巴克', category: 'GROCERIES', version: 2 });
    expect(await learned('星巴克')).toBe('GROCERIES');
    expect(await learned('مطعم')).toBe('GROCERIES');
    expect(budgetEvents()).toHaveLength(1);
  });
});

describe('updateExpense is never half applied', () => {
  it('given the learning write fails, when updated, then the expense is unchanged and the retry completes', async () => {
    const first = (await create('☕ Kiosk')).data as { id: string; version: number };
    h.lambdaCalls.length = 0;
    failNext.add('Merchants PutItem');
    const failed = await update({ id: first.id, expectedVersion: 1, category: 'DINING', note: 'latte' });
    expect(failed.errors?.[0]).toMatchObject({ errorType: 'InternalError' });
    expect(await stored(first.id)).toMatchObject({ version: 1, note: null });
    expect(budgetEvents()).toHaveLength(0);

    const retried = await update({ id: first.id, expectedVersion: 1, category: 'DINING', note: 'latte' });
    expect(retried.errors ?? []).toEqual([]);
    expect(await stored(first.id)).toMatchObject({ version: 2, category: 'DINING', note: 'latte' });
    expect(budgetEvents()).toHaveLength(1);
  });

  it('given the budgets step fails after the write, when the same change is retried, then it completes instead of Conflict and budgets are re-evaluated', async () => {
    const first = (await create('مطعم البيك')).data as { id: string };
    h.lambdaCalls.length = 0;
    failNext.add('BudgetFn Invoke');
    const change = { id: first.id, expectedVersion: 1, amount: 990, category: 'DINING' };
    const failed = await update(change);
    expect((await stored(first.id)).version).toBe(2);
    const retried = await update(change);
    expect(retried.errors ?? []).toEqual([]);
    expect(retried.data).toMatchObject({ amount: 990, category: 'DINING', version: 2 });
    expect(budgetEvents().at(-1)!.payload.after).toMatchObject({ amount: 990, version: 2 });
    expect((failed.errors ?? []).every((e) => e.errorType === 'InternalError')).toBe(true);
  });

  it('given a different change on the old version, when updated, then it is still a Conflict', async () => {
    const first = (await create('星巴克 咖啡')).data as { id: string };
    await update({ id: first.id, expectedVersion: 1, amount: 700 });
    const out = await update({ id: first.id, expectedVersion: 1, amount: 800 });
    expect(out.errors?.[0]).toMatchObject({ errorType: 'Conflict', errorInfo: { currentVersion: 2 } });
  });
});
