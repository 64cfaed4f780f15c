/**
 * An English word list small enough to bundle: the forms of an openly licensed Hunspell
 * dictionary (`npm run words` expands them, local/cli/english-words.ts), packed per word length
 * as one sorted run of fixed-width words, so loading it builds nothing and a look-up is a
 * binary search (no Set of 100k strings built per cold start).
 */

/** The packed list: for each length, that length's words (lower case a–z) sorted and concatenated. */
export type PackedWords = Record<string, string>;

export interface WordListData {
  /** The dictionary and version the words come from. */
  source: string;
  /** Words the dictionary writes in small letters ("hardware"). */
  common: PackedWords;
  /** Words it writes only with a capital (names: "Malaysia", "Leon"), in small letters here. */
  proper: PackedWords;
}

/** Packs lower-case a–z words (others are left out) as `PackedWords`. */
export function packWords(words: Iterable<string>): PackedWords {
  const byLength = new Map<number, Set<string>>();
  for (const word of words) {
    if (!/^[a-z]+$/.test(word)) continue;
    byLength.set(word.length, (byLength.get(word.length) ?? new Set()).add(word));
  }
  return Object.fromEntries(
    [...byLength.keys()]
      .sort((a, b) => a - b)
      .map((length) => [String(length), [...byLength.get(length)!].sort().join('')]),
  );
}

/** Whether a packed list holds the word (lower case a–z). */
export function packedHas(packed: PackedWords, word: string): boolean {
  const run = packed[word.length];
  if (!run) return false;
  const width = word.length;
  let [low, high] = [0, run.length / width - 1];
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = run.slice(middle * width, middle * width + width);
    if (at === word) return true;
    if (at < word) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
