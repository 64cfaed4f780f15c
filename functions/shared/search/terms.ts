import {
  MAX_INDEXED_LINE_ITEMS,
  MAX_PREFIX,
  MIN_PREFIX,
  TERM_SHARDS,
  type SearchableExpense,
} from '../../../model/search.ts';

/** The shard of a term prefix: FNV-1a over its UTF-16 code units, so the same prefix always lands in the same one. */
export function termShardOf(prefix: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < prefix.length; i++) hash = Math.imul(hash ^ prefix.charCodeAt(i), 0x01000193);
  return TERM_SHARDS[(hash >>> 0) % TERM_SHARDS.length];
}

/** The partition holding a user's entries of a term prefix (model/search.ts). */
export function termPartitionOf(userId: string, prefix: string): string {
  return `${userId}#${termShardOf(prefix)}`;
}

// Scripts written without spaces between words: every character starts a word there, so
// "京駅" finds "東京駅" (each suffix is indexed, its prefixes from one character).
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_SEPARATORS = /[^\p{L}\p{N}]+/u;
const MARKS = /\p{M}+/gu;
// Unspaced runs longer than this are indexed from their first characters only (bounds the items per word).
const MAX_UNSPACED_SUFFIXES = 12;

/**
 * The words of a text as search compares them: compatibility-decomposed (ｶ → カ, ﬁ → fi), accents
 * and other combining marks dropped (é → e, ü → u), lower case in any script, split on anything
 * that is not a letter or a digit.
 */
export function wordsOf(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .normalize('NFC')
    .toLocaleLowerCase('und')
    .split(WORD_SEPARATORS)
    .filter((word) => word.length > 0);
}

const charsOf = (word: string) => Array.from(word);

/** The prefixes a word is found by: MIN_PREFIX..MAX_PREFIX characters (from 1 in unspaced scripts). */
function prefixesOf(word: string, into: Set<string>): void {
  const chars = charsOf(word);
  if (UNSPACED.test(word)) {
    for (let start = 0; start < Math.min(chars.length, MAX_UNSPACED_SUFFIXES); start++) {
      const rest = chars.slice(start, start + MAX_PREFIX);
      for (let end = 1; end <= rest.length; end++) into.add(rest.slice(0, end).join(''));
    }
    return;
  }
  const upTo = Math.min(chars.length, MAX_PREFIX);
  // A one-character word (a digit, "x") is still found by itself.
  for (let end = Math.min(MIN_PREFIX, upTo); end <= upTo; end++) into.add(chars.slice(0, end).join(''));
}

/** Every term prefix an expense is indexed under: its merchant, note, line items and tags. */
export function indexedPrefixesOf(expense: SearchableExpense): Set<string> {
  const prefixes = new Set<string>();
  const texts = [
    expense.merchant,
    expense.note,
    ...(expense.lineItemText ?? []).slice(0, MAX_INDEXED_LINE_ITEMS),
    ...(expense.tags ?? []),
  ];
  for (const text of texts) for (const word of wordsOf(text)) prefixesOf(word, prefixes);
  return prefixes;
}

/**
 * The terms a search text asks for, as index lookups: its words cut to MAX_PREFIX characters,
 * distinct. A word of one character outside the unspaced scripts is too broad to look up and is
 * reported, so the caller can refuse it.
 */
export function searchTermsOf(text: string | null | undefined): { terms: string[]; tooShort: string[] } {
  const terms = new Set<string>();
  const tooShort: string[] = [];
  for (const word of wordsOf(text)) {
    const chars = charsOf(word);
    if (chars.length < MIN_PREFIX && !UNSPACED.test(word) && !/^\p{N}$/u.test(word)) tooShort.push(word);
    else terms.add(chars.slice(0, MAX_PREFIX).join(''));
  }
  return { terms: [...terms], tooShort };
}
