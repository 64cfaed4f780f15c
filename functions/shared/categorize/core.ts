import type { Category, CategorySource } from '../../../generated/graphql.ts';
import type { LearnedFiling } from '../../../model/categories.ts';
import { CATEGORY_KEYWORDS } from '../../../model/category-keywords.ts';
import { BrandIndex } from './brand-index.ts';
import brandIndexData from './brand-index.json' with { type: 'json' };
import { foldName } from './brand-names.ts';

export interface CategoryChoice {
  category: Category;
  source: CategorySource;
  /** 0..1: how sure the choice is. */
  confidence: number;
  /** LEARNED only: the user's live custom category the merchant learned, whose parent is `category`. */
  customCategoryId?: string | null;
}

/** An entity as Comprehend DetectEntities returns it (only the fields used). */
export interface DetectedEntity {
  Type?: string;
  Text?: string;
  Score?: number;
}

export interface CategorizationInput {
  merchant: string;
  lineItems?: readonly string[];
  /** The receipt's text as read (OCR), when there is one: what Comprehend reads for entities. */
  rawText?: string | null;
}

/**
 * The text Comprehend's DetectEntities is asked about: the merchant first, then the receipt's
 * text as read (its shop name, items and the words around them are what name the kind of
 * shop), or the line items when there is no text. The detector bounds its length.
 */
export function entityTextOf(input: CategorizationInput): string {
  const body = input.rawText?.trim() ? input.rawText : (input.lineItems ?? []).join('\n');
  return [input.merchant, body].filter((part) => part && part.trim()).join('\n');
}

export interface CategorizationEvidence {
  /** What the user chose before for this merchant (Merchants table), if anything: a category, and the custom one within it. */
  learned?: LearnedFiling | null;
  /** Comprehend entities of the merchant and receipt text, when Comprehend is configured. */
  entities?: readonly DetectedEntity[];
}

let defaultBrands: BrandIndex | undefined;

/** The brand index of brand-index.json, built once per process (≈30k names, a few milliseconds). */
export function brandIndex(): BrandIndex {
  return (defaultBrands ??= new BrandIndex(brandIndexData));
}

// A brand that is the whole name is as sure as anything short of the user's word; one found
// inside a longer name a little less.
const WHOLE_BRAND_CONFIDENCE = 0.95;
const PART_BRAND_CONFIDENCE = 0.8;

// Where a keyword is found weighs how much it says: the merchant's own name says most.
const MERCHANT_WEIGHT = 3;
const ENTITY_WEIGHT = 2;
const LINE_ITEM_WEIGHT = 1;
// Entity types whose text can name a kind of shop or goods.
const USEFUL_ENTITY_TYPES = new Set(['ORGANIZATION', 'COMMERCIAL_ITEM', 'LOCATION', 'OTHER']);
const MIN_ENTITY_SCORE = 0.5;

/** Folded (case, accents, ß), punctuation (except & and .) to spaces, single spaces, padded for whole-word search. */
function wordsOf(text: string): string {
  const cleaned = foldName(text)
    .replace(/[^\p{L}\p{N}&+.]+/gu, ' ')
    .replace(/\.(?=\s|$)/g, ' ')
    .trim();
  return ` ${cleaned.replace(/\s+/g, ' ')} `;
}

const NORMALIZED_KEYWORDS: ReadonlyArray<[Category, string[]]> = Object.entries(CATEGORY_KEYWORDS).map(
  ([category, keywords]) => [category as Category, keywords.map((k) => wordsOf(k))],
);

// OCR often reads a printed name without its spaces ("KOPICORNERCAFE"): inside such a long
// run of letters, a keyword of 4+ letters counts too, at half weight (it may be a coincidence).
const GLUED_WORD = 12;
const GLUED_KEYWORD = 4;
// German and Dutch put the kind of thing last in a compound ("Vollmilch", "Stadtbäckerei",
// "Tuincentrum"): a word ending in a keyword of 5+ letters counts at half weight.
const COMPOUND_HEAD = 5;

