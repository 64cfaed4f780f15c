import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  amountEntryOf,
  amountKeyOf,
  termEntryOf,
  type SearchableExpense,
  type SearchTermItem,
} from '../../../model/search.ts';
import { indexedPrefixesOf, termPartitionOf } from './terms.ts';

/** The SearchTerms items of one expense: one per term prefix, and one in the owner's amount partition. */
export function searchItemsOf(expense: SearchableExpense): SearchTermItem[] {
  const owner = expense.user_id;
  const common = { expense_id: expense.expense_id, amount: expense.amount };
  const items: SearchTermItem[] = [...indexedPrefixesOf(expense)].map((prefix) => ({
    term_key: termPartitionOf(owner, prefix),
    entry: termEntryOf(prefix, expense.date, expense.expense_id),
    ...common,
  }));
  items.push({
    term_key: amountKeyOf(owner),
    entry: amountEntryOf(expense.amount, expense.date, expense.expense_id),
    ...common,
  });
  return items;
}

const keyOf = (item: SearchTermItem) => `${item.term_key}\u0000${item.entry}`;

/** What changes in the index when an expense goes from `before` to `after` (null: absent). */
export function searchIndexChange(
  before: SearchableExpense | null,
  after: SearchableExpense | null,
): { put: SearchTermItem[]; remove: Array<Pick<SearchTermItem, 'term_key' | 'entry'>> } {
  const old = new Map((before ? searchItemsOf(before) : []).map((item) => [keyOf(item), item]));
  const next = after ? searchItemsOf(after) : [];
  const kept = new Set<string>();
  const put: SearchTermItem[] = [];
  for (const item of next) {
    const previous = old.get(keyOf(item));
    kept.add(keyOf(item));
    if (!previous || previous.amount !== item.amount) put.push(item);
  }
  const remove = [...old.values()]
    .filter((item) => !kept.has(keyOf(item)))
    .map(({ term_key, entry }) => ({ term_key, entry }));
  return { put, remove };
}

const BATCH = 25;
const MAX_ATTEMPTS = 8;

/**
 * Keeps the search index in step with one expense write: puts and deletes are idempotent, so a
 * retried or duplicated event writes the same index. Searches read expenses back by id, so an
 * entry left behind by a crash between the two writes is never answered (the expense is gone).
 */
export async function syncSearchIndex(
  db: DynamoDBDocumentClient,
  table: string,
  before: SearchableExpense | null,
  after: SearchableExpense | null,
): Promise<{ put: number; removed: number }> {
  const { put, remove } = searchIndexChange(before, after);
  const requests = [
    ...put.map((Item) => ({ PutRequest: { Item } })),
    ...remove.map((Key) => ({ DeleteRequest: { Key } })),
  ];
  for (let start = 0; start < requests.length; start += BATCH) {
    let pending: typeof requests = requests.slice(start, start + BATCH);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`SearchTerms: ${pending.length} writes still unprocessed`);
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
  return { put: put.length, removed: remove.length };
}
