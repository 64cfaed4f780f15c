import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetStatusOn } from '../../functions/shared/budgets/core.ts';
import { createBudgetStore } from '../../functions/shared/budgets/dynamo-adapters.ts';
import { createDynamoRateStore } from '../../functions/shared/currency/dynamo-rates.ts';
import { createRateBook } from '../../functions/shared/currency/rate-book.ts';
import type { BudgetItem } from '../../model/budgets.ts';
import { startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/**
 * Currencies through the resolvers and RatesFn on dynalite: expenses converted at the rate of
 * their day (weekends use the Friday, old rates say they are stale), a currency the ECB does not
 * publish flagged until the user sets a rate, budgets counting everything in the home currency,
 * and a new home currency converting every expense again.
 *
 * The rates are the test's own, in the ECB's CSV layout (round numbers, not the ECB's).
 */
const ECB_CSV = [
  'Date,USD,JPY,BGN,IDR,',
  '2026-11-20,1.2500,160.00,N/A,20000.00,',
  '2026-11-19,1.2000,150.00,N/A,19000.00,',
  '2026-10-30,1.1000,140.00,N/A,18000.00,',
  '',
].join('\n');

let h: ResolverHarness;
let dir: string;

const create = (input: Record<string, unknown>, sub = 'user-a') =>
  h.call('Mutation', 'createExpense', { input: { merchant: 'Shop', category: 'SHOPPING', ...input } }, { sub });
const read = async (id: string, sub = 'user-a') => (await h.call('Query', 'expense', { id }, { sub })).data as any;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'currencies-'));
  const snapshot = path.join(dir, 'eurofxref-hist.csv');
  await writeFile(snapshot, ECB_CSV);
  h = await startResolverHarness({ ratesSnapshotFile: snapshot });
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
  // The scheduled refresh (at every start locally): the snapshot into the Rates table.
  const refreshed = await h.dataSources.get('RatesFn')!({ operation: 'Invoke', payload: { action: 'refreshRates' } });
  expect(refreshed.result).toMatchObject({ newestDay: '2026-11-20', monthsWritten: 2, feed: 'off' });
});

