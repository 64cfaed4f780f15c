// The typed-in expenses' categorizer as it was before the brand index (commit 4997d69, resolvers/lib/categorize.ts),
// kept unchanged as bench:categorize's baseline: keyword rules on the merchant's words.
import { CATEGORY_KEYWORDS } from './keyword-rules-4997d69.ts';

/**
 * The category of a typed-in expense without one: what the user taught for this merchant
 * wins (LEARNED), else the keyword rules of functions/categorize on the merchant's words
 * (RULES), else OTHER. The OCR function uses the full categorizer (line items, Comprehend);
 * this is its merchant-only part, written without regular expressions for APPSYNC_JS.
 */
const WORD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789&'";

function wordsOf(text: string): string {
  const spaced = text
    .toLowerCase()
    .split('')
    .map((c) => (WORD_CHARS.indexOf(c) >= 0 ? c : ' '))
    .join('');
  return ` ${spaced
    .split(' ')
    .filter((w) => w.length > 0)
    .join(' ')} `;
}

export function categoryOfMerchant(merchant: string, learned: string | null) {
  if (learned) return { category: learned, categorySource: 'LEARNED', categoryConfidence: 1 };
  const haystack = wordsOf(merchant);
  const hits = Object.keys(CATEGORY_KEYWORDS)
    .map((category) => ({
      category,
      score: (CATEGORY_KEYWORDS as unknown as Record<string, string[]>)[category].filter(
        (keyword) => haystack.indexOf(wordsOf(keyword)) >= 0,
      ).length,
    }))
    .filter((hit) => hit.score > 0);
  if (hits.length === 0) return { category: 'OTHER', categorySource: 'RULES', categoryConfidence: 0 };
  const best = hits.reduce((a, b) => (b.score > a.score ? b : a));
  const total = hits.reduce((sum, hit) => sum + hit.score, 0);
  // The same damping as functions/categorize for merchant evidence (weight 3 per keyword).
  const confidence = (best.score / total) * Math.min(1, (best.score * 3) / 4) * 0.9;
  return { category: best.category, categorySource: 'RULES', categoryConfidence: Math.round(confidence * 100) / 100 };
}
