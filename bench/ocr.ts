/**
 * `npm run bench:ocr`: the local OCR path (PaddleOCR engine → AnalyzeExpense response →
 * parser) over the SROIE receipts in ../shared/data, one receipt at a time, scored by
 * ../shared/data/score_sroie.py; prints accuracy per field, seconds per receipt, peak memory,
 * and the parsing time as a ratio of the engine's time in the same run.
 */
import '../local/sdk-warnings.ts';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AnalyzeExpenseCommandOutput } from '@aws-sdk/client-textract';
import { parseAnalyzeExpense } from '../functions/ocr/parse-analyze-expense.ts';
import { decimalAmount } from '../functions/shared/money.ts';
import { createPaddleOcrEngine } from '../local/ocr-engine.ts';
import { PROJECT_ROOT } from '../local/stack.ts';
import { analyzeExpenseResponse } from '../local/textract.ts';

const DATA = path.resolve(PROJECT_ROOT, '../shared/data');
const SROIE = path.join(DATA, 'receipts/sroie');
const images = readdirSync(SROIE).filter((f) => f.endsWith('.jpg')).sort().slice(0, Number(process.env.BENCH_RECEIPTS ?? 1000));
const engine = createPaddleOcrEngine();
await engine.read(readFileSync(path.join(SROIE, images[0]))); // load the models outside the timings

let engineMs = 0;
let parseMs = 0;
const lines: string[] = [];
for (const image of images) {
  const bytes = readFileSync(path.join(SROIE, image));
  const t0 = performance.now();
  const page = await engine.read(bytes);
  const t1 = performance.now();
  const response = { ...analyzeExpenseResponse(page.lines), $metadata: {} } as AnalyzeExpenseCommandOutput;
  const x = parseAnalyzeExpense(response, { dateOrder: 'DMY', homeCurrency: 'MYR' });
  const t2 = performance.now();
  engineMs += t1 - t0;
  parseMs += t2 - t1;
  lines.push(JSON.stringify({ file: image, merchant: x.merchant?.value ?? null, date: x.date?.value ?? null, total: x.total ? decimalAmount(x.total.amount, 'MYR') : null, seconds: (t2 - t0) / 1000 }));
}
const predictions = path.join(tmpdir(), `bench-ocr-${process.pid}.jsonl`);
writeFileSync(predictions, `${lines.join('\n')}\n`);
let score = '';
try {
  score = execFileSync('python3', [path.join(DATA, 'score_sroie.py'), '--truth', SROIE, '--only-predicted', predictions], { encoding: 'utf8' });
} catch (error) {
  score = String((error as { stdout?: string }).stdout ?? error);
}
console.log(`OCR over ${images.length} SROIE receipts, one at a time (PaddleOCR v4 ONNX on CPU + layout rules + parser)`);
console.log(score.trim());
console.log(`seconds per receipt: ${((engineMs + parseMs) / images.length / 1000).toFixed(2)}  (engine ${(engineMs / images.length / 1000).toFixed(2)}, parsing ${(parseMs / images.length).toFixed(1)} ms)`);
console.log(`parsing / engine time: ${(parseMs / engineMs).toFixed(4)}x`);
console.log(`peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GB`);
