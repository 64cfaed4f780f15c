import type { ExpenseItem } from './expenses.ts';
import type { SplitIndexView } from './splits.ts';

/**
 * The per-user search index (table SearchTerms, functions/shared/search): one item per
 * (expense, term prefix), so "expenses with a word starting with X, newest first" is one Query:
 * partition `<user_id>#<shard>` (the shard a hash of the prefix, so one user's writes spread over
 * the TERM_SHARDS partitions), sort key `<prefix>#<date>#<expense_id>`, read between `<prefix>#` and
 * `<prefix>#<below>`. Amounts have their own partition per user, sorted by amount. Every
 * partition starts with the owner's id and there is a fixed, known set of them per user
 * (searchPartitionsOf), so account deletion reads and deletes exactly these (model/tables.ts).
 */
export type SearchTermItem = {
  /** Partition: `<user_id>#<shard>` (functions/shared/search/terms.ts termPartitionOf) or amountKeyOf(user). */
  term_key: string;
  /** Sort key: termEntryOf(prefix, date, expenseId), or amountEntryOf(amount, date, expenseId) in the amount partition. */
  entry: string;
  expense_id: string;
  /** The expense's amount (minor units of its own currency), so a text search narrows by amount without reading expenses. */
  amount: number;
};

/**
 * The shards a user's term entries are spread over (partitions `<user_id>#<shard>`, the shard
 * chosen by a hash of the prefix: functions/shared/search/terms.ts). Changing them moves every
 * entry: a re-index.
 */
export const TERM_SHARDS: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7'];

/** Prefixes are indexed from this many characters (CJK, Thai etc. from 1: a character is a word there)... */
export const MIN_PREFIX = 2;
/** ...up to this many; longer words and search terms are matched on their first MAX_PREFIX characters. */
export const MAX_PREFIX = 16;
/** A search names at most this many terms (each one Query stream in the intersection). */
export const MAX_SEARCH_TERMS = 8;
/** Line items (receipt descriptions) indexed per expense. */
export const MAX_INDEXED_LINE_ITEMS = 50;

/** `<prefix>#<date>#<expense_id>`: '#' never occurs in a normalised term, so `<prefix>#` starts exactly its entries. */
export function termEntryOf(prefix: string, date: string, expenseId: string): string {
  return `${prefix}#${entryOf(date, expenseId)}`;
}

/** The amount partition, beside the term shards. */
export function amountKeyOf(userId: string): string {
  return `${userId}##amount`;
}

/** Every partition of a user's in SearchTerms: the term shards and the amount partition (what account deletion reads). */
export function searchPartitionsOf(userId: string): string[] {
  const partitions: string[] = [];
  for (const shard of TERM_SHARDS) partitions.push(`${userId}#${shard}`);
  partitions.push(amountKeyOf(userId));
  return partitions;
}

/** An expense's position in a search: newest first, like listExpenses. */
export function entryOf(date: string, expenseId: string): string {
  return `${date}#${expenseId}`;
}

/** Amounts are below 2^53 (16 digits): zero-padded so string order is numeric order. */
export function paddedAmount(amount: number): string {
  const digits = `${amount}`;
  return '0000000000000000'.slice(digits.length) + digits;
}

export function amountEntryOf(amount: number, date: string, expenseId: string): string {
  return `${paddedAmount(amount)}#${date}#${expenseId}`;
}

/** The text of an expense that search reads: merchant, note, line items, tags. */
export type SearchableExpense = Pick<ExpenseItem, 'user_id' | 'expense_id' | 'merchant' | 'amount' | 'date'> &
  Partial<Pick<ExpenseItem, 'note' | 'lineItemText' | 'tags'>>;

/** To SearchFn (RequestResponse) from the expense pipelines after their write: the items before and after it. */
export type SearchIndexEvent = {
  action: 'indexExpense';
  owner: string;
  before: SearchableExpense | null;
  after: SearchableExpense | null;
  /** When the expense is or was split: the index entries of its part categories follow too (model/splits.ts). */
  splitIndex?: { before: SplitIndexView | null; after: SplitIndexView | null } | null;
  /** The mutation's request id: the index write logs under it. */
  correlationId?: string | null;
};
