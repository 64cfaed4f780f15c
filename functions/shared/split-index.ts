import { BatchGetCommand, DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { categoryDateOf } from '../../model/expenses.ts';
import type { Category } from '../../generated/graphql.ts';
import {
  isSplitIndexItem,
  splitIndexCategoriesOf,
  splitIndexKeyOf,
  type SplitIndexItem,
  type SplitIndexView,
} from '../../model/splits.ts';
import { isConditionFailure } from './conditional-put.ts';

/**
 * Keeps a split expense's index entries (model/splits.ts) in step with one write of it: an entry
 * per part category other than its own, at its date. Each entry is one conditional single-item
 * write carrying the expense's version, so a retried, duplicated or late event never puts back an
 * older entry over a newer one; entries of categories it no longer has are deleted. Readers check
 * every entry against the expense itself, so one left behind by a crash only costs a key read.
 */
export async function syncSplitIndex(
  db: DynamoDBDocumentClient,
  table: string,
  owner: string,
  before: SplitIndexView | null,
  after: SplitIndexView | null,
): Promise<{ put: number; removed: number }> {
  const wanted = after ? splitIndexCategoriesOf(after) : [];
  const had = before ? splitIndexCategoriesOf(before) : [];
  const unchanged = (category: string) => !!before && !!after && had.includes(category) && before.date === after.date;
  const version = after ? after.version : (before?.version ?? 0) + 1;
  const outcome = { put: 0, removed: 0 };
  for (const category of wanted) {
    if (unchanged(category)) continue;
    const item: SplitIndexItem = {
      user_id: owner,
      expense_id: splitIndexKeyOf(after!.expense_id, category),
      category_date: categoryDateOf(category as Category, after!.date),
      split_of: after!.expense_id,
      version,
    };
    try {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(expense_id) OR version <= :v',
          ExpressionAttributeValues: { ':v': version },
        }),
      );
      outcome.put += 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  const expenseId = (after ?? before)?.expense_id;
  for (const category of had.filter((c) => !wanted.includes(c))) {
    try {
      await db.send(
        new DeleteCommand({
          TableName: table,
          Key: { user_id: owner, expense_id: splitIndexKeyOf(expenseId!, category) },
          ConditionExpression: 'attribute_not_exists(expense_id) OR version < :v',
          ExpressionAttributeValues: { ':v': version },
        }),
      );
      outcome.removed += 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  return outcome;
}

const BATCH_GET = 100;
const MAX_ATTEMPTS = 8;

/**
 * A page of user-category-index with its split index entries replaced by their expenses, read by
 * key (BatchGetItem, the owner's partition only, `projection` of the page's own attributes), and
 * the stale ones (the expense gone, or no longer with a part in that category on that day) left out.
 */
export async function withSplitExpenses<T extends { expense_id: string }>(
  db: DynamoDBDocumentClient,
  table: string,
  owner: string,
  page: Array<T | SplitIndexItem>,
  projection: { ProjectionExpression: string; ExpressionAttributeNames?: Record<string, string> },
): Promise<T[]> {
  const entries = page.filter((item): item is SplitIndexItem => isSplitIndexItem(item));
  if (entries.length === 0) return page as T[];
  const found = new Map<string, T & { date: string; category: string; splits?: SplitIndexView['splits'] }>();
  const ids = [...new Set(entries.map((e) => e.split_of))];
  for (let i = 0; i < ids.length; i += BATCH_GET) {
    let keys: Array<Record<string, unknown>> = ids
      .slice(i, i + BATCH_GET)
      .map((id) => ({ user_id: owner, expense_id: id }));
    for (let attempt = 1; keys.length > 0; attempt += 1) {
      if (attempt > MAX_ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed');
      const out = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ...projection } } }));
      for (const item of out.Responses?.[table] ?? []) found.set(item.expense_id as string, item as never);
      keys = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Array<Record<string, unknown>>;
    }
  }
  const expenses: T[] = [];
  for (const item of page) {
    if (!isSplitIndexItem(item)) {
      expenses.push(item as T);
      continue;
    }
    const entry = item as SplitIndexItem;
    const expense = found.get(entry.split_of);
    const current =
      expense &&
      splitIndexCategoriesOf(expense).some((c) => categoryDateOf(c as Category, expense.date) === entry.category_date);
    if (current) expenses.push(expense);
  }
  return expenses;
}
