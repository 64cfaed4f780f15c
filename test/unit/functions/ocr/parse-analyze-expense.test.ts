import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnalyzeExpenseCommandOutput, Block, ExpenseField } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
import { parseAnalyzeExpense } from '../../../../functions/ocr/parse-analyze-expense.ts';
import {
  amountIn,
  dateOrderEvidence,
  datesIn,
  labelledDateIn,
  printedDateIn,
} from '../../../../functions/ocr/receipt-text.ts';
import { currencyOf } from '../../../../functions/ocr/currency-evidence.ts';
import { PROJECT_ROOT } from '../../../../local/stack.ts';

const DATA = path.join(PROJECT_ROOT, 'test/fixtures/textract');
const real = (name: string) =>
  JSON.parse(readFileSync(path.join(DATA, `${name}.analyze-expense.json`), 'utf8')) as AnalyzeExpenseCommandOutput;
const today = new Date('2026-11-24T12:00:00Z');

const field = (
  type: string,
  value: string,
  confidence = 99,
  label?: string,
  extra: Partial<ExpenseField> = {},
): ExpenseField => ({
  Type: { Text: type, Confidence: 99 },
  ValueDetection: { Text: value, Confidence: confidence },
  ...(label ? { LabelDetection: { Text: label, Confidence: 99 } } : {}),
  ...extra,
});
let lineTop = 0.05;
const line = (text: string, left = 0.1, page = 1): Block => ({
  BlockType: 'LINE',
  Text: text,
  Confidence: 95,
  Page: page,
  Geometry: { BoundingBox: { Left: left, Top: (lineTop += 0.03), Width: 0.3, Height: 0.02 } },
});
const sameRow = (text: string, left: number): Block => ({
  BlockType: 'LINE',
  Text: text,
  Confidence: 95,
  Page: 1,
  Geometry: { BoundingBox: { Left: left, Top: lineTop, Width: 0.1, Height: 0.02 } },
});

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

  it('given the invoice, whose vendor Textract names only by its web address, then the merchant is that address as printed', () => {
    const x = parseAnalyzeExpense(real('invoice'), { dateOrder: 'DMY', today });
    expect(x.merchant?.value).toBe('Amazon.com');
    // Derived from an address, so a little less sure than the address itself (99 %).
    expect(x.merchant?.confidence).toBeGreaterThan(0.8);
    expect(x.merchant?.confidence).toBeLessThan(0.99);
  });

  it('given sample1, with no receipt date but an OTHER field "Statement Date 09/30/10 Date(s) of Service 07/31/10 …", then the statement date', () => {
    expect(parseAnalyzeExpense(real('sample1'), { dateOrder: 'MDY', today }).date).toEqual({
      value: '2010-09-30',
      confidence: 0.2,
    });
    // 09/30/10 can only be month-first: a day-first user gets the same date.
    expect(parseAnalyzeExpense(real('sample1'), { dateOrder: 'DMY', today }).date?.value).toBe('2010-09-30');
  });

  it('given the MEGA MARKET receipt (12/07/2019) with its US address (CHICAGO, IL), then the date is month-first for any user', () => {
    for (const dateOrder of ['MDY', 'DMY'] as const)
      expect(parseAnalyzeExpense(real('mega-market-receipt'), { dateOrder, today }).date?.value).toBe('2019-12-07');
  });

  const megaMarketWithout = (...printed: string[]) => {
    const response = real('mega-market-receipt');
    return {
      ...response,
      ExpenseDocuments: response.ExpenseDocuments!.map((d) => ({
        ...d,
        Blocks: d.Blocks!.filter((b) => !printed.some((text) => b.Text?.includes(text))),
        SummaryFields: d.SummaryFields!.filter((f) => !printed.some((text) => f.ValueDetection?.Text?.includes(text))),
      })),
    };
  };

  it('given the same receipt without its address and phone (nothing on it says which order), then the date follows the user order', () => {
    const withoutAddress = megaMarketWithout('CHICAGO', '800-532-2918');
    expect(parseAnalyzeExpense(withoutAddress, { dateOrder: 'MDY', today }).date?.value).toBe('2019-12-07');
    expect(parseAnalyzeExpense(withoutAddress, { dateOrder: 'DMY', today }).date?.value).toBe('2019-07-12');
  });

  it('given the receipt without its address but with its North American phone (800-532-2918), then month-first for any user', () => {
    const withPhone = megaMarketWithout('CHICAGO');
    for (const dateOrder of ['MDY', 'DMY'] as const)
      expect(parseAnalyzeExpense(withPhone, { dateOrder, today }).date?.value).toBe('2019-12-07');
  });

  it('given sample2 (costco), then $38.48 with low merchant confidence kept as reported', () => {
    const x = parseAnalyzeExpense(real('sample2'), { dateOrder: 'MDY', today });
    expect(x.total?.amount).toBe(3848);
    expect(x.merchant).toEqual({ value: 'costco', confidence: 0.24 });
  });

  it('given sample1, then every field present is well-formed (no throw, confidences in 0..1)', () => {
    const x = parseAnalyzeExpense(real('sample1'), { dateOrder: 'MDY', today });
    const confidences = [x.merchant, x.date, x.total, x.subtotal, x.tax, x.currency, ...x.lineItems]
      .filter((f) => f !== null)
      .map((f) => f!.confidence);
    expect(confidences.every((c) => c >= 0 && c <= 1)).toBe(true);
    expect(x.total?.amount).toBe(5000);
  });
});

