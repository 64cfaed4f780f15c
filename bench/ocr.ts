/**
 * `npm run bench:ocr`: the local OCR path (PaddleOCR engine → AnalyzeExpense response → parser)
 * over every receipt set it finds (bench/receipt-sets.ts says which, and how they are split
 * and scored), one receipt at a time; prints accuracy per set and split, seconds per receipt,
 * peak memory, and the load average while it ran. Receipts that ship Amazon Textract's own
 * Blocks are also read through the parser from those, as on AWS.
 *
 * Environment: SROIE_DIR (default ../shared/data/receipts/sroie), OCR_BENCH_DATA (default
 * ../data: more sets, one folder each), BENCH_RECEIPTS (at most this many per set),
 * OCR_CACHE=DIR (keep the engine's lines per image there and reuse them: for tuning rules
 * quickly; no speed figures then), OCR_DETAILS=1 (list the wrong fields of TUNED receipts;
 * held-out ones are never listed), OCR_SPLITS=tuned (read only those; default tuned,held-out),
 * OCR_PREDICTIONS=FILE (write every receipt's prediction and score there, one JSON line each: to
 * compare two runs receipt by receipt).
 */
import '../local/sdk-warnings.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AnalyzeExpenseCommandOutput, Block } from '@aws-sdk/client-textract';
import type { TextLine } from '../functions/ocr/layout-rules.ts';
import { createOcrEngineProcess } from '../local/ocr-engine-process.ts';
import { analyzeExpenseResponse } from '../local/textract.ts';
import {
  extraSets,
  predictionOf,
  scoreOne,
  sroieCases,
  summarize,
  type Prediction,
  type ReceiptCase,
  type Score,
  SROIE_DIR,
  EXTRA_SETS_DIR,
} from './receipt-sets.ts';

const LIMIT = Number(process.env.BENCH_RECEIPTS ?? 100_000);
const CACHE = process.env.OCR_CACHE;
const DETAILS = process.env.OCR_DETAILS === '1';
const SPLITS = (process.env.OCR_SPLITS ?? 'tuned,held-out').split(',');
const PREDICTIONS = process.env.OCR_PREDICTIONS;
// The profile the receipts are read for: a day-first reader whose home currency is none of the sets', so a currency must come from the receipt.

const sources: string[] = [];
const cases: ReceiptCase[] = [];
const sroie = sroieCases(SROIE_DIR);
if (sroie.length) {
  sources.push(
    `sroie: ${sroie.length} receipts from ${SROIE_DIR} (tuned: number mod 12 = 3 or 6; held out: mod 12 = 9)`,
  );
  for (const split of ['tuned', 'held-out'] as const)
    if (SPLITS.includes(split)) cases.push(...sroie.filter((c) => c.split === split).slice(0, LIMIT));
} else sources.push(`sroie: ABSENT (no receipts at ${SROIE_DIR}; set SROIE_DIR)`);
const extras = extraSets(EXTRA_SETS_DIR);
if (extras.length === 0)
  sources.push(`extra sets: ABSENT (no set folders under ${EXTRA_SETS_DIR}; set OCR_BENCH_DATA)`);
for (const set of extras) {
  const readme = path.join(EXTRA_SETS_DIR, set.name, 'README.md');
  const origin = existsSync(readme) ? readFileSync(readme, 'utf8').split('\n')[0].replace(/^#\s*/, '') : 'no README';
  sources.push(
    `${set.name}: ${set.cases.length} receipts from ${path.join(EXTRA_SETS_DIR, set.name)} (${origin}; ${set.hasSplit ? 'split.json' : 'no split.json: all held out'})`,
  );
  for (const split of ['tuned', 'held-out'] as const)
    if (SPLITS.includes(split)) cases.push(...set.cases.filter((c) => c.split === split).slice(0, LIMIT));
}
if (cases.length === 0) {
  console.log(sources.join('\n'));
  console.log('no receipts to read');
  process.exit(0);
}

const load = [loadavg()];
// At the API's own priority: this measures the engine, not the machine's other work.
const engine = createOcrEngineProcess({ niceness: 0 });
const cached = (c: ReceiptCase) => (CACHE ? path.join(CACHE, c.set, `${c.id}.lines.json`) : null);
async function linesOf(c: ReceiptCase): Promise<{ lines: TextLine[]; ms: number | null }> {
  const file = cached(c);
  if (file && existsSync(file)) return { lines: JSON.parse(readFileSync(file, 'utf8')) as TextLine[], ms: null };
  const start = performance.now();
  const page = await engine.read(readFileSync(c.image));
  const ms = performance.now() - start;
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(page.lines));
  }
  return { lines: page.lines, ms };
}

// Load the models outside the timings.
await engine.read(readFileSync(cases[0].image));
const usageBefore = await engine.usage();

