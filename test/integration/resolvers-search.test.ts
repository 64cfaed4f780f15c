import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termPartitionOf } from '../../functions/shared/search/terms.ts';
import { searchPartitionsOf } from '../../model/search.ts';
import { givenProfile, startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/**
 * searchExpenses through the resolvers on dynalite, with the index kept by the expense
 * pipelines (SearchFn): what a user finds after creating, editing and deleting expenses.
 */
let h: ResolverHarness;

type Page = {
  items: Array<{ id: string; merchant: string; amount: number; tags: string[] }>;
  nextToken: string | null;
};

async function create(input: Record<string, unknown>, sub = 'user-a'): Promise<{ id: string; version: number }> {
  const out = await h.call(
    'Mutation',
    'createExpense',
    { input: { amount: 1000, date: '2026-11-20', category: 'OTHER', ...input } },
    { sub },
  );
  expect(out.errors).toEqual([]);
  return out.data as { id: string; version: number };
}

async function search(args: Record<string, unknown>, sub = 'user-a') {
  const out = await h.call('Query', 'searchExpenses', args, { sub });
  return { errors: out.errors, page: out.data as Page };
}

/** The index entries of one term prefix of a user's, straight from SearchTerms. */
async function entriesOf(sub: string, term: string) {
  const out = await h.db.send(
    new QueryCommand({
      TableName: 'SearchTerms',
      KeyConditionExpression: 'term_key = :k AND begins_with(entry, :term)',
      ExpressionAttributeValues: { ':k': termPartitionOf(sub, term), ':term': `${term}#` },
    }),
  );
  return out.Items ?? [];
}

async function merchantsFound(args: Record<string, unknown>, sub = 'user-a'): Promise<string[]> {
  const { errors, page } = await search(args, sub);
  expect(errors).toEqual([]);
  return page.items.map((item) => item.merchant);
}

beforeAll(async () => {
  h = await startResolverHarness();
  for (const sub of ['user-a', 'user-b']) await givenProfile(h.db, sub);
  await create({ merchant: 'Hardware Store Köln', amount: 4599, date: '2026-03-14', note: 'Screws and a drill bit' });
  await create({ merchant: 'Corner Café', amount: 450, date: '2026-03-15', note: 'Flat white' });
  await create({ merchant: 'Hardwood Floors Ltd', amount: 120000, date: '2026-02-01' });
  await create({ merchant: '東京駅 売店', amount: 800, currency: 'JPY', date: '2026-04-02' });
  await create({
    merchant: 'City Parking',
    amount: 300,
    date: '2026-04-03',
    tags: ['Work Trip', 'work trip', 'Paris'],
  });
});

afterAll(async () => {
  await h?.stop();
});

describe('searchExpenses', () => {
  it('given a word prefix, when searched, then every expense with a word starting with it is found, newest first', async () => {
    expect(await merchantsFound({ text: 'hard' })).toEqual(['Hardware Store Köln', 'Hardwood Floors Ltd']);
    expect(await merchantsFound({ text: 'HARDWARE' })).toEqual(['Hardware Store Köln']);
  });

  it('given accents and case, when searched either way, then they are ignored', async () => {
    expect(await merchantsFound({ text: 'cafe' })).toEqual(['Corner Café']);
    expect(await merchantsFound({ text: 'koln' })).toEqual(['Hardware Store Köln']);
    expect(await merchantsFound({ text: 'KÖLN' })).toEqual(['Hardware Store Köln']);
  });

  it('given several words, when searched, then only expenses having all of them are found (note and merchant alike)', async () => {
    expect(await merchantsFound({ text: 'hard drill' })).toEqual(['Hardware Store Köln']);
    expect(await merchantsFound({ text: 'hard coffee' })).toEqual([]);
    expect(await merchantsFound({ text: 'flat' })).toEqual(['Corner Café']);
  });

  it('given a CJK merchant, when searched by a run inside it, then it is found', async () => {
    expect(await merchantsFound({ text: '京駅' })).toEqual(['東京駅 売店']);
    expect(await merchantsFound({ text: '東京' })).toEqual(['東京駅 売店']);
  });

  it('given tags, when created, then they are stored normalised, listed on the expense and searchable', async () => {
    const { page } = await search({ text: 'work trip' });
    expect(page.items).toEqual([expect.objectContaining({ merchant: 'City Parking', tags: ['work trip', 'paris'] })]);
    expect(await merchantsFound({ text: 'par' })).toEqual(['City Parking']);
  });

  it('given an amount range, when searched with or without words, then only amounts inside it (inclusive) are found', async () => {
    expect(await merchantsFound({ minAmount: 450, maxAmount: 4599 })).toEqual([
      'Corner Café',
      '東京駅 売店',
      'Hardware Store Köln',
    ]);
    expect(await merchantsFound({ text: 'hard', minAmount: 100000 })).toEqual(['Hardwood Floors Ltd']);
    expect(await merchantsFound({ text: 'hard', maxAmount: 5000 })).toEqual(['Hardware Store Köln']);
  });

  it('given another user, when they search for user-a’s words or amounts, then they find nothing', async () => {
    expect(await merchantsFound({ text: 'hardware' }, 'user-b')).toEqual([]);
    expect(await merchantsFound({ minAmount: 1 }, 'user-b')).toEqual([]);
    // user-a's page token in user-b's hands is refused like a made-up one; so is one of another search.
    const first = await search({ text: 'hard', limit: 1 });
    expect(first.page.nextToken).toBeTruthy();
    for (const [args, sub] of [
      [{ text: 'hard', nextToken: first.page.nextToken }, 'user-b'],
      [{ text: 'hardware', nextToken: first.page.nextToken }, 'user-a'],
    ] as const) {
      const { errors } = await search(args, sub);
      expect(errors).toEqual([
        expect.objectContaining({
          errorType: 'ValidationError',
          errorInfo: expect.objectContaining({ field: 'nextToken' }),
        }),
      ]);
    }
  });

  it('given more matches than a page, when followed by nextToken, then every match comes once, in order', async () => {
    const seen: string[] = [];
    let nextToken: string | null = null;
    do {
      const { errors, page }: { errors: unknown; page: Page } = await search({ text: 'hard', limit: 1, nextToken });
      expect(errors).toEqual([]);
      seen.push(...page.items.map((item) => item.merchant));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(['Hardware Store Köln', 'Hardwood Floors Ltd']);
    const amounts: string[] = [];
    nextToken = null;
    do {
      const { page }: { page: Page } = await search({ minAmount: 1, limit: 2, nextToken });
      amounts.push(...page.items.map((item) => item.merchant));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(amounts).toEqual([
      'City Parking',
      'Corner Café',
      '東京駅 売店',
      'Hardware Store Köln',
      'Hardwood Floors Ltd',
    ]);
  });

  it('given an edited expense, when searched, then its old words no longer find it and its new ones do', async () => {
    const expense = await create({ merchant: 'Bakery Sunrise', note: 'croissants', date: '2026-05-01' });
    expect(await merchantsFound({ text: 'croiss' })).toEqual(['Bakery Sunrise']);
    const out = await h.call('Mutation', 'updateExpense', {
      input: {
        id: expense.id,
        expectedVersion: 1,
        merchant: 'Moonlight Bakery',
        note: 'baguette',
        tags: ['breakfast'],
      },
    });
    expect(out.errors).toEqual([]);
    expect(await merchantsFound({ text: 'croiss' })).toEqual([]);
    expect(await merchantsFound({ text: 'sunrise' })).toEqual([]);
    expect(await merchantsFound({ text: 'moon bag' })).toEqual(['Moonlight Bakery']);
    expect(await merchantsFound({ text: 'breakf' })).toEqual(['Moonlight Bakery']);
    // The index holds no entry for the old words at all, not merely hidden ones.
    expect(await entriesOf('user-a', 'croiss')).toEqual([]);
    expect(await entriesOf('user-a', 'baguet')).toEqual([expect.objectContaining({ expense_id: expense.id })]);
  });

  it('given a deleted expense, when searched, then it is not found and its entries are gone', async () => {
    const expense = await create({ merchant: 'Zeppelin Rides', amount: 777777 });
    expect(await merchantsFound({ text: 'zepp' })).toEqual(['Zeppelin Rides']);
    const out = await h.call('Mutation', 'deleteExpense', { id: expense.id });
    expect(out.errors).toEqual([]);
    expect(await merchantsFound({ text: 'zepp' })).toEqual([]);
    expect(await merchantsFound({ minAmount: 777777, maxAmount: 777777 })).toEqual([]);
    expect(await entriesOf('user-a', 'zepp')).toEqual([]);
    // Not one entry of the expense is left in any of the user's partitions.
    for (const partition of searchPartitionsOf('user-a')) {
      const out = await h.db.send(
        new QueryCommand({
          TableName: 'SearchTerms',
          KeyConditionExpression: 'term_key = :k',
          ExpressionAttributeValues: { ':k': partition },
        }),
      );
      expect((out.Items ?? []).filter((item) => item.expense_id === expense.id)).toEqual([]);
    }
  });

  it('given a tagged expense edited then deleted, then its history records each change, tags included, and search follows each', async () => {
    const expense = await create({ merchant: 'Quayside Ferry', tags: ['travel'] });
    const tagged = await h.call('Mutation', 'updateExpense', {
      input: { id: expense.id, expectedVersion: 1, tags: ['Commute', 'travel'] },
    });
    expect(tagged.errors).toEqual([]);
    expect(await merchantsFound({ text: 'commute' })).toEqual(['Quayside Ferry']);
    expect((await h.call('Mutation', 'deleteExpense', { id: expense.id })).errors).toEqual([]);
    expect(await merchantsFound({ text: 'quayside' })).toEqual([]);

    const out = await h.call('Query', 'history', { itemId: expense.id });
    expect(out.errors).toEqual([]);
    const entries = (out.data as { items: Array<{ action: string; version: number; changes: unknown[] }> }).items;
    expect(entries.map((entry) => [entry.action, entry.version])).toEqual([
      ['CREATED', 1],
      ['UPDATED', 2],
      ['DELETED', 3],
    ]);
    // Values are AWSJSON.
    expect(entries[1].changes).toEqual([
      { field: 'tags', before: JSON.stringify(['travel']), after: JSON.stringify(['commute', 'travel']) },
    ]);
  });

  it.each([
    [{ text: 'a' }, 'text'],
    [{}, 'text'],
    [{ text: 'one two three four five six seven eight nine' }, 'text'],
    [{ minAmount: 10, maxAmount: 5 }, 'minAmount'],
    [{ minAmount: 1.5 }, 'minAmount'],
    [{ text: 'hard', limit: 0 }, 'limit'],
    [{ text: 'hard', nextToken: 'not-a-token' }, 'nextToken'],
  ])('given %j, when searched, then ValidationError names %s', async (args, field) => {
    const { errors } = await search(args);
    expect(errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field }) }),
    ]);
  });

  it('given invalid tags, when creating, then ValidationError names tags', async () => {
    const out = await h.call('Mutation', 'createExpense', {
      input: { merchant: 'X', amount: 100, date: '2026-11-20', tags: ['ok', ' '] },
    });
    expect(out.errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field: 'tags' }) }),
    ]);
  });
});