afterAll(async () => {
  await h?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('expenses in other currencies', () => {
  const ids: Record<string, string> = {};

  it('given a USD expense on a publication day, then it is converted into EUR at that day’s rate, exactly', async () => {
    const out = await create({ amount: 1000, currency: 'USD', date: '2026-11-20' });
    expect(out.errors).toEqual([]);
    ids.usd = (out.data as any).id;
    expect(out.data).toMatchObject({
      amount: 1000,
      currency: 'USD',
      needsRate: false,
      converted: { amount: 800, currency: 'EUR', rate: '0.8', rateDate: '2026-11-20', source: 'ECB', stale: false },
    });
  });

  it('given a yen expense on a Sunday, then Friday’s rate converts it; a rupiah one 8 days after the newest rate says it is stale', async () => {
    const yen = await create({ amount: 1000, currency: 'JPY', date: '2026-11-22' });
    ids.jpy = (yen.data as any).id;
    expect((yen.data as any).converted).toEqual({
      amount: 625,
      currency: 'EUR',
      rate: '0.00625',
      rateDate: '2026-11-20',
      source: 'ECB',
      stale: false,
    });
    const rupiah = await create({ amount: 5000000, currency: 'IDR', date: '2026-11-28' });
    expect((rupiah.data as any).converted).toMatchObject({ amount: 250, rateDate: '2026-11-20', stale: true });
  });

  it('given a currency the ECB does not publish, then the expense is flagged needsRate, not converted and not dropped', async () => {
    const out = await create({ amount: 65596, currency: 'XOF', date: '2026-11-20' });
    ids.xof = (out.data as any).id;
    expect(out.data).toMatchObject({ amount: 65596, currency: 'XOF', needsRate: true, converted: null });
    // Neither does the ECB publish a day before its first rates.
    const early = await create({ amount: 100, currency: 'USD', date: '1998-12-31' });
    expect(out.errors).toEqual([]);
    expect(early.data).toMatchObject({ needsRate: true, converted: null });
  });

  it('given the home currency, then the rate is 1 and RatesFn is not called', async () => {
    const calls = h.lambdaCalls.length;
    const out = await create({ amount: 4200, date: '2026-11-20' });
    expect((out.data as any).converted).toEqual({
      amount: 4200,
      currency: 'EUR',
      rate: '1',
      rateDate: '2026-11-20',
      source: 'SAME',
      stale: false,
    });
    expect(h.lambdaCalls.slice(calls).some((c) => c.functionName === 'RatesFn')).toBe(false);
  });

  it('given an update of the amount or day, then the conversion is redone at the new day’s rate', async () => {
    const before = await read(ids.usd);
    const out = await h.call('Mutation', 'updateExpense', {
      input: { id: ids.usd, expectedVersion: before.version, date: '2026-11-19' },
    });
    expect(out.errors).toEqual([]);
    expect((out.data as any).converted).toMatchObject({ amount: 833, rate: '0.8333333333', rateDate: '2026-11-19' });
    const back = await h.call('Mutation', 'updateExpense', {
      input: { id: ids.usd, expectedVersion: before.version + 1, date: '2026-11-20' },
    });
    expect((back.data as any).converted).toMatchObject({ amount: 800, rateDate: '2026-11-20' });
  });

  it('given a budget in EUR, then every expense counts converted and the one needing a rate is counted apart', async () => {
    const store = createBudgetStore(h.db, { budgets: 'Budgets', expenses: 'Expenses', users: 'Users' });
    const deps = { ...store, rates: createRateBook(createDynamoRateStore(h.db, 'Rates')) };
    const budget: BudgetItem = {
      user_id: 'user-a',
      budget_id: 'ALL-MONTHLY',
      name: 'Everything',
      category: null,
      period: 'MONTHLY',
      amount: 100000,
      currency: 'EUR',
      thresholds: [50, 80, 100],
      rollover: false,
      version: 1,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
    };
    const status = await budgetStatusOn(deps, 'user-a', budget, '2026-11-30', 'UTC');
    // 800 (USD) + 625 (JPY) + 250 (IDR) + 4200 (EUR); the XOF one waits for a rate.
    expect(status).toMatchObject({ spent: 5875, unconvertedCount: 1, excludedCount: 1 });

    const set = await h.call('Mutation', 'setExchangeRate', {
      input: { currency: 'XOF', rate: '655.957', from: '2026-01-01' },
    });
    expect(set.errors).toEqual([]);
    expect(set.data).toEqual({ currency: 'XOF', base: 'EUR', rate: '655.957', from: '2026-01-01' });
    // The stored expense was converted again (RatesFn, asynchronously on AWS; awaited by the harness).
    expect((await read(ids.xof)).converted).toEqual({
      amount: 10000, // 65596 / 655.957 = 100.0004573… EUR → 10000 cents
      currency: 'EUR',
      rate: '0.001524490172',
      rateDate: '2026-01-01',
      source: 'USER',
      stale: false,
    });
    expect((await read(ids.xof)).needsRate).toBe(false);
    const after = await budgetStatusOn(
      { ...store, rates: createRateBook(createDynamoRateStore(h.db, 'Rates')) },
      'user-a',
      budget,
      '2026-11-30',
      'UTC',
    );
    expect(after).toMatchObject({ spent: 15875, unconvertedCount: 0 });
  });

  it('given another user, then the rate one user set is not theirs', async () => {
    const out = await create({ amount: 65596, currency: 'XOF', date: '2026-11-20' }, 'user-b');
    expect(out.data).toMatchObject({ needsRate: true, converted: null });
  });

  it('given a new home currency, then every expense is converted again into it at the rate of its own day', async () => {
    const out = await h.call('Mutation', 'updateProfile', { input: { homeCurrency: 'USD' } });
    expect(out.errors).toEqual([]);
    expect((await read(ids.usd)).converted).toMatchObject({ amount: 1000, currency: 'USD', rate: '1', source: 'SAME' });
    // 1000 JPY × 1.25 / 160 = 781.25 US cents → 781 (half to even); Friday's rates.
    expect((await read(ids.jpy)).converted).toMatchObject({
      amount: 781,
      currency: 'USD',
      rate: '0.0078125',
      rateDate: '2026-11-20',
    });
    // The user's XOF rate was set against EUR: crossed through the euro, 65596 XOF → 100.0004573 EUR → 125.00 USD.
    expect((await read(ids.xof)).converted).toMatchObject({ amount: 12500, currency: 'USD', source: 'USER' });
  });

  it('given a rate for the home currency itself, or one that is not a positive decimal, then ValidationError', async () => {
    for (const [input, field] of [
      [{ currency: 'USD', rate: '1.5' }, 'currency'],
      [{ currency: 'XAF', rate: '0' }, 'rate'],
      [{ currency: 'XAF', rate: '-3' }, 'rate'],
      [{ currency: 'XAF', rate: '1e3' }, 'rate'],
      [{ currency: 'XAF', rate: '1.2.3' }, 'rate'],
      [{ currency: 'XYZ', rate: '2' }, 'currency'],
    ] as const) {
      const out = await h.call('Mutation', 'setExchangeRate', { input });
      expect(out.errors, JSON.stringify(input)).toEqual([
        expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field }) }),
      ]);
    }
  });
});
