/**
 * `tsx bench/tesseract-compare.ts`: would Tesseract read receipts better than the local engine
 * (PaddleOCR v4, local/ocr-engine.ts), as a whole engine or as a second reader of the
 * merchant's row? A measurement, not part of the app: Tesseract is no dependency of the
 * project. Install it beside this script first (exact pins; npm packages only, nothing is
 * downloaded when it runs; it reads with the network cut off, `unshare -n`):
 *
 *   npm install --prefix bench/tesseract-deps --save-exact tesseract.js@7.0.0 @tesseract.js-data/eng@1.0.0
 *
 * It reads the TUNED receipts only (bench/receipt-sets.ts; held-out ones are never opened) with
 * tesseract.js (one worker, its WebAssembly core from tesseract.js-core, the English LSTM
 * model `4.0.0_best_int` from @tesseract.js-data/eng), turns its lines into TextLines and them
 * into a prediction through the same path as bench:ocr (analyzeExpenseResponse → the parser),
 * and scores it beside the local engine's lines cached by bench:ocr (OCR_CACHE).
 *
 * Second reader: the row the layout rules pick as the merchant on the local engine's lines,
 * read again from Tesseract's lines that overlap it, each reading scored against the truth's
 * company; and a combined reading of that row (combinedName) sent through the parser.
 *
 * Environment: OCR_CACHE (the local engine's lines, default /work/ocr-cache2); TESS_CACHE
 * (Tesseract's lines per receipt, kept and reused; default /work/ocr-cache-tess); TESS_PSM
 * (page segmentation mode, default 6: better totals and dates than 4); TESS_SETS (default
 * sroie,sroie-fresh,sroie-more,softmatic-de); TESS_SCALE (enlarge pages narrower than this many
 * pixels to it first; default 0, as they are: 1000 read no better); TESS_SURE (SURE below);
 * TESS_DEPS (where Tesseract is installed, default bench/tesseract-deps); SROIE_DIR and
 * OCR_BENCH_DATA (as bench:ocr); BENCH_RECEIPTS (at most this many per set); TESS_DETAILS=1
 * (list the merchant rows the readers differ on, and the merchants the combination changed).
 */
import '../local/sdk-warnings.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AnalyzeExpenseCommandOutput } from '@aws-sdk/client-textract';
import sharp from 'sharp';
import { readLayout, type Row, type TextLine } from '../functions/ocr/layout-rules.ts';
import { isListedWord } from '../functions/ocr/name-words.ts';
import { distance } from 'fastest-levenshtein';
import { currencyOf } from '../functions/ocr/currency-evidence.ts';
import { PROJECT_ROOT } from '../local/stack.ts';
import { analyzeExpenseResponse } from '../local/textract.ts';
import {
  extraSets,
  predictionOf,
  scoreOne,
  sroieCases,
  summarize,
  type Prediction,
  type ReceiptCase,
  SROIE_DIR,
  EXTRA_SETS_DIR,
} from './receipt-sets.ts';

const PADDLE_CACHE = process.env.OCR_CACHE ?? '/work/ocr-cache2';
const TESS_CACHE = process.env.TESS_CACHE ?? '/work/ocr-cache-tess';
const PSM = process.env.TESS_PSM ?? '6';
const MIN_WIDTH = Number(process.env.TESS_SCALE ?? 0);
const DEPS = process.env.TESS_DEPS ?? path.join(PROJECT_ROOT, 'bench/tesseract-deps');
const LIMIT = Number(process.env.BENCH_RECEIPTS ?? 100_000);
const DETAILS = process.env.TESS_DETAILS === '1';
const SETS = (process.env.TESS_SETS ?? 'sroie,sroie-fresh,sroie-more,softmatic-de').split(',');
// Receipts carry no date of reading; a fixed day keeps the layout rules' "not in the future" checks stable.
const TODAY = new Date('2026-12-01T00:00:00Z');

// --- the receipts: tuned splits only ---

