import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnalyzeExpenseCommandOutput, Block, ExpenseField } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
import { parseAnalyzeExpense } from '../../../functions/ocr/parse-analyze-expense.ts';
import { amountIn, currencyIn, dateOrderEvidence, datesIn, labelledDateIn, printedDateIn } from '../../../functions/ocr/receipt-text.ts';
import { PROJECT_ROOT } from '../../../local/stack.ts';

const DATA = path.resolve(PROJECT_ROOT, '../shared/data/textract');
const real = (name: string) => JSON.parse(readFileSync(path.join(DATA, `${name}.analyze-expense.json`), 'utf8')) as AnalyzeExpenseCommandOutput;
const today = new Date('2026-11-24T12:00:00Z');

const field = (type: string, value: string, confidence = 99, label?: string, extra: Partial<ExpenseField> = {}): ExpenseField => ({
  Type: { Text: type, Confidence: 99 },
  ValueDetection: { Text: value, Confidence: confidence },
  ...(label ? { LabelDetection: { Text: label, Confidence: 99 } } : {}),
  ...extra,
});
let lineTop = 0.05;
const line = (text: string, left = 0.1, page = 1): Block => ({ BlockType: 'LINE', Text: text, Confidence: 95, Page: page, Geometry: { BoundingBox: { Left: left, Top: (lineTop += 0.03), Width: 0.3, Height: 0.02 } } });
const sameRow = (text: string, left: number): Block => ({ BlockType: 'LINE', Text: text, Confidence: 95, Page: 1, Geometry: { BoundingBox: { Left: left, Top: lineTop, Width: 0.1, Height: 0.02 } } });

describe('real AnalyzeExpense responses', () => {
  it('given the MEGA MARKET receipt, then merchant, date, total, tax, currency and items as printed', () => {
    const x = parseAnalyzeExpense(real('mega-market-receipt'), { dateOrder: 'MDY', today });
    expect(x.merchant?.value).toBe('MEGA MARKET PLUS');
    expect(x.date?.value).toBe('2019-12-07');
    expect(x.total?.amount).toBe(181046);
    expect(x.tax?.amount).toBe(11050);
    expect(x.subtotal?.amount).toBe(169996);
    expect(x.currency?.value).toBe('USD');
    expect(x.lineItems.length).toBeGreaterThan(0);
    expect(x.rawText).toContain('MEGA MARKET PLUS');
  });

  it('given the invoice, then the grand total (not the "Total" subtotal) and its month-name date', () => {
    const x = parseAnalyzeExpense(real('invoice'), { dateOrder: 'DMY', today });
    expect(x.total?.amount).toBe(623109);
    expect(x.tax?.amount).toBe(6169);
    expect(x.date?.value).toBe('2021-01-01');
    expect(x.lineItems[0]).toMatchObject({ description: 'Product 1', quantity: 1, unitPrice: 100000, amount: 100000 });
  });

  it('given sample2 (costco), then $38.48 with low merchant confidence kept as reported', () => {
    const x = parseAnalyzeExpense(real('sample2'), { dateOrder: 'MDY', today });
    expect(x.total?.amount).toBe(3848);
    expect(x.merchant).toEqual({ value: 'costco', confidence: 0.24 });
  });

  it('given sample1, then every field present is well-formed (no throw, confidences in 0..1)', () => {
    const x = parseAnalyzeExpense(real('sample1'), { dateOrder: 'MDY', today });
    const confidences = [x.merchant, x.date, x.total, x.subtotal, x.tax, x.currency, ...x.lineItems].filter((f) => f !== null).map((f) => f!.confidence);
    expect(confidences.every((c) => c >= 0 && c <= 1)).toBe(true);
    expect(x.total?.amount).toBe(5000);
  });
});

describe('edge cases', () => {
  it('given no summary fields, then the layout rules read the LINE blocks (label and amount on one row)', () => {
    lineTop = 0.05;
    const blocks = [line('SOON HUAT MACHINERY ENTERPRISE'), line('NO.53 JALAN PUTRA 1'), line('Date: 11/01/2019  10:32'), line('SUB TOTAL'), sameRow('300.00', 0.7), line('GST 6%'), sameRow('18.00', 0.7), line('TOTAL'), sameRow('RM327.00', 0.7), line('CASH'), sameRow('400.00', 0.7), line('CHANGE'), sameRow('73.00', 0.7)];
    const x = parseAnalyzeExpense({ ExpenseDocuments: [{ SummaryFields: [], Blocks: blocks }], $metadata: {} }, { dateOrder: 'DMY', today });
    expect(x.merchant?.value).toBe('SOON HUAT MACHINERY ENTERPRISE');
    expect(x.date?.value).toBe('2019-01-11');
    expect(x.total?.amount).toBe(32700);
    expect(x.subtotal?.amount).toBe(30000);
    expect(x.currency?.value).toBe('MYR');
  });

  it('given no total row, then the amount paid minus the change is the total', () => {
    lineTop = 0.05;
    const blocks = [line('PASAR MINI JIN SENG'), line('VEGETABLES 5.50'), line('CASH'), sameRow('100.00', 0.7), line('CASH CHANGE'), sameRow('55.10', 0.7)];
    const x = parseAnalyzeExpense({ ExpenseDocuments: [{ SummaryFields: [], Blocks: blocks }], $metadata: {} }, { dateOrder: 'DMY', today });
    expect(x.total?.amount).toBe(4490);
  });

  it('given several TOTAL candidates, then the grand total wins over a total before discount', () => {
    const fields = [field('TOTAL', '$45.00', 95, 'TOTAL'), field('TOTAL', '$52.10', 90, 'GRAND TOTAL'), field('TOTAL', '3', 40, 'TOTAL ITEMS')];
    expect(parseAnalyzeExpense({ ExpenseDocuments: [{ SummaryFields: fields }], $metadata: {} }, { dateOrder: 'MDY', today }).total?.amount).toBe(5210);
  });

  it('given two pages, then fields of both are used', () => {
    const response: AnalyzeExpenseCommandOutput = {
      ExpenseDocuments: [{ SummaryFields: [field('VENDOR_NAME', 'Hotel Nord', 97, undefined, { PageNumber: 1 })] }, { SummaryFields: [field('TOTAL', '1.234,50 €', 96, 'Gesamt', { PageNumber: 2 })] }],
      DocumentMetadata: { Pages: 2 },
      $metadata: {},
    };
    const x = parseAnalyzeExpense(response, { dateOrder: 'DMY', today });
    expect([x.merchant?.value, x.total?.amount, x.currency?.value]).toEqual(['Hotel Nord', 123450, 'EUR']);
  });

  it("given Textract's currency code, then it wins over symbols", () => {
    const x = parseAnalyzeExpense({ ExpenseDocuments: [{ SummaryFields: [field('TOTAL', '$20.00', 99, 'TOTAL', { Currency: { Code: 'CAD' } })] }], $metadata: {} }, { dateOrder: 'MDY', today });
    expect(x.currency?.value).toBe('CAD');
  });

  it('given a date after tomorrow, then it is not taken as the purchase date', () => {
    const x = parseAnalyzeExpense({ ExpenseDocuments: [{ SummaryFields: [field('INVOICE_RECEIPT_DATE', '12/30/2027')] }], $metadata: {} }, { dateOrder: 'MDY', today });
    expect(x.date).toBeNull();
  });
});

