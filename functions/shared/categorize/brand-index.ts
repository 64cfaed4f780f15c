import type { Category } from '../../../generated/graphql.ts';
import { coreUnitsOf, isUnspaced, keyOfUnits } from './brand-names.ts';

/**
 * The brand index: brand names (as keys, see brand-names.ts) by category, generated from the
 * OpenStreetMap name-suggestion-index and OpenFlights by `npm run brands` into
 * brand-index.json, which the Lambda bundles inline and the local stack imports alike.
 */
export interface BrandIndexData {
  /** Where the names come from, with versions and licences. */
  source: string;
  /** Newline-separated keys per category: compact, and quick to load. WHOLE_NAME_ONLY marks weak ones. */
  categories: Partial<Record<Category, string>>;
}

export interface BrandMatch {
  category: Category;
  /** The index key that matched. */
  key: string;
  /** The whole name is the brand (after company forms and store numbers), or the brand is part of it. */
  whole: boolean;
}

/** Before a key that names a merchant only as its whole name (an operator's or a network's name). */
export const WHOLE_NAME_ONLY = '=';

// A brand found inside a longer name must be this long (in characters of its key) to count:
// "REWE Markt", "Starbucks Coffee" yes; "BP" inside "BP Dental Lab" no. Unspaced scripts pack
// more into a character: "全家便利店" holds 全家 (FamilyMart) in two.
const MIN_PART_KEY = 4;
const MIN_PART_KEY_UNSPACED = 2;
// The longest brand found inside a name, in units (words, or characters of unspaced scripts).
const MAX_PART_UNITS = 8;

// Words some brand is named, but that inside a longer name are only words ("UNIHAKKA
// INTERNATIONAL SDN BHD" is no shop called International): found whole, they still match.
const ORDINARY_WORDS = new Set(
  (
    'international national global world city central metro express group general united royal golden star super ' +
    'smart best first prime premium grand plaza center centre market home family life style modern classic best ' +
    'quality direct online service services trading enterprise company holdings industries solutions store shop ' +
    'station corner street square park garden house village country island ocean river mountain sun moon'
  ).split(' '),
);

export class BrandIndex {
  private readonly byKey = new Map<string, Category>();
  private readonly wholeOnly = new Set<string>();

  constructor(data: BrandIndexData) {
    for (const [category, keys] of Object.entries(data.categories) as Array<[Category, string]>) {
      for (const entry of keys.split('\n')) {
        const key = entry.startsWith(WHOLE_NAME_ONLY) ? entry.slice(WHOLE_NAME_ONLY.length) : entry;
        if (!key) continue;
        this.byKey.set(key, category);
        if (key !== entry) this.wholeOnly.add(key);
      }
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * Whether a key (see brand-names.ts) names a brand where it stands in a merchant name of
   * `units` units: as the whole name (after company forms), any brand; as a part of a longer
   * name, only what match() finds inside one (no whole-name-only key, no ordinary word alone).
   */
  names(key: string, whole: boolean, units: number): boolean {
    if (!this.byKey.has(key)) return false;
    if (whole) return true;
    return key.length >= MIN_PART_KEY && !this.wholeOnly.has(key) && !(units === 1 && ORDINARY_WORDS.has(key));
  }

  /**
   * The brand a merchant name is, or contains. The whole name first; else the longest brand
   * inside it, the earliest of equals (a receipt prints the brand first: "REWE Markt Berlin",
   * "Tankstelle Aral" finds Aral too).
   */
  match(merchant: string): BrandMatch | null {
    const units = coreUnitsOf(merchant);
    if (units.length === 0) return null;
    const whole = this.byKey.get(keyOfUnits(units));
    if (whole) return { category: whole, key: keyOfUnits(units), whole: true };

    let best: { key: string; category: Category; start: number } | null = null;
    for (let start = 0; start < units.length; start++) {
      for (let end = Math.min(units.length, start + MAX_PART_UNITS); end > start; end--) {
        if (start === 0 && end === units.length) continue;
        const part = units.slice(start, end);
        const key = keyOfUnits(part);
        if (best && key.length <= best.key.length) break;
        const unspaced = part.every(isUnspaced);
        if (key.length < (unspaced ? MIN_PART_KEY_UNSPACED : MIN_PART_KEY)) break;
        const category = this.byKey.get(key);
        if (category && !this.wholeOnly.has(key) && !(part.length === 1 && ORDINARY_WORDS.has(key))) {
          best = { key, category, start };
          break;
        }
      }
    }
    return best && { category: best.category, key: best.key, whole: false };
  }
}