/** Keyword score per category for one text. */
function scoreText(text: string, weight: number, scores: Map<Category, number>): void {
  const haystack = wordsOf(text);
  const words = haystack.split(' ').filter((w) => w.length > 0);
  const glued = words.filter((w) => w.length >= GLUED_WORD);
  for (const [category, keywords] of NORMALIZED_KEYWORDS) {
    for (const keyword of keywords) {
      const bare = keyword.trim();
      if (haystack.includes(keyword)) scores.set(category, (scores.get(category) ?? 0) + weight);
      else if (bare.includes(' ')) continue;
      else if (
        (bare.length >= GLUED_KEYWORD && glued.some((w) => w.includes(bare))) ||
        (bare.length >= COMPOUND_HEAD && words.some((w) => w.length > bare.length && w.endsWith(bare)))
      ) {
        scores.set(category, (scores.get(category) ?? 0) + weight / 2);
      }
    }
  }
}

function bestOf(scores: Map<Category, number>): { category: Category; confidence: number } | null {
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return null;
  const [category, top] = ranked[0];
  const total = ranked.reduce((sum, [, s]) => sum + s, 0);
  // Share of the evidence, damped when there is little of it.
  const confidence = (top / total) * Math.min(1, top / (MERCHANT_WEIGHT + 1)) * 0.9;
  return { category, confidence: Math.round(confidence * 100) / 100 };
}

/**
 * Choose a category, the strongest evidence first:
 * 1. what the user taught for this merchant (LEARNED), with the custom category they filed it under;
 * 2. the brand index: the merchant is, or begins with, a known brand (BRAND); a brand found
 *    inside a longer name gives way when the name's own words say otherwise ("Orange County
 *    Dental" is a dentist, not the phone company);
 * 3. keyword vocabularies over the merchant and line items (RULES);
 * 4. Comprehend's entities, when there are any (COMPREHEND);
 * else OTHER. Any name, in any script or none, gets an answer; nothing here throws.
 */
export function categorizeExpense(
  input: CategorizationInput,
  evidence: CategorizationEvidence = {},
  brands: BrandIndex = brandIndex(),
): CategoryChoice {
  const learned = evidence.learned;
  if (learned) {
    const custom = learned.customCategoryId ? { customCategoryId: learned.customCategoryId } : {};
    return { category: learned.category, source: 'LEARNED', confidence: 1, ...custom };
  }

  const merchantScores = new Map<Category, number>();
  scoreText(input.merchant, MERCHANT_WEIGHT, merchantScores);
  const brand = brands.match(input.merchant);
  if (brand?.whole) return { category: brand.category, source: 'BRAND', confidence: WHOLE_BRAND_CONFIDENCE };
  if (brand) {
    const byName = bestOf(merchantScores);
    if (!byName || byName.category === brand.category)
      return { category: brand.category, source: 'BRAND', confidence: PART_BRAND_CONFIDENCE };
  }

  const ruleScores = new Map(merchantScores);
  for (const item of input.lineItems ?? []) scoreText(item, LINE_ITEM_WEIGHT, ruleScores);
  const byRules = bestOf(ruleScores);
  if (byRules) return { ...byRules, source: 'RULES' };

  const entityScores = new Map<Category, number>();
  for (const entity of evidence.entities ?? []) {
    if (entity.Text && USEFUL_ENTITY_TYPES.has(entity.Type ?? '') && (entity.Score ?? 0) >= MIN_ENTITY_SCORE)
      scoreText(entity.Text, ENTITY_WEIGHT * (entity.Score ?? 0), entityScores);
  }
  const byEntities = bestOf(entityScores);
  if (byEntities) return { ...byEntities, source: 'COMPREHEND' };
  return { category: 'OTHER', source: 'RULES', confidence: 0 };
}

/** Where the evidence beyond the name comes from: the Merchants table and Comprehend. */
export interface CategorizerPorts {
  /** What the owner taught for this merchant; null when nothing (or the name has no key). */
  learned(owner: string, merchant: string): Promise<LearnedFiling | null>;
  /** Comprehend's entities of a text; [] when Comprehend is off or unavailable. */
  entities(text: string): Promise<DetectedEntity[]>;
}

/**
 * The categorizer typed-in and OCR'd expenses share (CategorizeFn, the OCR function): the
 * owner's corrections, then the brand index and keywords, and only when those find nothing,
 * Comprehend (a paid call).
 */
export async function categorizeFor(
  owner: string,
  input: CategorizationInput,
  ports: CategorizerPorts,
): Promise<CategoryChoice> {
  const learned = input.merchant.trim() ? await ports.learned(owner, input.merchant) : null;
  const choice = categorizeExpense(input, { learned });
  if (choice.category !== 'OTHER') return choice;
  const entities = await ports.entities(entityTextOf(input));
  return entities.length > 0 ? categorizeExpense(input, { learned, entities }) : choice;
}
