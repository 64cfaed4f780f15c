import {
  categoryEntriesOf,
  liveCategoryOf,
  resolvedCategoryOf,
  withPageCategory,
  type CategoriesItem,
  type WithPageCategory,
} from '../../model/categories.ts';
import type { ExpenseItem } from '../../model/expenses.ts';
import { FieldError } from '../shared/field-call.ts';
import { decodePageToken, encodePageToken, pageTag } from './page-tokens.ts';

/**
 * listExpenses(customCategoryId): the caller's expenses filed under one of their custom categories,
 * newest first, including those filed under categories merged into it (as `Expense.customCategory`
 * shows them). A merge rewrites no expense (model/categories.ts), so those keep the id they were
 * filed under: the list is the merge of one stream per category of the family (the category and
 * every one whose merges lead to it), each a Query of the sparse index custom-category-index
 * (customCategoryId, date). A page reads at most `limit` + 1 items of each stream: with no merges,
 * one Query of a page's items, as any list page.
 */
export interface CustomCategoryPorts {
  /** The owner's Categories item (null before their first category). */
  categories(owner: string): Promise<CategoriesItem | null>;
  /**
   * One Query page of custom-category-index for category `id`, newest first, days `from`..`to`,
   * after `startKey` (the index key of the last item taken, or null for the start).
   */
  streamPage(
    id: string,
    range: { from: string; to: string },
    limit: number,
    startKey: StreamKey | null,
  ): Promise<{ items: ExpenseItem[]; more: boolean }>;
}

/** An item's key in custom-category-index (its own and the table's), where a stream resumes. */
export type StreamKey = Pick<ExpenseItem, 'user_id' | 'expense_id' | 'date'> & { customCategoryId: string };

export type CustomCategoryListRequest = {
  customCategoryId: string;
  from?: string | null;
  to?: string | null;
  limit: number;
  nextToken?: string | null;
};

const FIRST_DAY = '0000-00-00';
const LAST_DAY = '9999-99-99';

/**
 * Where each stream of the family resumes (`k`, by category id: absent not started, null done), and a
 * tag of the caller, the list and the family (`s`): a token of another user or list, or from before
 * a merge changed the family, reads like a malformed one.
 */
type Cursor = { k: Record<string, StreamKey | null>; s: string };

const BAD_TOKEN = 'nextToken is not one this list returned';

function badToken(): never {
  throw new FieldError('ValidationError', BAD_TOKEN, { field: 'nextToken' });
}

/** The category and those merged into it (through any chain of merges), in id order. */
export function familyOf(item: CategoriesItem | null, id: string): string[] {
  return categoryEntriesOf(item)
    .filter((entry) => resolvedCategoryOf(item, entry.id)?.id === id)
    .map((entry) => entry.id)
    .sort();
}

function keyOf(expense: ExpenseItem): StreamKey {
  return {
    user_id: expense.user_id,
    expense_id: expense.expense_id,
    date: expense.date,
    customCategoryId: expense.customCategoryId as string,
  };
}

export async function listByCustomCategory(
  owner: string,
  request: CustomCategoryListRequest,
  ports: CustomCategoryPorts,
): Promise<{ items: WithPageCategory<ExpenseItem>[]; nextToken: string | null }> {
  const id = request.customCategoryId;
  const categories = await ports.categories(owner);
  // Merged, deleted or another user's: as a missing one.
  if (!liveCategoryOf(categories, id))
    throw new FieldError('NotFound', 'Category not found', { field: 'customCategoryId', id });
  const range = { from: request.from || FIRST_DAY, to: request.to || LAST_DAY };
  const family = familyOf(categories, id);
  const tag = pageTag(['listExpenses', owner, family, range.from, range.to]);
  const cursor: Cursor = request.nextToken
    ? decodePageToken<Cursor>(request.nextToken, tag, (c) => !!c.k && typeof c.k === 'object', BAD_TOKEN)
    : { k: {}, s: tag };

  // A key that is not where this owner's stream of that category stopped names nothing to resume from.
  for (const member of family) {
    const key = cursor.k[member];
    if (key === undefined || key === null) continue;
    const resumable =
      typeof key === 'object' &&
      key.customCategoryId === member &&
      key.user_id === owner &&
      typeof key.expense_id === 'string' &&
      typeof key.date === 'string';
    if (!resumable) badToken();
  }
  const live = family.filter((member) => cursor.k[member] !== null);
  // One item more than a page: a stream whose items end with the page is then known to be done,
  // so the last page is never followed by an empty one.
  const pages = await Promise.all(
    live.map((member) => ports.streamPage(member, range, request.limit + 1, cursor.k[member] ?? null)),
  );
  const streams = live.map((member, i) => ({ member, ...pages[i], taken: 0 }));
  const items: ExpenseItem[] = [];
  while (items.length < request.limit) {
    // The newest head; ties keep each stream's own order and go to the first stream.
    let next: (typeof streams)[number] | null = null;
    let blocked = false;
    for (const stream of streams) {
      const head = stream.items[stream.taken];
      if (!head) {
        // A stream whose read page is used up but that has more: what comes next is unknown.
        if (stream.more) blocked = true;
        continue;
      }
      if (!next || head.date > next.items[next.taken].date) next = stream;
    }
    if (!next || blocked) break;
    items.push(next.items[next.taken]);
    next.taken += 1;
  }
  const k: Record<string, StreamKey | null> = { ...cursor.k };
  for (const stream of streams) {
    if (stream.taken > 0) k[stream.member] = keyOf(stream.items[stream.taken - 1]);
    if (stream.taken === stream.items.length && !stream.more) k[stream.member] = null;
  }
  const done = family.every((member) => k[member] === null);
  return {
    // Each with its custom category (the family's target, or what it was merged into since) from the item read.
    items: items.map((expense) => withPageCategory(expense, categories)),
    nextToken: done ? null : encodePageToken({ k, s: tag } satisfies Cursor),
  };
}