describe('reading amounts, dates and currencies', () => {
  it.each([
    ['$1,810.46', 'USD', 181046], ['1.234,56', 'EUR', 123456], ['RM9.00', 'MYR', 900], ['12.5', 'USD', 1250], ['1,234', 'USD', 123400], ['¥1,200', 'JPY', 1200], ['3.450', 'KWD', 3450], ['0.00', 'USD', 0],
  ])('%s in %s is %i minor units', (text, currency, minor) => expect(amountIn(text, currency)).toBe(minor));

  it.each([
    ['11/01/2019', 'DMY', '2019-01-11'], ['11/01/2019', 'MDY', '2019-11-01'], ['25/12/18', 'MDY', '2018-12-25'], ['2019-03-07', 'DMY', '2019-03-07'], ['01-Jan-2021', 'MDY', '2021-01-01'], ['Dec 7, 2019', 'DMY', '2019-12-07'], ['30 MAC 2018', 'DMY', '2018-03-30'], ['DATE :100CT 2017 TUE', 'DMY', '2017-10-10'], ['Date 0ct 3.2016 12:16:25 PM', 'DMY', '2016-10-03'], ['02/02/1719:46', 'DMY', '2017-02-02'],
    ['19/03/07', 'YMD', '2019-03-07'], ['31/12/18', 'YMD', '2018-12-31'], ['07/03/2019', 'YMD', '2019-03-07'], ['05/12/2026', 'DMY', '2026-05-12'],
  ] as const)('%s read %s is %s', (text, order, date) => expect(datesIn(text, order, today)[0]).toBe(date));

  it('given a date impossible or in the future in every order, then none', () => {
    expect(datesIn('31/31/18', 'YMD', today)).toEqual([]);
    expect(datesIn('12/12/2027', 'DMY', today)).toEqual([]);
  });

  it("given a receipt's text, then the order its own dates prove, or none", () => {
    expect(dateOrderEvidence('Date 13/03/2017 10:00 and 01/02/2017', today)).toBe('DMY');
    expect(dateOrderEvidence('Statement Date 09/30/10', today)).toBe('MDY');
    expect(dateOrderEvidence('12/07/2019 and 2019-12-07 and 7 Dec 2019', today)).toBeNull();
    expect(dateOrderEvidence('13/07/2019 07/13/2019', today)).toBeNull();
  });

  it('given a line with a date and a time, then the date as printed (what Textract gives as its value)', () => {
    expect(printedDateIn('Doc No. CS00004040 Date:11/01/2019', today)).toBe('11/01/2019');
    expect(printedDateIn('Inv No :GKJ30785499 Bate:02/02/1719:46', today)).toBe('02/02/17');
    expect(printedDateIn('DATE :100CT 2017 TUE', today)).toBe('100CT 2017');
    expect(printedDateIn('Tel 03-5547 360', today)).toBeNull();
  });

  it('given a text labelling several dates, then the first one labelled as a date that is not a due, expiry or print date', () => {
    expect(labelledDateIn('Due Date 10/15/10 Statement Date 09/30/10', 'MDY', today)).toBe('2010-09-30');
    expect(labelledDateIn('Card Expiry: 31/05/18', 'DMY', today)).toBeNull();
    expect(labelledDateIn('Account 07/31/10', 'MDY', today)).toBeNull();
  });

  it('given symbols and codes, then currencies', () => {
    expect(currencyIn('TOTAL RM 12.00')).toBe('MYR');
    expect(currencyIn('Total 12,00 €')).toBe('EUR');
    expect(currencyIn('Amount GBP 10.00')).toBe('GBP');
    expect(currencyIn('$12.00', 'AUD')).toBe('AUD');
    expect(currencyIn('$12.00', 'EUR')).toBe('USD');
    expect(currencyIn('TOTAL 12.00')).toBeNull();
  });
});
