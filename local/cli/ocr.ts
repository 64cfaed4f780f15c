import '../sdk-warnings.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { AnalyzeExpenseCommandOutput } from '@aws-sdk/client-textract';
import type { DateOrder } from '../../generated/graphql.ts';
import { parseAnalyzeExpense } from '../../functions/ocr/parse-analyze-expense.ts';
import { decimalAmount } from '../../functions/shared/money.ts';
import { createPaddleOcrEngine } from '../ocr-engine.ts';
import { analyzeExpenseResponse } from '../textract.ts';


/**
 * `npm run -s ocr -- [--date-order dmy|mdy|ymd] FILE...`: what the OCR function would read
 * from each receipt, one JSON line per file (the same engine, response and parser). A FILE
 * ending in .json is read as a saved AnalyzeExpense response. Pipe into
 * ../shared/data/score_sroie.py to score it.
 */
const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'date-order': { type: 'string', default: 'dmy' } } });
const dateOrder = values['date-order']!.toUpperCase() as DateOrder;
if (!['DMY', 'MDY', 'YMD'].includes(dateOrder) || positionals.length === 0) {
  console.error('usage: npm run -s ocr -- [--date-order dmy|mdy|ymd] FILE...');
  process.exit(2);
}

const engine = createPaddleOcrEngine();
let failed = 0;
for (const file of positionals) {
  const started = performance.now();
  try {
    const bytes = await readFile(file);
    const response = file.endsWith('.json') ? (JSON.parse(bytes.toString('utf8')) as AnalyzeExpenseCommandOutput) : ({ ...analyzeExpenseResponse((await engine.read(bytes)).lines), $metadata: {} } as AnalyzeExpenseCommandOutput);
    const x = parseAnalyzeExpense(response, { dateOrder });
    const currency = x.currency?.value ?? 'USD';
    console.log(
      JSON.stringify({
        file: path.basename(file),
        merchant: x.merchant?.value ?? null,
        date: x.date?.value ?? null,
        total: x.total ? decimalAmount(x.total.amount, currency) : null,
        tax: x.tax ? decimalAmount(x.tax.amount, currency) : null,
        currency,
        items: x.lineItems.length,
        confidence: { merchant: x.merchant?.confidence ?? 0, date: x.date?.confidence ?? 0, total: x.total?.confidence ?? 0 },
        seconds: Math.round(performance.now() - started) / 1000,
      }),
    );
  } catch (error) {
    failed += 1;
    console.log(JSON.stringify({ file: path.basename(file), error: (error as Error).message, seconds: Math.round(performance.now() - started) / 1000 }));
  }
}
process.exitCode = failed ? 1 : 0;