const cases: ReceiptCase[] = [
  ...sroieCases(SROIE_DIR)
    .filter((c) => c.split === 'tuned')
    .slice(0, LIMIT),
  ...extraSets(EXTRA_SETS_DIR)
    .filter((s) => s.hasSplit)
    .flatMap((s) => s.cases.filter((c) => c.split === 'tuned').slice(0, LIMIT)),
].filter((c) => SETS.includes(c.set) && existsSync(path.join(PADDLE_CACHE, c.set, `${c.id}.lines.json`)));

// --- Tesseract, from the packages beside this script ---

interface TessBbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface TessWord {
  text: string;
  confidence: number;
  bbox: TessBbox;
}
interface TessLine extends TessWord {
  words: TessWord[];
}
interface TessWorker {
  setParameters(params: Record<string, string>): Promise<unknown>;
  recognize(
    image: Buffer,
    options: object,
    output: { blocks: boolean; text: boolean },
  ): Promise<{ data: { blocks: Array<{ paragraphs: Array<{ lines: TessLine[] }> }> | null } }>;
  terminate(): Promise<unknown>;
}

// Started on the first receipt not in TESS_CACHE.
const engine: { worker: TessWorker | null } = { worker: null };
async function tesseract(): Promise<TessWorker> {
  if (engine.worker) return engine.worker;
  const require = createRequire(path.join(DEPS, 'package.json'));
  const { createWorker, OEM } = require('tesseract.js') as {
    createWorker(lang: string, oem: number, options: object): Promise<TessWorker>;
    OEM: Record<string, number>;
  };
  // In Node the core is required from tesseract.js-core (corePath is for browsers); the model is
  // read from the data package's folder (a path, not a URL, so no fetch), and not copied to a cache.
  const langPath = path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
  const worker = await createWorker('eng', OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: 'none' });
  await worker.setParameters({ tessedit_pageseg_mode: PSM, preserve_interword_spaces: '1' });
  engine.worker = worker;
  return worker;
}

const tessFile = (c: ReceiptCase) => path.join(TESS_CACHE, c.set, `${c.id}.lines.json`);

interface TessReading {
  lines: TextLine[];
  /** Per line, its words with their own confidences (for the second reader). */
  words: TessWord[][];
}

/** Tesseract's time per set, over the receipts it read (not those from TESS_CACHE). */
const timing = new Map<string, { reads: number; ms: number; cpuMs: number }>();
async function tessLinesOf(c: ReceiptCase): Promise<TessReading> {
  const file = tessFile(c);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as TessReading;
  const w = await tesseract();
  const start = performance.now();
  const cpu = process.cpuUsage();
  let image = sharp(readFileSync(c.image)).rotate().grayscale();
  const { width = 0 } = await image.metadata();
  if (MIN_WIDTH && width < MIN_WIDTH) image = image.resize({ width: MIN_WIDTH });
  const { data: png, info } = await image.png().toBuffer({ resolveWithObject: true });
  const { data } = await w.recognize(png, {}, { blocks: true, text: false });
  const used = process.cpuUsage(cpu);
  const spent = timing.get(c.set) ?? { reads: 0, ms: 0, cpuMs: 0 };
  spent.ms += performance.now() - start;
  spent.cpuMs += (used.user + used.system) / 1000;
  spent.reads += 1;
  timing.set(c.set, spent);
  const reading: TessReading = { lines: [], words: [] };
  for (const line of (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines))) {
    const text = line.text.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const { x0, y0, x1, y1 } = line.bbox;
    reading.lines.push({
      text,
      confidence: line.confidence / 100,
      box: {
        left: x0 / info.width,
        top: y0 / info.height,
        width: (x1 - x0) / info.width,
        height: (y1 - y0) / info.height,
      },
      page: 1,
    });
    reading.words.push(line.words.map((wd) => ({ text: wd.text, confidence: wd.confidence / 100, bbox: wd.bbox })));
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(reading));
  return reading;
}

// --- prediction and scoring, as bench:ocr does ---

function predictionOfLines(lines: TextLine[]): Prediction {
  return predictionOf({
    ...analyzeExpenseResponse(lines, { today: TODAY }),
    $metadata: {},
  } as AnalyzeExpenseCommandOutput);
}

