import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TextractClient, type AnalyzeExpenseCommandOutput, type ExpenseField } from '@aws-sdk/client-textract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextLine } from '../../../functions/ocr/layout-rules.ts';
import { parseAnalyzeExpense } from '../../../functions/ocr/parse-analyze-expense.ts';
import { createTextractAnalyzer } from '../../../functions/process-receipt/analyze.ts';
import { PROJECT_ROOT } from '../../../local/stack.ts';
import { analyzeExpenseResponse, serveLocalTextract, textractSigV4Check } from '../../../local/textract.ts';

/**
 * The local Textract's answer compared with real Textract's on the same receipt: the MEGA
 * MARKET photo in test/fixtures/textract, whose real AnalyzeExpense response is saved beside
 * it. The OCR lines are what PaddleOCR read from that photo (test/fixtures/ocr-lines).
 */
const DATA = path.join(PROJECT_ROOT, 'test/fixtures/textract');
const real = JSON.parse(
  readFileSync(path.join(DATA, 'mega-market-receipt.analyze-expense.json'), 'utf8'),
) as AnalyzeExpenseCommandOutput;
const megaLines = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/ocr-lines/mega-market-receipt.json'), 'utf8'),
) as TextLine[];
const today = new Date('2026-11-24T12:00:00Z');
const local = () => ({ ...analyzeExpenseResponse(megaLines, { today }), $metadata: {} }) as AnalyzeExpenseCommandOutput;
const squeezed = (text: string) => text.replace(/\s+/g, '');

describe('local Textract line items', () => {
  it('given the MEGA MARKET photo, then the same line items as real Textract: descriptions (ignoring spaces) and prices', () => {
    const mine = parseAnalyzeExpense(local(), { dateOrder: 'MDY', today }).lineItems;
    const theirs = parseAnalyzeExpense(real, { dateOrder: 'MDY', today }).lineItems;
    expect(mine.map((i) => [squeezed(i.description), i.amount])).toEqual(
      theirs.map((i) => [squeezed(i.description), i.amount]),
    );
  });

  it("given the MEGA MARKET photo, then each line item has Textract's shape: typed fields with confidence and geometry on the page", () => {
    const groups = local().ExpenseDocuments![0].LineItemGroups!;
    expect(groups.map((g) => g.LineItemGroupIndex)).toEqual([1]);
    for (const item of groups[0].LineItems!) {
      const fields = item.LineItemExpenseFields!;
      expect(fields.map((f) => f.Type?.Text)).toEqual(['ITEM', 'PRICE', 'EXPENSE_ROW']);
      for (const f of fields as ExpenseField[]) {
        expect(f.ValueDetection!.Confidence).toBeGreaterThan(50);
        expect(f.ValueDetection!.Confidence).toBeLessThanOrEqual(100);
        const box = f.ValueDetection!.Geometry!.BoundingBox!;
        expect(
          box.Left! >= 0 && box.Top! >= 0 && box.Left! + box.Width! <= 1.0001 && box.Top! + box.Height! <= 1.0001,
        ).toBe(true);
        expect(f.ValueDetection!.Geometry!.Polygon).toHaveLength(4);
        expect(f.PageNumber).toBe(1);
      }
      // The price's box is the price's part of its line, right of the description.
      const [itemBox, priceBox] = [fields[0], fields[1]].map((f) => f.ValueDetection!.Geometry!.BoundingBox!);
      expect(priceBox.Left!).toBeGreaterThan(itemBox.Left! + itemBox.Width! * 0.5);
    }
  });

  it('given quantities and unit prices printed, then QUANTITY and UNIT_PRICE fields as printed', () => {
    const lines = JSON.parse(
      readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/ocr-lines/numbers-above-description.json'), 'utf8'),
    ) as TextLine[];
    const last = analyzeExpenseResponse(lines, { today }).ExpenseDocuments[0].LineItemGroups[0].LineItems!.at(-1)!;
    expect(last.LineItemExpenseFields!.map((f) => [f.Type?.Text, f.ValueDetection?.Text])).toEqual([
      ['ITEM', 'TRIMMERLINE2MM'],
      ['QUANTITY', '3'],
      ['UNIT_PRICE', '14.00'],
      ['PRICE', '42.00'],
      ['EXPENSE_ROW', '80566 3 14.00 14.00 42.00 TRIMMERLINE2MM'],
    ]);
  });
});

describe('local Textract dates', () => {
  it('given a receipt date printed "11/01/2019" with a time, then INVOICE_RECEIPT_DATE is the date as printed and the parser reads it in the user order', () => {
    let top = 0.05;
    const line = (text: string): TextLine => ({
      text,
      confidence: 0.95,
      box: { left: 0.1, top: (top += 0.04), width: 0.6, height: 0.02 },
      page: 1,
    });
    const response = {
      ...analyzeExpenseResponse(
        [
          line('SOON HUAT MACHINERY ENTERPRISE'),
          line('Doc No. CS00004040 Date:11/01/2019 09:44'),
          line('TOTAL 327.00'),
        ],
        { today },
      ),
      $metadata: {},
    } as AnalyzeExpenseCommandOutput;
    const date = response.ExpenseDocuments![0].SummaryFields!.find((f) => f.Type?.Text === 'INVOICE_RECEIPT_DATE');
    expect(date?.ValueDetection?.Text).toBe('11/01/2019');
    expect(parseAnalyzeExpense(response, { dateOrder: 'DMY', today }).date?.value).toBe('2019-01-11');
    expect(parseAnalyzeExpense(response, { dateOrder: 'MDY', today }).date?.value).toBe('2019-11-01');
  });
});

describe('the local Textract served alone, through the AWS SDK', () => {
  // The engine is the only stand-in here: it answers the lines PaddleOCR read from this photo,
  // so the request, SigV4 check, response and parsing are the real ones, without OCR time.
  const credentials = { accessKeyId: 'AKIALOCALTEST0000000', secretAccessKey: 'local-test-secret' };
  let served: Awaited<ReturnType<typeof serveLocalTextract>>;
  let client: TextractClient;
  beforeAll(async () => {
    served = await serveLocalTextract({
      engine: { read: async () => ({ width: 1000, height: 2000, lines: megaLines }) },
      authorize: textractSigV4Check(credentials, 'us-east-1'),
    });
    client = new TextractClient({ region: 'us-east-1', endpoint: served.endpoint, credentials });
  });
  afterAll(async () => {
    client?.destroy();
    await served?.close();
  });

  it("given the photo, when the OCR function's analyzer asks AnalyzeExpense, then the extraction has the total, the four items and the user's date order", async () => {
    const analyze = createTextractAnalyzer(client, parseAnalyzeExpense, () => today);
    const photo = readFileSync(path.join(DATA, 'mega-market-receipt.jpg'));
    const x = await analyze(photo, { dateOrder: 'MDY', homeCurrency: 'USD', timezone: 'UTC' });
    expect([x.total?.amount, x.lineItems.length, x.date?.value]).toEqual([181046, 4, '2019-12-07']);
  });

  it('given a request signed with other credentials, then Textract refuses it', async () => {
    const stranger = new TextractClient({
      region: 'us-east-1',
      endpoint: served.endpoint,
      credentials: { accessKeyId: 'AKIASTRANGER00000000', secretAccessKey: 'nope' },
    });
    const analyze = createTextractAnalyzer(stranger, parseAnalyzeExpense);
    await expect(
      analyze(readFileSync(path.join(DATA, 'mega-market-receipt.jpg')), {
        dateOrder: 'MDY',
        homeCurrency: 'USD',
        timezone: 'UTC',
      }),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    stranger.destroy();
  });
});
