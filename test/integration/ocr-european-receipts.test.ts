import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnalyzeExpenseCommandOutput } from '@aws-sdk/client-textract';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAnalyzeExpense } from '../../functions/ocr/parse-analyze-expense.ts';
import { createOcrEngineProcess, OcrEngineBusy } from '../../local/ocr-engine-process.ts';
import { PROJECT_ROOT } from '../../local/stack.ts';
import { analyzeExpenseResponse } from '../../local/textract.ts';
import { EUROPEAN_RECEIPTS } from '../fixtures/drawn-receipts/receipts.ts';

/**
 * End to end through the real local OCR engine (PaddleOCR in its own process), the local
 * Textract's response and the parser: receipts the project drew (test/fixtures/drawn-receipts),
 * German with comma decimals and print-through, French with a month name, read for a user in
 * the US (month-first dates, US dollars), so nothing but the receipt says EUR or day-first.
 */
const engine = createOcrEngineProcess({ niceness: 0 });
afterAll(() => engine.close());
const today = new Date('2026-11-24T12:00:00Z');
const image = (file: string) => readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/drawn-receipts', file));

describe('European receipts through the local OCR engine', () => {
  async function readFields(bytes: Uint8Array) {
    const page = await engine.read(bytes);
    const response = {
      ...analyzeExpenseResponse(page.lines, { today }),
      $metadata: {},
    } as AnalyzeExpenseCommandOutput;
    const x = parseAnalyzeExpense(response, { dateOrder: 'MDY', homeCurrency: 'USD', today });
    return {
      fields: { merchant: x.merchant?.value, date: x.date?.value, total: x.total?.amount, currency: x.currency?.value },
      currencyConfidence: x.currency!.confidence,
    };
  }

  it.each(EUROPEAN_RECEIPTS.map((r) => [r.file, r] as const))(
    'given %s, when read, then merchant, date, total and currency are what is printed',
    async (_file, receipt) => {
      const { fields, currencyConfidence } = await readFields(image(receipt.file));
      expect(fields).toEqual(receipt.expect);
      expect(currencyConfidence).toBeGreaterThanOrEqual(0.6);
    },
    180_000,
  );

  it.each([90, 180, 270])(
    'given a scan lying turned by %d degrees (no EXIF turn to undo), when read, then it is read as upright',
    async (angle) => {
      const [receipt] = EUROPEAN_RECEIPTS;
      // sharp writes no EXIF orientation unless asked: the pixels themselves lie turned.
      const turned = await sharp(image(receipt.file)).rotate(angle).jpeg({ quality: 92 }).toBuffer();
      expect((await sharp(turned).metadata()).orientation).toBeUndefined();
      expect((await readFields(turned)).fields).toEqual(receipt.expect);
    },
    180_000,
  );

  it('given more reads than the queue holds, then the extra one is refused at once with OcrEngineBusy, and the others are read', async () => {
    const small = createOcrEngineProcess({ maxWaiting: 1, niceness: 0 });
    try {
      const bytes = image(EUROPEAN_RECEIPTS[1].file);
      const reads = [small.read(bytes), small.read(bytes), small.read(bytes)];
      const outcomes = await Promise.allSettled(reads);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(OcrEngineBusy);
      expect((outcomes[0] as PromiseFulfilledResult<{ lines: unknown[] }>).value.lines.length).toBeGreaterThan(5);
    } finally {
      await small.close();
    }
  }, 240_000);
});
