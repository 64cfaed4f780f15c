import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnalyzeExpenseCommandOutput } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
import type { TextLine } from '../../../../functions/ocr/layout-rules.ts';
import { parseAnalyzeExpense } from '../../../../functions/ocr/parse-analyze-expense.ts';
import { amountIn, datesIn, decimalMarkOf } from '../../../../functions/ocr/receipt-text.ts';
import { labelPattern, monthNumber } from '../../../../functions/ocr/receipt-vocabulary.ts';
import { PROJECT_ROOT } from '../../../../local/stack.ts';
import { analyzeExpenseResponse } from '../../../../local/textract.ts';

/**
 * The reading rules on receipts typed by hand in twenty-six languages (test/fixtures/receipt-rows):
 * each goes the local way (rows → the local Textract's AnalyzeExpense response → the parser)
 * and the AWS way (the same rows as bare LINE blocks, as Textract's lines reach the parser),
 * read for a user whose home currency is none of theirs.
 */
type Row = string | [string, string];
interface Fixture {
  name: string;
  rows: Row[];
  expect: { merchant: string; total: number; date: string; currency: string; tax?: number };
}
const fixtures = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/receipt-rows/receipts.json'), 'utf8'),
) as Fixture[];
const today = new Date('2026-11-24T12:00:00Z');

function linesOf(rows: Row[]): TextLine[] {
  return rows.flatMap((row, i) => {
    const top = 0.03 + i * 0.04;
    const line = (text: string, left: number, width: number): TextLine => ({
      text,
      confidence: 0.97,
      page: 1,
      box: { left, top, width, height: 0.025 },
    });
    if (typeof row === 'string') return [line(row, 0.05, Math.min(0.9, row.length * 0.02))];
    return [line(row[0], 0.05, 0.4), ...(row[1] ? [line(row[1], 0.7, 0.25)] : [])];
  });
}

const read = (response: object) =>
  parseAnalyzeExpense({ ...response, $metadata: {} } as AnalyzeExpenseCommandOutput, {
    dateOrder: 'MDY',
    homeCurrency: 'JPY',
    today,
  });

const lineBlocks = (lines: TextLine[]) => ({
  ExpenseDocuments: [
    {
      Blocks: lines.map((l, i) => ({
        BlockType: 'LINE',
        Id: `l${i}`,
        Text: l.text,
        Confidence: 97,
        Page: 1,
        Geometry: { BoundingBox: { Left: l.box.left, Top: l.box.top, Width: l.box.width, Height: l.box.height } },
      })),
    },
  ],
});

describe('reading receipts in any of the languages', () => {
  describe.each(fixtures)('given $name', (fixture) => {
    it.each([
      ['the local Textract', (lines: TextLine[]) => analyzeExpenseResponse(lines, { today })],
      ["Textract's lines alone", lineBlocks],
    ])('when read through %s, then merchant, total, date and currency are what is printed', (_path, respond) => {
      const x = read(respond(linesOf(fixture.rows)));
      expect(x.merchant?.value).toBe(fixture.expect.merchant);
      expect(x.total?.amount).toBe(fixture.expect.total);
      expect(x.date?.value).toBe(fixture.expect.date);
      expect(x.currency).toMatchObject({ value: fixture.expect.currency });
      expect(x.currency!.confidence).toBeGreaterThanOrEqual(0.6);
      if (fixture.expect.tax !== undefined) expect(x.tax?.amount).toBe(fixture.expect.tax);
    });
  });

  it('given a receipt that names no currency at all, then the currency is the home currency marked as a guess', () => {
    const x = read(analyzeExpenseResponse(linesOf(['CORNER SHOP', ['TOTAL', '12.50'], '01/02/2024']), { today }));
    expect(x.currency).toEqual({ value: 'JPY', confidence: 0.3 });
  });
});

describe('amounts in the convention the receipt uses', () => {
  it.each([
    ['Summe 24,23\nBar 50,00\n02.03.20', ','],
    ['TOTAL 1,234.50\nCASH 1,300.00', '.'],
    ['Akkuschrauber 1.129,00\nzu zahlen 1.129,00', ','],
    ['Rp 25.000\nRp 47.730', null],
  ])('given %j, then its decimal mark is %s (dates and times do not count)', (text, mark) => {
    expect(decimalMarkOf(text)).toBe(mark);
  });

  it.each([
    ['1.129,00', ',', 112900],
    ['1,129.00', '.', 112900],
    ['1.129', ',', 112900],
    ['24,23 EUR', ',', 2423],
    ['-0,50', ',', -50],
    ['24.23', ',', 2423],
  ] as const)('given %s on a receipt whose decimal mark is "%s", then %i cents', (text, mark, cents) => {
    expect(amountIn(text, 'EUR', mark)).toBe(cents);
  });
});