describe('edge cases', () => {
  it('given no summary fields, then the layout rules read the LINE blocks (label and amount on one row)', () => {
    lineTop = 0.05;
    const blocks = [
      line('SOON HUAT MACHINERY ENTERPRISE'),
      line('NO.53 JALAN PUTRA 1'),
      line('Date: 11/01/2019  10:32'),
      line('SUB TOTAL'),
      sameRow('300.00', 0.7),
      line('GST 6%'),
      sameRow('18.00', 0.7),
      line('TOTAL'),
      sameRow('RM327.00', 0.7),
      line('CASH'),
      sameRow('400.00', 0.7),
      line('CHANGE'),
      sameRow('73.00', 0.7),
    ];
    const x = parseAnalyzeExpense(
      { ExpenseDocuments: [{ SummaryFields: [], Blocks: blocks }], $metadata: {} },
      { dateOrder: 'DMY', today },
    );
    expect(x.merchant?.value).toBe('SOON HUAT MACHINERY ENTERPRISE');
    expect(x.date?.value).toBe('2019-01-11');
    expect(x.total?.amount).toBe(32700);
    expect(x.subtotal?.amount).toBe(30000);
    expect(x.currency?.value).toBe('MYR');
  });

  it('given no total row, then the amount paid minus the change is the total', () => {
    lineTop = 0.05;
    const blocks = [
      line('PASAR MINI JIN SENG'),
      line('VEGETABLES 5.50'),
      line('CASH'),
      sameRow('100.00', 0.7),
      line('CASH CHANGE'),
      sameRow('55.10', 0.7),
    ];
    const x = parseAnalyzeExpense(
      { ExpenseDocuments: [{ SummaryFields: [], Blocks: blocks }], $metadata: {} },
      { dateOrder: 'DMY', today },
    );
    expect(x.total?.amount).toBe(4490);
  });

  it('given several TOTAL candidates, then the grand total wins over a total before discount', () => {
    const fields = [
      field('TOTAL', '$45.00', 95, 'TOTAL'),
      field('TOTAL', '$52.10', 90, 'GRAND TOTAL'),
      field('TOTAL', '3', 40, 'TOTAL ITEMS'),
    ];
    expect(
      parseAnalyzeExpense({ ExpenseDocuments: [{ SummaryFields: fields }], $metadata: {} }, { dateOrder: 'MDY', today })
        .total?.amount,
    ).toBe(5210);
  });

  const at = (top: number) => ({
    Geometry: { BoundingBox: { Left: 0.5, Top: top, Width: 0.2, Height: 0.02 } },
    Confidence: 99,
  });
  const placed = (type: string, value: string, label: string, top: number): ExpenseField => ({
    Type: { Text: type, Confidence: 99 },
    LabelDetection: { Text: label, ...at(top) },
    ValueDetection: { Text: value, ...at(top) },
    PageNumber: 1,
  });
  const totalOf = (fields: ExpenseField[]) =>
    parseAnalyzeExpense({ ExpenseDocuments: [{ SummaryFields: fields }], $metadata: {} }, { dateOrder: 'MDY', today })
      .total?.amount;

  it('given a TOTAL before a discount and a smaller TOTAL after it, none labelled grand, then the one after the discount (not the largest)', () => {
    const fields = [
      placed('SUBTOTAL', '$50.00', 'SUBTOTAL', 0.4),
      placed('TOTAL', '$52.10', 'TOTAL', 0.45),
      placed('DISCOUNT', '-$5.00', 'COUPON', 0.5),
      placed('TOTAL', '$47.10', 'TOTAL', 0.55),
      placed('OTHER', '$0.00', 'TOTAL SAVINGS', 0.7),
    ];
    expect(totalOf(fields)).toBe(4710);
  });

  it('given a total, a rounding and the rounded total, then the last total before the payment, not a tax summary total printed after it', () => {
    const fields = [
      placed('TOTAL', '45.02', 'TOTAL', 0.4),
      placed('OTHER', '-0.02', 'ROUNDING ADJ', 0.45),
      placed('TOTAL', '45.00', 'TOTAL', 0.5),
      placed('OTHER', '50.00', 'CASH', 0.55),
      placed('TOTAL', '42.45', 'Total', 0.8),
    ];
    expect(totalOf(fields)).toBe(4500);
  });

  it('given TOTAL candidates without geometry, then the one equal to what was paid less the change', () => {
    const fields = [
      field('TOTAL', '$52.10', 95, 'TOTAL'),
      field('TOTAL', '$47.10', 93, 'TOTAL'),
      field('AMOUNT_PAID', '$50.00', 95, 'CASH'),
      field('OTHER', '$2.90', 95, 'CHANGE'),
    ];
    expect(totalOf(fields)).toBe(4710);
  });

  it('given TOTAL candidates without geometry or payment, then the one that is another less the discount printed', () => {
    const fields = [
      field('TOTAL', '$47.10', 95, 'TOTAL'),
      field('TOTAL', '$52.10', 95, 'TOTAL'),
      field('DISCOUNT', '$5.00', 95, 'MEMBER DISCOUNT'),
    ];
    expect(totalOf(fields)).toBe(4710);
  });

  it('given a TOTAL labelled as what is owed and a larger one, then what is owed', () => {
    expect(totalOf([field('TOTAL', '$60.00', 95, 'TOTAL'), field('TOTAL', '$55.00', 95, 'BALANCE DUE')])).toBe(5500);
    expect(totalOf([field('TOTAL', '$60.00', 95, 'TOTAL'), field('AMOUNT_DUE', '$55.00', 95, 'Please pay')])).toBe(
      5500,
    );
  });

  it('given a receipt that prints one of its dates unambiguously month-first, then its ambiguous receipt date is read month-first too, whatever the user order', () => {
    lineTop = 0.05;
    const blocks = [line('CORNER STORE'), line('12/07/2019 12:22 PM'), line('RETURN BY 12/15/2019')];
    const response = {
      ExpenseDocuments: [{ SummaryFields: [field('INVOICE_RECEIPT_DATE', '12/07/2019')], Blocks: blocks }],
      $metadata: {},
    };
    expect(parseAnalyzeExpense(response, { dateOrder: 'DMY', today }).date?.value).toBe('2019-12-07');
    expect(parseAnalyzeExpense(response, { dateOrder: 'MDY', today }).date?.value).toBe('2019-12-07');
  });

  it('given dates that disagree (one only day-first, one only month-first), then the user order decides', () => {
    lineTop = 0.05;
    const blocks = [line('13/07/2019'), line('07/13/2019')];
    const response = {
      ExpenseDocuments: [{ SummaryFields: [field('INVOICE_RECEIPT_DATE', '05/07/2019')], Blocks: blocks }],
      $metadata: {},
    };
    expect(parseAnalyzeExpense(response, { dateOrder: 'DMY', today }).date?.value).toBe('2019-07-05');
    expect(parseAnalyzeExpense(response, { dateOrder: 'MDY', today }).date?.value).toBe('2019-05-07');
  });

  it('given no line items in the response but its text, then the line-item rules read them from the LINE blocks', () => {
    lineTop = 0.05;
    const blocks = [
      line('CORNER STORE'),
      line('Date 05/03/2018 10:06'),
      line('Description Qty Price Amount'),
      line('MILK 1L'),
      line('1 x 2.20 2.20', 0.4),
      line('WHITE BREAD'),
      line('2 x 1.50 3.00', 0.4),
      line('TOTAL'),
      sameRow('5.20', 0.7),
    ];
    const x = parseAnalyzeExpense(
      { ExpenseDocuments: [{ SummaryFields: [], LineItemGroups: [], Blocks: blocks }], $metadata: {} },
      { dateOrder: 'DMY', today },
    );
    expect(x.lineItems.map((i) => [i.description, i.quantity, i.unitPrice, i.amount])).toEqual([
      ['MILK 1L', 1, 220, 220],
      ['WHITE BREAD', 2, 150, 300],
    ]);
  });

  it("given Textract's vendor name with a letter misread, then the brand and the legal form are put right", () => {
    const response = (vendor: string): AnalyzeExpenseCommandOutput => ({
      ExpenseDocuments: [
        {
          SummaryFields: [field('VENDOR_NAME', vendor, 91), field('TOTAL', '12,99', 96, 'Summe')],
          Blocks: [line(vendor), line('Summe 12,99')],
        },
      ],
      $metadata: {},
    });
    const merchant = (vendor: string) => parseAnalyzeExpense(response(vendor), { dateOrder: 'DMY', today }).merchant;
    expect(merchant('Medla Markt')?.value).toBe('Media Markt');
    expect(merchant('KEDAI MAJU SON BHD')?.value).toBe('KEDAI MAJU SDN BHD');
    expect(merchant('Hotel Nord')?.value).toBe('Hotel Nord');
  });

  it('given two pages, then fields of both are used', () => {
    const response: AnalyzeExpenseCommandOutput = {
      ExpenseDocuments: [
        { SummaryFields: [field('VENDOR_NAME', 'Hotel Nord', 97, undefined, { PageNumber: 1 })] },
        { SummaryFields: [field('TOTAL', '1.234,50 €', 96, 'Gesamt', { PageNumber: 2 })] },
      ],
      DocumentMetadata: { Pages: 2 },
      $metadata: {},
    };
    const x = parseAnalyzeExpense(response, { dateOrder: 'DMY', today });
    expect([x.merchant?.value, x.total?.amount, x.currency?.value]).toEqual(['Hotel Nord', 123450, 'EUR']);
  });

  it("given Textract's currency code, then it wins over symbols", () => {
    const x = parseAnalyzeExpense(
      {
        ExpenseDocuments: [{ SummaryFields: [field('TOTAL', '$20.00', 99, 'TOTAL', { Currency: { Code: 'CAD' } })] }],
        $metadata: {},
      },
      { dateOrder: 'MDY', today },
    );
    expect(x.currency?.value).toBe('CAD');
  });

  it('given a date after tomorrow, then it is not taken as the purchase date', () => {
    const x = parseAnalyzeExpense(
      { ExpenseDocuments: [{ SummaryFields: [field('INVOICE_RECEIPT_DATE', '12/30/2027')] }], $metadata: {} },
      { dateOrder: 'MDY', today },
    );
    expect(x.date).toBeNull();
  });
});