interface Result {
  c: ReceiptCase;
  path: 'engine' | 'textract';
  prediction: Prediction;
  score: Score;
}
const results: Result[] = [];
let engineMs = 0;
let engineReads = 0;
let parseMs = 0;
const jsonl: string[] = [];
for (const c of cases) {
  const { lines, ms } = await linesOf(c);
  if (ms !== null) {
    engineMs += ms;
    engineReads += 1;
  }
  const t0 = performance.now();
  const prediction = predictionOf({ ...analyzeExpenseResponse(lines), $metadata: {} } as AnalyzeExpenseCommandOutput);
  parseMs += performance.now() - t0;
  results.push({ c, path: 'engine', prediction, score: scoreOne(prediction, c.truth) });
  if (c.set === 'sroie') jsonl.push(JSON.stringify({ file: path.basename(c.image), ...prediction }));
  if (c.textractBlocks) {
    const blocks = JSON.parse(readFileSync(c.textractBlocks, 'utf8')) as Block[];
    const viaTextract = predictionOf({ ExpenseDocuments: [{ Blocks: blocks }], $metadata: {} });
    results.push({ c, path: 'textract', prediction: viaTextract, score: scoreOne(viaTextract, c.truth) });
  }
}
load.push(loadavg());
if (PREDICTIONS)
  writeFileSync(
    PREDICTIONS,
    results
      .map((r) =>
        JSON.stringify({ set: r.c.set, split: r.c.split, id: r.c.id, by: r.path, ...r.prediction, score: r.score }),
      )
      .join('\n') + '\n',
  );
const usageAfter = await engine.usage();
const enginePeak = usageAfter.peakMemoryBytes;
await engine.close();

const pct = (v: number | null) => (v === null ? '  n/a' : `${(v * 100).toFixed(0).padStart(4)}%`);
console.log('Receipt sets:');
for (const s of sources) console.log(`  ${s}`);
console.log('');
console.log(
  `${'set'.padEnd(16)} ${'split'.padEnd(9)} ${'read by'.padEnd(9)} ${'n'.padStart(4)} ${'total'.padStart(5)} ${'date'.padStart(5)} ${'merch.'.padStart(6)} ${'lenient'.padStart(7)} ${'currency'.padStart(8)}`,
);
const groups = new Map<string, Result[]>();
for (const r of results) {
  const key = `${r.c.set}|${r.c.split}|${r.path}`;
  groups.set(key, [...(groups.get(key) ?? []), r]);
}
for (const [key, group] of groups) {
  const [set, split, by] = key.split('|');
  const s = summarize(group.map((r) => r.score));
  console.log(
    `${set.padEnd(16)} ${split.padEnd(9)} ${(by === 'engine' ? 'local OCR' : 'Textract').padEnd(9)} ${String(s.n).padStart(4)} ${pct(s.total)} ${pct(s.date)} ${pct(s.merchant).padStart(6)} ${pct(s.merchantLenient).padStart(7)} ${pct(s.currency).padStart(8)}`,
  );
}
console.log('(merchant on sets without printed names: the brand named in the name read; "lenient" column)');

// The official scorer over the SROIE predictions, as a check of the scoring above.
const sroieLines = jsonl.length;
if (sroieLines && existsSync(path.resolve(SROIE_DIR, '../../score_sroie.py'))) {
  const file = path.join(tmpdir(), `bench-ocr-${process.pid}.jsonl`);
  writeFileSync(file, `${jsonl.join('\n')}\n`);
  try {
    const out = execFileSync(
      'python3',
      [path.resolve(SROIE_DIR, '../../score_sroie.py'), '--truth', SROIE_DIR, '--only-predicted', file],
      { encoding: 'utf8' },
    );
    console.log(`score_sroie.py over the ${sroieLines} SROIE receipts (both splits): ${out.trim().split('\n').at(-1)}`);
  } catch (error) {
    console.log(`score_sroie.py could not run: ${(error as Error).message.split('\n')[0]}`);
  }
}

if (DETAILS) {
  console.log('\nWrong fields, tuned receipts only:');
  for (const r of results.filter((x) => x.c.split === 'tuned')) {
    const wrong = (Object.keys(r.score) as Array<keyof Score>).filter((k) => r.score[k] === false);
    if (wrong.length)
      console.log(
        `  ${r.c.set}/${r.c.id} [${r.path}] ${wrong.join(',')} | read ${JSON.stringify(r.prediction)} | truth ${JSON.stringify(r.c.truth)}`,
      );
  }
}

console.log('');
if (engineReads) {
  console.log(
    `seconds per receipt: ${((engineMs + parseMs) / engineReads / 1000).toFixed(2)} (engine ${(engineMs / engineReads / 1000).toFixed(2)} in its own process, parsing ${(parseMs / results.length).toFixed(1)} ms), ${engineReads} receipts read one at a time`,
  );
  // CPU time does not grow with other processes' load the way wall time does: the engine's cost on a busy machine.
  console.log(
    `engine CPU seconds per receipt (all its threads): ${((usageAfter.cpuSeconds - usageBefore.cpuSeconds) / engineReads).toFixed(2)}`,
  );
} else console.log('seconds per receipt: not measured (every receipt came from OCR_CACHE)');
const benchPeak = process.resourceUsage().maxRSS * 1024;
console.log(
  `peak memory: engine process ${(enginePeak / 2 ** 30).toFixed(2)} GB, bench process ${(benchPeak / 2 ** 30).toFixed(2)} GB`,
);
console.log(
  `load average (1 min) at start ${load[0][0].toFixed(2)}, at end ${load[1][0].toFixed(2)} (the machine's cores are shared)`,
);
