import { distance } from 'fastest-levenshtein';
import { foldName } from '../shared/categorize/brand-names.ts';

/**
 * Which receipt is the purchase a statement line shows: the same amount in the same currency,
 * days within the window, and a merchant the line's text names. Pure. Each line takes at most
 * one receipt and each receipt at most one line; the best-scoring pairs are taken first.
 */
export interface DebitLine {
  index: number;
  date: string;
  /** Money out, positive integer minor units. */
  amount: number;
  currency: string;
  description: string;
}

export interface ReceiptCandidate {
  expenseId: string;
  receiptId: string;
  merchant: string;
  date: string;
  amount: number;
  currency: string;
}

export interface LineMatch {
  candidate: ReceiptCandidate;
  daysApart: number;
  similarity: number;
  reason: string;
}

export interface MatchOutcome {
  /** By line index. */
  matches: Map<number, LineMatch>;
  /** Why each candidate left unmatched was not taken, by expense id. */
  unmatched: Map<string, string>;
}

/** Below this a merchant is "unlike" the line's text, unless amount and day leave no doubt (see below). */
export const MIN_SIMILARITY = 0.5;

// Words card processors and banks put around the merchant's name.
const NOISE = new Set(
  'pos card payment purchase debit visa mastercard maestro contactless cnp paypal sq tst sumup zettle izettle to at on ref ec lastschrift kartenzahlung sepa ach online www com gmbh ltd inc llc sa sarl bv'.split(
    ' ',
  ),
);

function wordsOf(text: string): string[] {
  return foldName(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w.length >= 2 && !/^\d+$/.test(w) && !NOISE.has(w));
}

/**
 * 0..1: how well a statement line's text names a merchant. The share of the merchant's words found
 * in the text (glued or not: "SQ *BLUEBOTTLE" names "Blue Bottle Coffee" in part), or the
 * edit-distance likeness of the two squeezed names, whichever is higher.
 */
export function merchantSimilarity(merchant: string, description: string): number {
  const merchantWords = wordsOf(merchant);
  const lineWords = wordsOf(description);
  if (merchantWords.length === 0 || lineWords.length === 0) return 0;
  const squeezedLine = lineWords.join('');
  const found = merchantWords.filter((w) => lineWords.includes(w) || (w.length >= 4 && squeezedLine.includes(w)));
  const share = found.length / merchantWords.length;
  const a = merchantWords.join('');
  const b = squeezedLine.slice(0, a.length + 4);
  const likeness = 1 - distance(a, b) / Math.max(a.length, b.length);
  return Math.round(Math.max(share, likeness) * 100) / 100;
}

const DAY_MS = 86_400_000;
export function daysBetween(a: string, b: string): number {
  return Math.round(Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS);
}

function money(units: number, currency: string): string {
  return `${currency} ${units}`;
}

export function matchReceipts(lines: DebitLine[], candidates: ReceiptCandidate[], windowDays: number): MatchOutcome {
  type Pair = { line: DebitLine; candidate: ReceiptCandidate; daysApart: number; similarity: number; score: number };
  const pairs: Pair[] = [];
  const nearMisses = new Map<string, string>();
  for (const candidate of candidates) {
    const sameMoney = lines.filter((l) => l.amount === candidate.amount && l.currency === candidate.currency);
    const inWindow = sameMoney.filter((l) => daysBetween(l.date, candidate.date) <= windowDays);
    if (sameMoney.length === 0) {
      nearMisses.set(
        candidate.expenseId,
        `no statement line of ${money(candidate.amount, candidate.currency)} (minor units)`,
      );
      continue;
    }
    if (inWindow.length === 0) {
      nearMisses.set(
        candidate.expenseId,
        `lines of the same amount are more than ${windowDays} days from the receipt's date ${candidate.date}`,
      );
      continue;
    }
    for (const line of inWindow) {
      const similarity = merchantSimilarity(candidate.merchant, line.description);
      const daysApart = daysBetween(line.date, candidate.date);
      // A cryptic bank text ("POS 4821 CARD") may still be the purchase when amount, currency and day
      // agree and nothing else of that amount is near: one line and one receipt, the same day.
      const sole = inWindow.length === 1 && daysApart === 0;
      if (similarity < MIN_SIMILARITY && !sole) {
        nearMisses.set(
          candidate.expenseId,
          `line ${line.index} has the same amount ${daysApart} day(s) away, but "${line.description}" is unlike "${candidate.merchant}" (similarity ${similarity})`,
        );
        continue;
      }
      pairs.push({ line, candidate, daysApart, similarity, score: similarity - daysApart * 0.05 });
    }
  }
  pairs.sort(
    (x, y) =>
      y.score - x.score || x.line.index - y.line.index || (x.candidate.expenseId < y.candidate.expenseId ? -1 : 1),
  );
  const matches = new Map<number, LineMatch>();
  const taken = new Set<string>();
  for (const pair of pairs) {
    if (matches.has(pair.line.index)) {
      if (!taken.has(pair.candidate.expenseId))
        nearMisses.set(pair.candidate.expenseId, `line ${pair.line.index} matched another receipt better`);
      continue;
    }
    if (taken.has(pair.candidate.expenseId)) continue;
    taken.add(pair.candidate.expenseId);
    matches.set(pair.line.index, {
      candidate: pair.candidate,
      daysApart: pair.daysApart,
      similarity: pair.similarity,
      reason:
        `receipt ${pair.candidate.receiptId} (${pair.candidate.merchant}, ${pair.candidate.date}): same amount and currency, ` +
        `${pair.daysApart} day(s) apart, merchant similarity ${pair.similarity}` +
        (pair.similarity < MIN_SIMILARITY ? ' (the only purchase of that amount that day)' : ''),
    });
  }
  const unmatched = new Map<string, string>();
  for (const candidate of candidates) {
    if (taken.has(candidate.expenseId)) continue;
    unmatched.set(candidate.expenseId, nearMisses.get(candidate.expenseId) ?? 'no line matched it');
  }
  return { matches, unmatched };
}
