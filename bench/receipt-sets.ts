/**
 * The receipts bench:ocr reads, grouped in sets and split into what the reading rules were tuned
 * on and what they never saw, and how a prediction is scored against their ground truth.
 *
 * - SROIE (`../shared/data/receipts/sroie`, or SROIE_DIR): 156 Malaysian receipts numbered
 *   NNN. The rules were first tuned on the 52 whose number is 6 modulo 12 and then on the 52
 *   that are 3 modulo 12; the 52 that are 9 modulo 12 are held out (never looked at).
 * - Extra sets (OCR_BENCH_DATA, default `../data` beside the project): every folder with
 *   `<stem>.json` ground truth beside `<stem>.jpg|png`, and a `split.json` naming the tuned
 *   and held-out stems (without one, the whole set counts as held out). A
 *   `<stem>.textract-blocks.json` beside a receipt (Amazon Textract's own Blocks for it) is
 *   scored too, through the same parser, as Textract's lines would reach it on AWS.
 *
 * Scoring is `../shared/data/score_sroie.py`'s (SROIE task-3 style): strings trimmed,
 * whitespace collapsed, case ignored; lenient merchant also ignores everything but letters and
 * digits; totals as numbers; dates as calendar days. A set whose truth names no `company` but a
 * `brand` scores the merchant as "the name read contains the brand's letters".
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AnalyzeExpenseCommandOutput } from '@aws-sdk/client-textract';
import { parseAnalyzeExpense } from '../functions/ocr/parse-analyze-expense.ts';
import { decimalAmount } from '../functions/shared/money.ts';
import { PROJECT_ROOT } from '../local/stack.ts';

/** Where the benches read the sets: SROIE from ../shared/data, the extra sets from ../data (bench:extra-sets writes them). */
export const SROIE_DIR = process.env.SROIE_DIR ?? path.resolve(PROJECT_ROOT, '../shared/data/receipts/sroie');
export const EXTRA_SETS_DIR = process.env.OCR_BENCH_DATA ?? path.resolve(PROJECT_ROOT, '../data');

export type Split = 'tuned' | 'held-out';

export interface Truth {
  company?: string | null;
  brand?: string | null;
  date?: string | null;
  total?: string | number | null;
  currency?: string | null;
}

export interface ReceiptCase {
  set: string;
  split: Split;
  id: string;
  image: string;
  truth: Truth;
  /** Amazon Textract's Blocks for the same image, when the set ships them. */
  textractBlocks?: string;
}

export interface Prediction {
  merchant: string | null;
  date: string | null;
  total: string | null;
  currency: string | null;
}

/** The user the benches read receipts for: day-first dates, US dollars at home (nothing but the receipt says otherwise). */
export const BENCH_PROFILE = { dateOrder: 'DMY' as const, homeCurrency: 'USD' };

/** What the OCR function's parser makes of an AnalyzeExpense response, as the benches score it. */
export function predictionOf(response: AnalyzeExpenseCommandOutput): Prediction {
  const x = parseAnalyzeExpense(response, BENCH_PROFILE);
  const currency = x.currency?.value ?? null;
  return {
    merchant: x.merchant?.value ?? null,
    date: x.date?.value ?? null,
    total: x.total ? decimalAmount(x.total.amount, currency ?? 'USD') : null,
    currency,
  };
}

const IMAGE = /\.(jpe?g|png)$/i;

/** SROIE's number modulo 12 decides the split: 6 and 3 were tuned on, 9 is held out. */
export function sroieSplit(id: string): Split {
  return Number(id) % 12 === 9 ? 'held-out' : 'tuned';
}

export function sroieCases(dir: string): ReceiptCase[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((file) => {
      const id = file.replace(/\.jpg$/, '');
      const truth = JSON.parse(readFileSync(path.join(dir, `${id}.json`), 'utf8')) as Truth;
      return {
        set: 'sroie',
        split: sroieSplit(id),
        id,
        image: path.join(dir, file),
        truth: { currency: 'MYR', ...truth },
      };
    });
}

/** Every set folder under `root`: images with a `<stem>.json` truth beside them. */
export function extraSets(root: string): Array<{ name: string; cases: ReceiptCase[]; hasSplit: boolean }> {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => statSync(path.join(root, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = path.join(root, name);
      const splitFile = path.join(dir, 'split.json');
      const split = existsSync(splitFile)
        ? (JSON.parse(readFileSync(splitFile, 'utf8')) as Record<Split, string[]>)
        : null;
      const cases = readdirSync(dir)
        .filter((f) => IMAGE.test(f) && existsSync(path.join(dir, f.replace(IMAGE, '.json'))))
        .sort()
        .map((file): ReceiptCase => {
          const id = file.replace(IMAGE, '');
          const blocks = path.join(dir, `${id}.textract-blocks.json`);
          return {
            set: name,
            split: split?.tuned.includes(id) ? 'tuned' : 'held-out',
            id,
            image: path.join(dir, file),
            truth: JSON.parse(readFileSync(path.join(dir, `${id}.json`), 'utf8')) as Truth,
            ...(existsSync(blocks) ? { textractBlocks: blocks } : {}),
          };
        });
      return { name, cases, hasSplit: split !== null };
    })
    .filter((s) => s.cases.length > 0);
}