describe('reading amounts, dates and currencies', () => {
  it.each([
    ['$1,810.46', 'USD', 181046],
    ['1.234,56', 'EUR', 123456],
    ['RM9.00', 'MYR', 900],
    ['12.5', 'USD', 1250],
    ['1,234', 'USD', 123400],
    ['¥1,200', 'JPY', 1200],
    ['3.450', 'KWD', 3450],
    ['0.00', 'USD', 0],
  ])('%s in %s is %i minor units', (text, currency, minor) => expect(amountIn(text, currency)).toBe(minor));

  it.each([
    ['11/01/2019', 'DMY', '2019-01-11'],
    ['11/01/2019', 'MDY', '2019-11-01'],
    ['25/12/18', 'MDY', '2018-12-25'],
    ['2019-03-07', 'DMY', '2019-03-07'],
    ['01-Jan-2021', 'MDY', '2021-01-01'],
    ['Dec 7, 2019', 'DMY', '2019-12-07'],
    ['30 MAC 2018', 'DMY', '2018-03-30'],
    ['DATE :100CT 2017 TUE', 'DMY', '2017-10-10'],
    ['Date 0ct 3.2016 12:16:25 PM', 'DMY', '2016-10-03'],
    ['02/02/1719:46', 'DMY', '2017-02-02'],
    ['19/03/07', 'YMD', '2019-03-07'],
    ['31/12/18', 'YMD', '2018-12-31'],
    ['07/03/2019', 'YMD', '2019-03-07'],
    ['05/12/2026', 'DMY', '2026-05-12'],
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
    expect(currencyOf('TOTAL RM 12.00').code).toBe('MYR');
    expect(currencyOf('Total 12,00 €').code).toBe('EUR');
    expect(currencyOf('Amount GBP 10.00').code).toBe('GBP');
    expect(currencyOf('$12.00', 'AUD').code).toBe('AUD');
    expect(currencyOf('$12.00', 'EUR').code).toBe('USD');
    expect(currencyOf('TOTAL 12.00', 'EUR')).toMatchObject({ code: 'EUR', confidence: 0.3 });
  });
});
