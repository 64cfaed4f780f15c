/**
 * A well-known brand at the head of a merchant name, mended when the recognizer misread one of its
 * letters: "Medla Markt" → "Media Markt", "Koufland" → "Kaufland". The brands are the brand index's
 * (OpenStreetMap's name-suggestion-index, which categorization uses too), so this holds for chains
 * in every country, not for one set of receipts. Only one slip (a look-alike letter, or a letter
 * lost inside a long name: name-words.ts), only where exactly one brand is that close, only a
 * name that names no brand as read, and only letters a–z and digits: other scripts stay as read.
 */
import { brandIndex } from '../shared/categorize/core.ts';
import type { BrandIndex } from '../shared/categorize/brand-index.ts';
import { coreUnitsOf, keyOfUnits } from '../shared/categorize/brand-names.ts';
import { isListedWord, oneSlipFrom } from './name-words.ts';

/** Shorter brands are left alone: too many names are one letter from a short one ("PAGOH", a town, from "Pogoh"). */
const MIN_BRAND_LETTERS = 6;
/** A brand is looked for in the name's first words, up to this many (a receipt prints its brand first). */
const MAX_BRAND_WORDS = 3;

const WORD = /[A-Za-z0-9]+/g;

interface Word {
  text: string;
  at: number;
}

/**
 * The name with `key`'s one slip to `brand` put right in the printed words, in their case; as
 * read when the word it is in is a word as printed ("TOKYO" is no misread "Tokyu").
 */
function withSlipMended(name: string, words: Word[], key: string, brand: string): string {
  let i = 0;
  while (i < key.length && key[i] === brand[i]) i++;
  // The slip's place in the printed words: the i-th letter of the words joined.
  let word = 0;
  let offset = i;
  while (word < words.length - 1 && offset >= words[word].text.length) offset -= words[word++].text.length;
  const { text, at } = words[word];
  if (isListedWord(text)) return name;
  const capitals = text === text.toUpperCase() || (offset === 0 && /^[A-Z]/.test(text));
  const letter = capitals ? brand[i].toUpperCase() : brand[i];
  const replaced = brand.length === key.length ? 1 : 0;
  // A letter lost where OCR read a space ("R SSMANN"): the space was that letter.
  if (!replaced && offset === 0 && word > 0 && name[at - 1] === ' ')
    return name.slice(0, at - 1) + letter + name.slice(at);
  return name.slice(0, at + offset) + letter + name.slice(at + offset + replaced);
}

export function mendedBrand(name: string, brands: BrandIndex = brandIndex()): string {
  if (brands.match(name)) return name;
  const words: Word[] = [...name.matchAll(WORD)].map((m) => ({ text: m[0], at: m.index }));
  const wholeKey = keyOfUnits(coreUnitsOf(name));
  for (let count = Math.min(MAX_BRAND_WORDS, words.length); count >= 1; count--) {
    const head = words.slice(0, count);
    // One name: words apart by a space or a hyphen only, nothing before them but punctuation.
    if (/[\p{L}\p{N}]/u.test(name.slice(0, head[0].at))) return name;
    const apart = head.slice(1).map((w, k) => name.slice(head[k].at + head[k].text.length, w.at));
    if (apart.some((gap) => !/^[ -]$/.test(gap))) continue;
    const key = head.map((w) => w.text.toLowerCase()).join('');
    if (key.length < MIN_BRAND_LETTERS) continue;
    const near = new Set<string>();
    for (const edited of oneSlipFrom(key)) if (brands.names(edited, key === wholeKey, count)) near.add(edited);
    if (near.size === 1) return withSlipMended(name, head, key, [...near][0]);
    if (near.size > 1) return name;
  }
  return name;
}