const norm = (s: string | null | undefined) => s?.replace(/\s+/g, ' ').trim().toUpperCase() || null;
const lenient = (s: string | null | undefined) => norm(s)?.replace(/[^\p{L}\p{N}]/gu, '') || null;
/**
 * A row's reading scored against the truth's company: exact (spacing and case aside), lenient
 * (letters and digits only), and part (lenient, as a piece of a name printed over two rows:
 * "LIAN HING" above "STATIONERY SDN BHD"; four letters at least).
 */
function rowScore(text: string | null, company: string) {
  const row = lenient(text);
  return {
    exact: norm(text) !== null && norm(text) === norm(company),
    lenient: row !== null && row === lenient(company),
    part: row !== null && row.length >= 4 && (lenient(company) ?? '').includes(row),
  };
}

// --- the second reader ---

function boxOf(lines: TextLine[]) {
  const left = Math.min(...lines.map((l) => l.box.left));
  const top = Math.min(...lines.map((l) => l.box.top));
  const right = Math.max(...lines.map((l) => l.box.left + l.box.width));
  const bottom = Math.max(...lines.map((l) => l.box.top + l.box.height));
  return { left, top, right, bottom };
}

/** Tesseract's lines that share at least half the height of the shorter one with the row and overlap it across. */
function overlapping(row: Row, tess: TessReading): Array<{ line: TextLine; words: TessWord[] }> {
  const r = boxOf(row.lines);
  return tess.lines
    .map((line, i) => ({ line, words: tess.words[i] }))
    .filter(({ line: { box } }) => {
      const shared = Math.min(r.bottom, box.top + box.height) - Math.max(r.top, box.top);
      const across = Math.min(r.right, box.left + box.width) - Math.max(r.left, box.left);
      return shared >= 0.5 * Math.min(r.bottom - r.top, box.height) && across > 0;
    })
    .sort((a, b) => a.line.box.left - b.line.box.left);
}

const letters = (w: string) => w.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
const listed = (w: string) => {
  const l = letters(w);
  return /^\p{L}{3,}$/u.test(l) && isListedWord(l);
};
/** Legal forms are no dictionary words but are read right: never swapped for one ("SDN" is no "SON"). */
const LEGAL_FORM = /^(SDN|BHD|SB|PLT|ENT|GMBH|LTD|INC)$/;
/** How far apart two readings are: edits between their letters, per letter of the longer. */
function apart(a: string, b: string): number {
  const [x, y] = [letters(a), letters(b)];
  return Math.max(x.length, y.length) ? distance(x, y) / Math.max(x.length, y.length) : 0;
}

interface Token {
  text: string;
  confidence: number;
}

/**
 * Paddle's words paired with Tesseract's in order, by the fewest edits: a word may pair with two
 * of the other's (a space one reader lost or added: "Wor Id" / "World"), and a word either
 * reader alone has (Tesseract's specks at a row's ends: "- LIAN HING") pairs with none.
 */
function aligned(p: string[], t: Token[]): Array<{ p: string[]; t: Token[] }> {
  const GAP = 0.5;
  const cost = Array.from({ length: p.length + 1 }, () => new Array<number>(t.length + 1).fill(Infinity));
  const move = Array.from({ length: p.length + 1 }, () => new Array<[number, number]>(t.length + 1));
  cost[0][0] = 0;
  const steps: Array<[number, number]> = [[1, 1], [2, 1], [1, 2], [1, 0], [0, 1]]; // prettier-ignore
  for (let i = 0; i <= p.length; i++)
    for (let j = 0; j <= t.length; j++)
      for (const [di, dj] of steps) {
        if (i < di || j < dj) continue;
        const step =
          di && dj
            ? apart(
                p.slice(i - di, i).join(''),
                t
                  .slice(j - dj, j)
                  .map((w) => w.text)
                  .join(''),
              ) + (di + dj > 2 ? 0.05 : 0)
            : GAP;
        if (cost[i - di][j - dj] + step < cost[i][j]) {
          cost[i][j] = cost[i - di][j - dj] + step;
          move[i][j] = [di, dj];
        }
      }
  const pairs: Array<{ p: string[]; t: Token[] }> = [];
  for (let i = p.length, j = t.length; i || j;) {
    const [di, dj] = move[i][j];
    pairs.unshift({ p: p.slice(i - di, i), t: t.slice(j - dj, j) });
    i -= di;
    j -= dj;
  }
  return pairs;
}

