import type { Category, CategorySource } from '../../generated/graphql.ts';
import { CATEGORY_KEYWORDS } from './keyword-rules.ts';

export interface CategoryChoice {
  category: Category;
  source: CategorySource;
  /** 0..1: how sure the choice is. */
  confidence: number;
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
  /** What the user chose before for this merchant (Merchants table), if anything. */
  learned?: Category | null;
  /** Comprehend entities of the merchant and receipt text, when Comprehend is configured. */
  entities?: readonly DetectedEntity[];
}

// Where a keyword is found weighs how much it says: the merchant's own name says most.
const MERCHANT_WEIGHT = 3;
const ENTITY_WEIGHT = 2;
const LINE_ITEM_WEIGHT = 1;
// Entity types whose text can name a kind of shop or goods.
const USEFUL_ENTITY_TYPES = new Set(['ORGANIZATION', 'COMMERCIAL_ITEM', 'LOCATION', 'OTHER']);
const MIN_ENTITY_SCORE = 0.5;

/** Lower case, punctuation (except & and ') to spaces, single spaces, padded for whole-word search. */
function wordsOf(text: string): string {
  const cleaned = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9&'.]+/g, ' ')
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

/** Keyword score per category for one text. */
function scoreText(text: string, weight: number, scores: Map<Category, number>): void {
  const haystack = wordsOf(text);
  const glued = haystack.split(' ').filter((w) => w.length >= GLUED_WORD);
  for (const [category, keywords] of NORMALIZED_KEYWORDS) {
    for (const keyword of keywords) {
      if (haystack.includes(keyword)) scores.set(category, (scores.get(category) ?? 0) + weight);
      else if (keyword.trim().length >= GLUED_KEYWORD && !keyword.trim().includes(' ') && glued.some((w) => w.includes(keyword.trim()))) {
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
 * Choose a category. What the user taught wins; then keyword rules over the merchant and
 * line items, with Comprehend's entities as extra evidence (the choice is credited to
 * COMPREHEND when the entities changed the outcome); OTHER when nothing matches.
 */
export function categorizeExpense(input: CategorizationInput, evidence: CategorizationEvidence = {}): CategoryChoice {
  if (evidence.learned) return { category: evidence.learned, source: 'LEARNED', confidence: 1 };

  const ruleScores = new Map<Category, number>();
  scoreText(input.merchant, MERCHANT_WEIGHT, ruleScores);
  for (const item of input.lineItems ?? []) scoreText(item, LINE_ITEM_WEIGHT, ruleScores);
  const byRules = bestOf(ruleScores);

  const entityTexts = (evidence.entities ?? []).filter(
    (e) => e.Text && USEFUL_ENTITY_TYPES.has(e.Type ?? '') && (e.Score ?? 0) >= MIN_ENTITY_SCORE,
  );
  if (entityTexts.length > 0) {
    const withEntities = new Map(ruleScores);
    for (const entity of entityTexts) scoreText(entity.Text!, ENTITY_WEIGHT * (entity.Score ?? 0), withEntities);
    const byEntities = bestOf(withEntities);
    if (byEntities && byEntities.category !== byRules?.category) {
      return { ...byEntities, source: 'COMPREHEND' };
    }
  }

  if (byRules) return { ...byRules, source: 'RULES' };
  return { category: 'OTHER', source: 'RULES', confidence: 0 };
}
