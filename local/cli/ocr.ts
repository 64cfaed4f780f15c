import '../sdk-warnings.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { AnalyzeExpenseCommandOutput } from '@aws-sdk/client-textract';
import type { DateOrder, ReceiptExtraction } from '../../generated/graphql.ts';
import { parseAnalyzeExpense } from '../../functions/ocr/parse-analyze-expense.ts';
import type { OwnerProfile } from '../../functions/process-receipt/core.ts';
import { convertForTextract, identifyUpload } from '../../functions/shared/receipt-content.ts';
import { wasmImageConverter } from '../../functions/shared/image-conversion.ts';
import { decimalAmount } from '../../functions/shared/money.ts';
import { randomIamCredentials } from '../iam-credentials.ts';

/**
 * `npm run -s ocr -- [--date-order dmy|mdy|ymd] FILE...`: what the OCR function reads from
 * each receipt, one JSON line per file. An image goes the function's way: an AnalyzeExpense
 * request through @aws-sdk/client-textract to the local Textract (started in-process on a
 * free port), then the function's parser with the date order given. A FILE ending in .json is
 * read as a saved AnalyzeExpense response and parsed the same way; with only such files no
 * OCR engine is loaded. Pipe into ../shared/data/score_sroie.py to score it.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'date-order': { type: 'string', default: 'dmy' } },
});
const dateOrder = values['date-order']!.toUpperCase() as DateOrder;
if (!['DMY', 'MDY', 'YMD'].includes(dateOrder) || positionals.length === 0) {
  console.error('usage: npm run -s ocr -- [--date-order dmy|mdy|ymd] FILE...');
  process.exit(2);
}

// The CLI reads as a user with this profile; a bare "$" means US dollars.
const profile: OwnerProfile = { dateOrder, homeCurrency: 'USD', timezone: 'UTC' };
const region = 'us-east-1';
// The local Textract below is this process's own: a pair made for this run signs and checks its calls.
const credentials = randomIamCredentials();

/** The function's analyzer against a local Textract of our own: loaded only when an image is given, so saved responses print at once. */
async function startAnalyzer() {
  const [
    { TextractClient },
    { createTextractAnalyzer },
    { createPaddleOcrEngine },
    { serveLocalTextract, textractSigV4Check },
  ] = await Promise.all([
    import('@aws-sdk/client-textract'),
    import('../../functions/process-receipt/analyze.ts'),
    import('../ocr-engine.ts'),
    import('../textract.ts'),
  ]);
  // In this process: a command line has no queries to keep responsive.
  const textract = await serveLocalTextract({
    engine: createPaddleOcrEngine(),
    authorize: textractSigV4Check(credentials, region),
  });
  const client = new TextractClient({ region, endpoint: textract.endpoint, credentials });
  return {
    analyze: createTextractAnalyzer(client, parseAnalyzeExpense),
    async close() {
      client.destroy();
      await textract.close();
    },
  };
}

const images = wasmImageConverter();

async function extractionOf(
  file: string,
  analyzer: () => ReturnType<typeof startAnalyzer>,
): Promise<ReceiptExtraction> {
  const bytes = await readFile(file);
  if (file.endsWith('.json')) {
    const response = JSON.parse(bytes.toString('utf8')) as AnalyzeExpenseCommandOutput;
    return parseAnalyzeExpense(response, {
      dateOrder: profile.dateOrder,
      homeCurrency: profile.homeCurrency,
      today: new Date(),
    });
  }
  // As the OCR function reads a WebP or HEIC: through a JPEG of it.
  const content = identifyUpload(bytes);
  if (content.ok === 'convert') {
    const conversion = await convertForTextract(images, bytes, content.from, Number.MAX_SAFE_INTEGER);
    if (!conversion.ok) throw new Error(conversion.message);
    return (await analyzer()).analyze(conversion.jpeg, profile);
  }
  return (await analyzer()).analyze(bytes, profile);
}

let analyzer: ReturnType<typeof startAnalyzer> | undefined;
const startOnce = () => (analyzer ??= startAnalyzer());
let failed = 0;
for (const file of positionals) {
  const started = performance.now();
  try {
    const x = await extractionOf(file, startOnce);
    const currency = x.currency?.value ?? profile.homeCurrency;
    console.log(
      JSON.stringify({
        file: path.basename(file),
        merchant: x.merchant?.value ?? null,
        date: x.date?.value ?? null,
        total: x.total ? decimalAmount(x.total.amount, currency) : null,
        tax: x.tax ? decimalAmount(x.tax.amount, currency) : null,
        currency,
        items: x.lineItems.length,
        confidence: {
          merchant: x.merchant?.confidence ?? 0,
          date: x.date?.confidence ?? 0,
          total: x.total?.confidence ?? 0,
        },
        seconds: Math.round(performance.now() - started) / 1000,
      }),
    );
  } catch (error) {
    failed += 1;
    console.log(
      JSON.stringify({
        file: path.basename(file),
        error: (error as Error).message,
        seconds: Math.round(performance.now() - started) / 1000,
      }),
    );
  }
}
if (analyzer) await (await analyzer).close();
process.exitCode = failed ? 1 : 0;