// --- scoring, as score_sroie.py does it ---

const norm = (s: unknown) =>
  s === null || s === undefined ? null : String(s).replace(/\s+/g, ' ').trim().toUpperCase() || null;
const lenient = (s: unknown) => norm(s)?.replace(/[^\p{L}\p{N}]/gu, '') || null;

function amountOf(value: unknown): number | null {
  let s = norm(value);
  if (!s) return null;
  s = s
    .replace(/^(RM|MYR|\$|EUR|€)\s*/, '')
    .replace(/\s*(RM|MYR|EUR|€)$/, '')
    .replace(/ /g, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(s)) return null;
  return Math.round(Number(s) * 1000);
}

const MONTHS: Record<string, number> = {
  JAN: 1, JANUARY: 1, FEB: 2, FEBRUARY: 2, MAR: 3, MARCH: 3, APR: 4, APRIL: 4, MAY: 5, JUN: 6, JUNE: 6,
  JUL: 7, JULY: 7, AUG: 8, AUGUST: 8, SEP: 9, SEPT: 9, SEPTEMBER: 9, OCT: 10, OCTOBER: 10, NOV: 11,
  NOVEMBER: 11, DEC: 12, DECEMBER: 12,
}; // prettier-ignore
const MON = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

function day(y: string | number, m: string | number, d: string | number): string | null {
  let year = Number(y);
  if (year < 100) year += 2000;
  const date = new Date(Date.UTC(year, Number(m) - 1, Number(d)));
  return date.getUTCDate() === Number(d) && date.getUTCMonth() === Number(m) - 1
    ? date.toISOString().slice(0, 10)
    : null;
}

/** A ground-truth date, read day-first as score_sroie.py reads it. */
function truthDate(value: unknown): string | null {
  const s = norm(value);
  if (!s) return null;
  let m = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/.exec(s);
  if (m) return day(m[1], m[2], m[3]);
  m = /(?<!\d)(\d{1,2})\s*[-/. ]\s*(\d{1,2})\s*[-/. ]\s*(\d{4}|\d{2})(?!\d)/.exec(s);
  if (m) return day(m[3], m[2], m[1]);
  m = new RegExp(String.raw`(?<!\d)(\d{1,2})\s*[-/. ]?\s*(${MON})\.?\s*[-/., ]?\s*(\d{4}|\d{2})(?!\d)`).exec(s);
  if (m) return day(m[3], MONTHS[m[2]], m[1]);
  m = new RegExp(
    String.raw`(?<![A-Z])(${MON})\.?\s*[-/ ]?\s*(\d{1,2})(?:ST|ND|RD|TH)?\s*[,/ -]\s*(\d{4}|\d{2})(?!\d)`,
  ).exec(s);
  if (m) return day(m[3], MONTHS[m[1]], m[2]);
  return null;
}

export interface Score {
  total: boolean;
  /** Null when the truth has no date (an ambiguous one a set left out). */
  date: boolean | null;
  /** Null when the truth names no merchant. */
  merchant: boolean | null;
  merchantLenient: boolean | null;
  currency: boolean | null;
}

export function scoreOne(prediction: Prediction | null, truth: Truth): Score {
  const p = prediction ?? { merchant: null, date: null, total: null, currency: null };
  const total = amountOf(p.total);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(p.date ?? '')
    ? day(...(p.date!.split('-') as [string, string, string]))
    : null;
  let merchant: boolean | null = null;
  let merchantLenient: boolean | null = null;
  if (truth.company) {
    merchant = norm(p.merchant) !== null && norm(p.merchant) === norm(truth.company);
    merchantLenient = lenient(p.merchant) !== null && lenient(p.merchant) === lenient(truth.company);
  } else if (truth.brand) {
    merchantLenient = (lenient(p.merchant) ?? '').includes(lenient(truth.brand)!);
  }
  return {
    total: total !== null && total === amountOf(truth.total),
    // A set whose truth has no date for a receipt (an ambiguous one left out) does not score it.
    date: truth.date ? date !== null && date === truthDate(truth.date) : null,
    merchant,
    merchantLenient,
    currency: truth.currency ? p.currency === truth.currency : null,
  };
}

/** Share of receipts right in each field ("n/a" where the truth has no such field). */
export function summarize(scores: Score[]) {
  const share = (key: keyof Score) => {
    const known = scores.filter((s) => s[key] !== null);
    return known.length ? known.filter((s) => s[key]).length / known.length : null;
  };
  return {
    n: scores.length,
    total: share('total'),
    date: share('date'),
    merchant: share('merchant'),
    merchantLenient: share('merchantLenient'),
    currency: share('currency'),
  };
}