/** How the two readings of a row are combined (see combinedName). */
const RULES = ['dictionary', 'dictionary or sure'] as const;
type Rule = (typeof RULES)[number];
/** Tesseract's own confidence in a word above which "dictionary or sure" takes it over a Paddle word no dictionary lists. */
const SURE = Number(process.env.TESS_SURE ?? 0.9);

/**
 * Paddle's word cut where Tesseract put its spaces: as many letters in each piece as in
 * Tesseract's word, Paddle's own characters ("CO.(M)" / "CO," "(M)" → "CO." "(M)"); marks
 * after a piece's letters stay with it, an opening bracket goes with the next.
 */
function spacedLike(word: string, pieces: Token[]): string[] {
  const out: string[] = [];
  let rest = word;
  for (const [k, piece] of pieces.entries()) {
    if (k === pieces.length - 1) {
      out.push(rest);
      break;
    }
    let n = letters(piece.text).length;
    let cut = 0;
    while (cut < rest.length && n > 0) if (/[\p{L}\p{N}]/u.test(rest[cut++])) n -= 1;
    while (cut < rest.length && /[^\p{L}\p{N}([{]/u.test(rest[cut])) cut += 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return out.filter(Boolean);
}

/** A word of letters only, but for a stop or comma after it ("CO.", "Oleh,"): one a dictionary may mend. */
const plainWord = (w: string) => /^\p{L}+[.,:;]?$/u.test(w);

/**
 * The merchant row read by both: Paddle's words, each paired with Tesseract's (aligned), and
 * Tesseract's taken where
 * - Paddle read one word and Tesseract two or more with the same letters: a space Paddle lost
 *   ("TFValue-Mart" / "TF Value-Mart"), cut as Tesseract cut it (spacedLike), not where a legal
 *   form starts (the parser finds those itself);
 * - "dictionary": they are a misreading of one another (at most a third of the letters apart),
 *   with every letter of Paddle's, Paddle's is a plain word no English dictionary lists
 *   (name-words.ts) and Tesseract's is one ("Wor Id" / "World", "Dwner" / "Owner");
 * - "dictionary or sure", also: neither is a word and Tesseract is sure of its reading
 *   ("LAN" / "LIAN").
 * Legal forms and words without letters ("&", ":") stay as Paddle read them.
 */
export function combinedName(paddle: string, tess: Token[], rule: Rule): string {
  const words = paddle.split(/\s+/).filter(Boolean);
  const lettered = words.map((w, i) => i).filter((i) => letters(words[i]));
  const tokens = tess.filter((w) => letters(w.text));
  if (!tokens.length || !lettered.length) return paddle;
  const replaced = new Map<number, string[]>();
  let at = 0;
  for (const { p, t } of aligned(
    lettered.map((i) => words[i]),
    tokens,
  )) {
    const indices = lettered.slice(at, at + p.length);
    at += p.length;
    if (!p.length || !t.length) continue;
    const [ours, theirs] = [p.join(' '), t.map((w) => w.text).join(' ')];
    if (letters(ours) === letters(theirs)) {
      if (p.length === 1 && t.length > 1 && !t.some((w) => LEGAL_FORM.test(letters(w.text))))
        replaced.set(indices[0], spacedLike(ours, t));
      continue;
    }
    const take = (): boolean => {
      if (apart(ours, theirs) > 1 / 3 || p.some((w) => LEGAL_FORM.test(letters(w)) || !plainWord(w))) return false;
      // Only a reading with every letter of Paddle's (a letter Tesseract lost is no mending: "TSH" / "SH", "CASH V" / "CASH").
      if (!t.every((w) => plainWord(w.text)) || letters(theirs).length < letters(ours).length) return false;
      if (!listed(ours) && listed(theirs)) return true;
      const sure = t.every((w) => w.confidence >= SURE);
      return rule === 'dictionary or sure' && !listed(ours) && !listed(theirs) && sure;
    };
    if (take()) indices.forEach((i, k) => replaced.set(i, k === 0 ? [theirs] : []));
  }
  return words.flatMap((w, i) => replaced.get(i) ?? [w]).join(' ');
}

// --- the run ---

type Score = ReturnType<typeof scoreOne>;
interface RowReading {
  text: string;
  score: ReturnType<typeof rowScore>;
}
interface Outcome {
  c: ReceiptCase;
  paddle: Score;
  tess: Score;
  /** Paddle's lines with the merchant row read by both, per rule. */
  combined: Record<Rule, Score>;
  /** The merchant the parser named, from Paddle's lines and with the combined row ("dictionary or sure"). */
  named: { paddle: string | null; combined: string | null };
  /** The merchant row as each read it, when the truth names a company. */
  row?: { paddle: RowReading; tess: RowReading } & Record<Rule, RowReading>;
}

function rowBox(row: Row) {
  const b = boxOf(row.lines);
  return { left: b.left, top: b.top, width: b.right - b.left, height: b.bottom - b.top };
}

const load = [loadavg()[0]];
const outcomes: Outcome[] = [];
for (const c of cases) {
  const paddleLines = JSON.parse(
    readFileSync(path.join(PADDLE_CACHE, c.set, `${c.id}.lines.json`), 'utf8'),
  ) as TextLine[];
  const tess = await tessLinesOf(c);
  const paddlePrediction = predictionOfLines(paddleLines);
  const paddle = scoreOne(paddlePrediction, c.truth);
  const outcome: Outcome = {
    c,
    paddle,
    tess: scoreOne(predictionOfLines(tess.lines), c.truth),
    combined: { dictionary: paddle, 'dictionary or sure': paddle },
    named: { paddle: paddlePrediction.merchant, combined: paddlePrediction.merchant },
  };
  const currency = currencyOf(paddleLines.map((l) => l.text).join('\n')).code;
  const merchantRow = readLayout(paddleLines, 'DMY', TODAY, currency).merchant?.row;
  if (merchantRow) {
    const company = c.truth.company;
    const read = (text: string): RowReading => ({ text, score: rowScore(text, company ?? '') });
    const theirs = overlapping(merchantRow, tess);
    const row = {
      paddle: read(merchantRow.text),
      tess: read(theirs.map((o) => o.line.text).join(' ')),
    } as NonNullable<Outcome['row']>;
    for (const rule of RULES) {
      const combined = combinedName(
        merchantRow.text,
        theirs.flatMap((o) => o.words),
        rule,
      );
      row[rule] = read(combined);
      if (combined === merchantRow.text) continue;
      // The row's own lines give way to one line of the combined reading, through the same parser.
      const inRow = new Set(merchantRow.lines);
      const mended: TextLine[] = paddleLines.flatMap((l) =>
        l === merchantRow.lines[0]
          ? [{ ...l, text: combined, box: rowBox(merchantRow), polygon: undefined }]
          : inRow.has(l)
            ? []
            : [l],
      );
      const prediction = predictionOfLines(mended);
      outcome.combined[rule] = scoreOne(prediction, c.truth);
      if (rule === 'dictionary or sure') outcome.named.combined = prediction.merchant;
    }
    if (company) outcome.row = row;
  }
  outcomes.push(outcome);
}
load.push(loadavg()[0]);
await engine.worker?.terminate();

// --- the report ---

const pct = (v: number | null) => (v === null ? '  n/a' : `${(v * 100).toFixed(0)}%`.padStart(5));
console.log(
  `Tesseract ${PSM === '4' ? 'PSM 4 (one column of lines of varying sizes)' : PSM === '6' ? 'PSM 6 (one block of text)' : `PSM ${PSM}`}${MIN_WIDTH ? `, pages enlarged to ${MIN_WIDTH} px wide` : ''}; tuned splits only; lines in ${TESS_CACHE}`,
);
console.log(
  `${'set'.padEnd(14)} ${'reader'.padEnd(30)} ${'n'.padStart(4)} ${'total'.padStart(5)} ${'date'.padStart(5)} ${'merch.'.padStart(6)} ${'lenient'.padStart(7)} ${'currency'.padStart(8)}`,
);
const sets = [...new Set(outcomes.map((o) => o.c.set)), 'all'];
for (const set of sets) {
  const group = outcomes.filter((o) => set === 'all' || o.c.set === set);
  const readers: Array<[string, (o: Outcome) => Score]> = [
    ['PaddleOCR (cache)', (o) => o.paddle],
    ['Tesseract', (o) => o.tess],
    ...RULES.map((rule): [string, (o: Outcome) => Score] => [`Paddle, merchant row: ${rule}`, (o) => o.combined[rule]]),
  ];
  for (const [label, score] of readers) {
    const s = summarize(group.map(score));
    console.log(
      `${set.padEnd(14)} ${label.padEnd(30)} ${String(s.n).padStart(4)} ${pct(s.total)} ${pct(s.date)} ${pct(s.merchant).padStart(6)} ${pct(s.merchantLenient).padStart(7)} ${pct(s.currency).padStart(8)}`,
    );
  }
}

console.log("\nThe merchant row (picked on Paddle's lines) read by each, against the truth's company:");
for (const set of sets) {
  const rows = outcomes.filter((o) => (set === 'all' || o.c.set === set) && o.row).map((o) => o.row!);
  if (!rows.length) continue;
  for (const rule of ['exact', 'lenient', 'part'] as const) {
    const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
    const combined = RULES.map(
      (k) =>
        `${k} ${count((r) => r[k].score[rule])} (+${count((r) => r[k].score[rule] && !r.paddle.score[rule])} -${count((r) => !r[k].score[rule] && r.paddle.score[rule])})`,
    ).join(', ');
    console.log(
      `  ${set.padEnd(12)} ${rule.padEnd(7)} rows ${rows.length}: Paddle ${count((r) => r.paddle.score[rule])}, Tesseract ${count((r) => r.tess.score[rule])}, ` +
        `Tesseract only ${count((r) => r.tess.score[rule] && !r.paddle.score[rule])}, Paddle only ${count((r) => r.paddle.score[rule] && !r.tess.score[rule])}; combined: ${combined}`,
    );
  }
}

if (DETAILS) {
  console.log('\nMerchant rows the readers differ on (tuned receipts; + right, - wrong, lenient):');
  const mark = (r: RowReading) => `${r.score.lenient ? '+' : '-'}${JSON.stringify(r.text)}`;
  for (const o of outcomes)
    if (o.row && lenient(o.row.paddle.text) !== lenient(o.row.tess.text))
      console.log(
        `  ${o.c.set}/${o.c.id} paddle ${mark(o.row.paddle)} tess ${mark(o.row.tess)} ${RULES.map((k) => `${k} ${mark(o.row![k])}`).join(' ')} | truth ${JSON.stringify(o.c.truth.company)}`,
      );
  console.log(
    '\nMerchants the parser named otherwise with the combined row ("dictionary or sure"; + right, - wrong, exact):',
  );
  for (const o of outcomes)
    if (o.named.paddle !== o.named.combined)
      console.log(
        `  ${o.c.set}/${o.c.id} ${o.paddle.merchant ? '+' : '-'}${JSON.stringify(o.named.paddle)} → ${o.combined['dictionary or sure'].merchant ? '+' : '-'}${JSON.stringify(o.named.combined)} | truth ${JSON.stringify(o.c.truth.company ?? o.c.truth.brand)}`,
      );
}

console.log('');
const times = [...timing.entries()];
times.push([
  'all',
  times.reduce((a, [, t]) => ({ reads: a.reads + t.reads, ms: a.ms + t.ms, cpuMs: a.cpuMs + t.cpuMs }), {
    reads: 0,
    ms: 0,
    cpuMs: 0,
  }),
]);
if (times.at(-1)![1].reads)
  for (const [set, t] of times)
    console.log(
      `Tesseract, ${set}: ${(t.ms / t.reads / 1000).toFixed(2)} s and ${(t.cpuMs / t.reads / 1000).toFixed(2)} CPU s per receipt (image decoding included), ${t.reads} receipts read one at a time`,
    );
else console.log('Tesseract: not timed (every receipt came from TESS_CACHE)');
console.log(
  `peak memory (this process, Tesseract's worker thread included): ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)} GB`,
);
console.log(`load average (1 min) at start ${load[0].toFixed(2)}, at end ${load[1].toFixed(2)} (2 shared cores)`);
