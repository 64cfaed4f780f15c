import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../../local/stack.ts';

/** `npm run -s ocr` on saved AnalyzeExpense responses (no OCR engine is loaded for them), and on a photo through the local engine. */
const DATA = path.join(PROJECT_ROOT, 'test/fixtures/textract');
const run = promisify(execFile);
async function ocr(...args: string[]) {
  const { stdout } = await run(path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['local/cli/ocr.ts', ...args], {
    cwd: PROJECT_ROOT,
  });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.concurrent('OCR command line', () => {
  it('given saved responses, when run with --date-order mdy, then one JSON line per file with exactly the documented fields', async () => {
    const lines = await ocr(
      '--date-order',
      'mdy',
      path.join(DATA, 'mega-market-receipt.analyze-expense.json'),
      path.join(DATA, 'invoice.analyze-expense.json'),
    );
    expect(lines.map((l) => Object.keys(l))).toEqual([
      ['file', 'merchant', 'date', 'total', 'tax', 'currency', 'items', 'confidence', 'seconds'],
      ['file', 'merchant', 'date', 'total', 'tax', 'currency', 'items', 'confidence', 'seconds'],
    ]);
    const [mega, invoice] = lines;
    expect(mega).toMatchObject({
      file: 'mega-market-receipt.analyze-expense.json',
      merchant: 'MEGA MARKET PLUS',
      date: '2019-12-07',
      total: '1810.46',
      tax: '110.50',
      currency: 'USD',
      items: 4,
      confidence: { merchant: 1, date: 1, total: 1 },
    });
    expect(invoice).toMatchObject({
      file: 'invoice.analyze-expense.json',
      merchant: 'Amazon.com',
      date: '2021-01-01',
      total: '6231.09',
      tax: '61.69',
      currency: 'USD',
      items: 4,
    });
    expect(Object.keys(mega.confidence as object)).toEqual(['merchant', 'date', 'total']);
    expect(typeof mega.seconds).toBe('number');
  });

  it('given the same response with --date-order dmy, then its US address (CHICAGO, IL) still reads 12/07/2019 month-first', async () => {
    const [mega] = await ocr('--date-order', 'dmy', path.join(DATA, 'mega-market-receipt.analyze-expense.json'));
    expect(mega.date).toBe('2019-12-07');
  });

  it('given an iPhone photo (HEIC), when run, then it is read through a JPEG of it, as the OCR function reads it, by the local engine', async () => {
    const [heic] = await ocr('--date-order', 'dmy', path.join(PROJECT_ROOT, 'test/fixtures/heic/receipt.heic'));
    expect(heic).toMatchObject({
      file: 'receipt.heic',
      merchant: 'CORNER BAKERY',
      date: '2026-11-14',
      total: '8.80',
      currency: 'EUR',
      items: 3,
    });
  }, 60_000);

  it('given a file that cannot be read, then a line with its error and a failing exit status', async () => {
    await expect(ocr(path.join(DATA, 'missing.analyze-expense.json'))).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('"file":"missing.analyze-expense.json","error"'),
    });
  });
});
