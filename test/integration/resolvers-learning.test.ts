import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLearnedCategoryReader } from '../../functions/shared/categorize/learned-categories.ts';
import { categoryDateOf } from '../../model/expenses.ts';
import { merchantKeyOf } from '../../model/merchant-key.ts';
import { statusKeyOf } from '../../model/receipts.ts';
import { startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/**
 * Learning from corrections (updateExpense through the local executor against dynalite): a
 * category the user sets is remembered under the merchant's new name and under the name the
 * OCR read, so the next receipt from that shop, read the same way, gets it.
 */
let h: ResolverHarness;
let learnedFor: (owner: string, merchant: string) => Promise<string | null>;
const NOW = '2026-11-20T10:00:00.000Z';

/** A receipt the OCR function processed, and the expense it made (as functions/process-receipt writes them). */
async function givenReceiptExpense(ocrMerchant: string | null, owner = 'user-a') {
  const id = ulid();
  await h.db.send(
    new PutCommand({
      TableName: 'Receipts',
      Item: {
        user_id: owner,
        receipt_id: id,
        status: 'PROCESSED',
        status_key: statusKeyOf('PROCESSED', id),
        s3Key: `receipts/${owner}/${id}.jpg`,
        contentType: 'image/jpeg',
        size: 1000,
        extraction: {
          merchant: ocrMerchant ? { value: ocrMerchant, confidence: 0.9 } : null,
          total: { amount: 32700, confidence: 0.97 },
          lineItems: [],
        },
        expenseId: id,
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
        merchant: ocrMerchant ?? 'Unknown merchant',
        amount: 32700,
        currency: 'MYR',
        date: '2026-11-19',
        category: 'OTHER',
        category_date: categoryDateOf('OTHER', '2026-11-19'),
        categorySource: 'RULES',
        categoryConfidence: 0,
        receiptId: id,
        needsReview: false,
        note: null,
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

beforeAll(async () => {
  h = await startResolverHarness();
  const reader = createLearnedCategoryReader(h.db, { merchants: 'Merchants', categories: 'Categories' }, merchantKeyOf);
  learnedFor = async (owner, merchant) => (await reader(owner, merchant))?.category ?? null;
  for (const sub of ['user-a', 'user-b']) {
    await h.db.send(
      new PutCommand({
        TableName: 'Users',
        Item: {
          user_id: sub,
          email: `${sub}@example.com`,
          homeCurrency: 'MYR',
          timezone: 'Asia/Kuala_Lumpur',
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

describe('learning from a corrected receipt', () => {
  it('given a receipt read as "SOON HUATMACHINERYENTERPRISE", when the user fixes the merchant and sets the category together, then both names learn it', async () => {
    const id = await givenReceiptExpense('SOON HUATMACHINERYENTERPRISE');
    const out = await update({ id, expectedVersion: 1, merchant: 'Soon Huat Machinery', category: 'HOUSEHOLD' });
    expect(out.errors).toEqual([]);
    expect(out.data).toMatchObject({
      merchant: 'Soon Huat Machinery',
      category: 'HOUSEHOLD',
      categorySource: 'USER',
      version: 2,
    });

    // The next receipt from that shop, read the same way: the OCR function's own lookup finds it.
    expect(await learnedFor('user-a', 'SOON HUATMACHINERYENTERPRISE')).toBe('HOUSEHOLD');
    // And an expense typed in under the corrected name.
    const typed = await h.call('Mutation', 'createExpense', {
      input: { merchant: 'SOON HUAT MACHINERY', amount: 100, date: '2026-11-20' },
    });
    expect(typed.data).toMatchObject({ category: 'HOUSEHOLD', categorySource: 'LEARNED' });
    // Another user learned nothing.
    expect(await learnedFor('user-b', 'SOON HUATMACHINERYENTERPRISE')).toBeNull();
  });

  it('given the merchant fixed first and the category set in a later change, then the name the OCR read still learns it', async () => {
    const id = await givenReceiptExpense('GARDENIA BAKERIES(KL)SDNBHD');
    await update({ id, expectedVersion: 1, merchant: 'Gardenia Bakeries' });
    const out = await update({ id, expectedVersion: 2, category: 'GROCERIES' });
    expect(out.data).toMatchObject({ merchant: 'Gardenia Bakeries', category: 'GROCERIES', version: 3 });
    expect(await learnedFor('user-a', 'GARDENIA BAKERIES(KL)SDNBHD')).toBe('GROCERIES');
    expect(await learnedFor('user-a', 'Gardenia Bakeries')).toBe('GROCERIES');
  });

  it('given a typed-in expense whose merchant and category change together, then its old name learns it too', async () => {
    const created = (
      await h.call('Mutation', 'createExpense', {
        input: { merchant: 'Kedai Ah Meng', amount: 900, date: '2026-11-20' },
      })
    ).data as { id: string };
    await update({ id: created.id, expectedVersion: 1, merchant: 'Ah Meng Hardware', category: 'HOUSEHOLD' });
    expect(await learnedFor('user-a', 'Kedai Ah Meng')).toBe('HOUSEHOLD');
    expect(await learnedFor('user-a', 'Ah Meng Hardware')).toBe('HOUSEHOLD');
  });

  it('given only the category changes on a receipt whose name was not corrected, then one merchant is learned, under that name', async () => {
    const id = await givenReceiptExpense('RESTORAN WAN SHENG');
    const mark = h.capacity.length;
    await update({ id, expectedVersion: 1, category: 'ENTERTAINMENT' });
    expect(await learnedFor('user-a', 'RESTORAN WAN SHENG')).toBe('ENTERTAINMENT');
    // One merchant learned, and the change's history entry.
    expect(h.capacity.slice(mark).filter((c) => c.operation === 'PutItem')).toHaveLength(2);
  });

  it('given a receipt the OCR read no merchant from, when the user names it and sets the category, then only the new name learns it ("Unknown merchant" does not)', async () => {
    const id = await givenReceiptExpense(null);
    await update({ id, expectedVersion: 1, merchant: 'Corner Kopitiam', category: 'DINING' });
    expect(await learnedFor('user-a', 'Corner Kopitiam')).toBe('DINING');
    const unknown = await h.db.send(
      new GetCommand({
        TableName: 'Merchants',
        Key: { user_id: 'user-a', merchant_key: merchantKeyOf('Unknown merchant') },
      }),
    );
    expect(unknown.Item).toBeUndefined();
  });

  it('given a change without a category, then nothing is learned and the receipt is not read', async () => {
    const id = await givenReceiptExpense('TASTE OF THE WORLD');
    const mark = h.capacity.length;
    await update({ id, expectedVersion: 1, merchant: 'Geoventure' });
    expect(await learnedFor('user-a', 'TASTE OF THE WORLD')).toBeNull();
    expect(await learnedFor('user-a', 'Geoventure')).toBeNull();
    // The expense read and written, then its history entry: no Merchants write, no receipt read.
    expect(h.capacity.slice(mark).map((c) => c.operation)).toEqual(['GetItem', 'UpdateItem', 'PutItem']);
  });
});

describe('learning a custom category', () => {
  type Filed = { id: string; category: string; categorySource: string; customCategoryId: string | null };
  const learnedFiling = (owner: string, merchant: string) =>
    createLearnedCategoryReader(
      h.db,
      { merchants: 'Merchants', categories: 'Categories' },
      merchantKeyOf,
    )(owner, merchant);
  const ok = async <T>(typeName: string, fieldName: string, args: Record<string, unknown>, sub = 'user-a') => {
    const out = await h.call(typeName, fieldName, args, { sub });
    expect(out.errors).toEqual([]);
    return out.data as T;
  };
  const category = (name: string, parent: string, sub = 'user-a') =>
    ok<{ id: string }>('Mutation', 'createCategory', { input: { name, colour: '#336699', parent } }, sub);
  const typedIn = (merchant: string, sub = 'user-a') =>
    ok<Filed & { version: number }>(
      'Mutation',
      'createExpense',
      { input: { merchant, amount: 450, date: '2026-11-20' } },
      sub,
    );
  /** The user files an expense from `merchant` under custom category `id` (a correction, as in the web app). */
  const fileUnder = async (merchant: string, id: string, sub = 'user-a') => {
    const first = await typedIn(merchant, sub);
    const out = await update({ id: first.id, expectedVersion: first.version, customCategoryId: id }, sub);
    expect(out.errors).toEqual([]);
    return out.data as Filed;
  };

  it('given a merchant filed under a custom category, when another expense from it is typed in without a category, then it is filed there, under its parent, as LEARNED', async () => {
    const hawker = await category('Hawker stalls', 'DINING');
    const filed = await fileUnder('Ah Seng Char Kway Teow', hawker.id);
    expect(filed).toMatchObject({ category: 'DINING', customCategoryId: hawker.id, categorySource: 'USER' });

    const next = await typedIn('AH SENG CHAR KWAY TEOW');
    expect(next).toMatchObject({ category: 'DINING', customCategoryId: hawker.id, categorySource: 'LEARNED' });
    const shown = await h.call('Expense', 'customCategory', {}, { sub: 'user-a', source: next });
    expect(shown.data).toMatchObject({ id: hawker.id, name: 'Hawker stalls' });
    // Another user typing the same merchant learns nothing of hers.
    expect(await typedIn('Ah Seng Char Kway Teow', 'user-b')).toMatchObject({ customCategoryId: null });
  });

  it('given a receipt read as "KEDAI KOPI SIN HENG", when the user renames it and files it under a custom category, then the name the OCR read learns the category too (what the OCR function reads)', async () => {
    const kopi = await category('Kopitiam', 'ENTERTAINMENT');
    const id = await givenReceiptExpense('KEDAI KOPI SIN HENG');
    const out = await update({ id, expectedVersion: 1, merchant: 'Sin Heng Kopitiam', customCategoryId: kopi.id });
    expect(out.errors).toEqual([]);
    expect(await learnedFiling('user-a', 'KEDAI KOPI SIN HENG')).toEqual({
      category: 'ENTERTAINMENT',
      customCategoryId: kopi.id,
    });
    expect(await typedIn('Sin Heng Kopitiam')).toMatchObject({ customCategoryId: kopi.id, category: 'ENTERTAINMENT' });
  });

  it('given the learned custom category merged into another, then new expenses from the merchant follow the merge target and its parent', async () => {
    const beans = await category('Coffee beans', 'GROCERIES');
    const coffee = await category('Coffee', 'DINING');
    await fileUnder('Bean Brothers', beans.id);
    await ok('Mutation', 'mergeCategory', { from: beans.id, into: coffee.id });
    expect(await typedIn('Bean Brothers')).toMatchObject({
      category: 'DINING',
      customCategoryId: coffee.id,
      categorySource: 'LEARNED',
    });
  });

  it('given the learned custom category deleted, then new expenses from the merchant fall back to its parent, with no custom category id', async () => {
    const tea = await category('Bubble tea', 'DINING');
    const parentChanged = await category('Stationery', 'EDUCATION');
    await fileUnder('Chatime Mid Valley', tea.id);
    await fileUnder('Popular Bookstore', parentChanged.id);
    await ok('Mutation', 'deleteCategory', { id: tea.id });
    expect(await typedIn('Chatime Mid Valley')).toMatchObject({
      category: 'DINING',
      customCategoryId: null,
      categorySource: 'LEARNED',
    });
    // A parent changed since the learning is the one followed.
    await ok('Mutation', 'updateCategory', { id: parentChanged.id, input: { parent: 'OFFICE' } });
    expect(await typedIn('Popular Bookstore')).toMatchObject({
      category: 'OFFICE',
      customCategoryId: parentChanged.id,
    });
  });

  it('given an expense taken out of its custom category (an empty customCategoryId), then the merchant learns the default category alone', async () => {
    const bakery = await category('Bakery', 'GROCERIES');
    const filed = await fileUnder('Tous Les Jours', bakery.id);
    const out = await update({ id: filed.id, expectedVersion: 2, customCategoryId: '' });
    expect(out.errors).toEqual([]);
    expect(await learnedFiling('user-a', 'Tous Les Jours')).toEqual({ category: 'GROCERIES', customCategoryId: null });
    expect(await typedIn('Tous Les Jours')).toMatchObject({ category: 'GROCERIES', customCategoryId: null });
  });
});