describe('dates as receipts print them', () => {
  it.each([
    ['02.03.20 18:41', '2020-03-02'],
    ['14.05.2020', '2020-05-14'],
    ['08.04.2009:51 Bon', '2020-04-08'],
    ['16:1404/03/18', '2018-03-04'],
    ['100021911/03/201806:20 PM', '2018-03-11'],
    ['17/01/20188.08:53', '2018-01-17'],
    ['24 Mar 1809:12:41 PM', '2018-03-24'],
    ['日期:2023年5月12日 14:05', '2023-05-12'],
    ['2023년 5월 12일', '2023-05-12'],
    ['2023. 05. 12. 14:05', '2023-05-12'],
    ['RECU 11/12/202212h42', '2022-12-11'],
    ['令和5年5月12日', '2023-05-12'],
    ['令和元年5月12日', '2019-05-12'],
    ['平成30年12月31日', '2018-12-31'],
    ['2023. május 12. 14:05', '2023-05-12'],
    ['2023 m. gegužės 12 d.', '2023-05-12'],
    ['2023-10-21T08:15:00', '2023-10-21'],
    ['10.21.2023', '2023-10-21'],
    ['00440010036 25032018 13:11:54 0003', '2018-03-25'],
    ['Date/Time 20180428/191204', '2018-04-28'],
    ['12 martie 2023', '2023-03-12'],
    ['12. marca 2023', '2023-03-12'],
    ['12. aprill 2023', '2023-04-12'],
    ['2. März 2020', '2020-03-02'],
    ['le 7 janvier 2021', '2021-01-07'],
    ['15 de agosto de 2023', '2023-08-15'],
    ['3 marzo 2023', '2023-03-03'],
    ['21 mei 2022', '2022-05-21'],
    ['9 de maio de 2023', '2023-05-09'],
    ['05 Mac 2019', '2019-03-05'],
    ['12 Agustus 2023', '2023-08-12'],
    ['09:48 02.03,2020', '2020-03-02'],
    ['23,03.20 15:32 8665107', '2020-03-23'],
    ['ORD #07-REG #19-10/03/201817:24:07', '2018-03-10'],
    ['20 05.2020 14:47 Kasse 01', '2020-05-20'],
    ['20.05 2020 14:47', '2020-05-20'],
    ['CB#: 4597 25/Fe0/20170743:54', '2017-02-25'],
    ['02/Ja0/2017 10:49:25', '2017-01-02'],
    ['11/De0/2019', '2019-12-11'],
    ['12 maj 2023', '2023-05-12'],
    ['5 października 2023', '2023-10-05'],
    ['3. huhtikuuta 2023', '2023-04-03'],
    ['7. března 2023', '2023-03-07'],
    ['12 Ağustos 2023', '2023-08-12'],
    // A month name's O read as a zero, in any language's abbreviation.
    ['Data: 30 0ut 2023 18:24', '2023-10-30'],
    ['7 ag0 2024 12:10', '2024-08-07'],
    ['12 0tt 2022', '2022-10-12'],
    ['3 0kt 2021', '2021-10-03'],
  ])('given %j, then %s', (text, date) => {
    expect(datesIn(text, 'DMY', today)[0]).toBe(date);
  });

  it('given an amount with a comma and a point ("1,234.50", "12,50"), then no date is read from it', () => {
    expect(datesIn('TOTAL 1,234.50 CASH 12,50', 'DMY', today)).toEqual([]);
  });

  it('given a quantity beside a price ("3 12.50"), or a two-letter stem naming two months ("Ma0"), then no date is made up', () => {
    expect(datesIn('3 12.50', 'DMY', today)).toEqual([]);
    expect(datesIn('05/Ma0/2019', 'DMY', today)).toEqual([]);
    // Eight digits before a time that make no day either way (a reference, a barcode).
    expect(datesIn('REF 12345678 08:15', 'DMY', today)).toEqual([]);
  });

  it('given month names with or without their accents, then their numbers', () => {
    expect([monthNumber('März'), monthNumber('MARZ'), monthNumber('février'), monthNumber('Fevrier')]).toEqual([
      3, 3, 2, 2,
    ]);
  });
});

describe('the vocabulary table', () => {
  it.each([
    ['owed', 'zu zahlen 24,23', true],
    ['owed', 'Net à payer 44,01', true],
    ['owed', 'Te betalen 10,44', true],
    ['total', 'Zwischensumme 10,00', false],
    ['subtotal', 'Zwischensumme 10,00', true],
    ['change', 'Rückgeld 3,33', true],
    ['tendered', 'Geg. Bar 20,00', true],
    ['tax', 'MwSt. 19% 3,87', true],
    ['tax', 'BTW 9% 0,86', true],
    ['tip', 'Trinkgeld 2,00', true],
    ['owed', 'Att betala 60,00', true],
    ['owed', 'Do zapłaty 8,19', true],
    ['owed', 'K úhradě 63,90', true],
    ['total', 'I alt 55,00', true],
    ['total', 'Yhteensä 7,70', true],
    ['total', 'TOPLAM 25,00', true],
    ['change', 'Växel 40,00', true],
    ['change', 'PARA ÜSTÜ 25,00', true],
    ['tendered', 'Gotówka 10,00', true],
    ['tax', 'Herav mva 15% 10,96', true],
    ['tax', 'DPH 12% 6,85', true],
    ['notTotal', 'SUMA PTU 0,39', true],
    ['tax', 'Daň 21% 6,85', true],
    ['tax', 'Kedai Ubat Dan Runcit 12.00', false],
  ] as const)('given the %s labels and %j, then it matches: %s', (kind, text, matches) => {
    expect(labelPattern(kind).test(text)).toBe(matches);
  });
});
