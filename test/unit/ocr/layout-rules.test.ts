import { describe, expect, it } from 'vitest';
import { cleanName, readLayout, type TextLine } from '../../../functions/ocr/layout-rules.ts';

/** One printed row as OCR lines: the label on the left, the amount on the right. */
function receipt(rows: Array<string | [string, string]>): TextLine[] {
  return rows.flatMap((row, i) => {
    const top = 0.05 + i * 0.03;
    const at = (text: string, left: number): TextLine => ({ text, confidence: 0.95, page: 1, box: { left, top, width: 0.3, height: 0.02 } });
    return typeof row === 'string' ? [at(row, 0.1)] : [at(row[0], 0.1), at(row[1], 0.7)];
  });
}
const today = new Date('2026-11-24T12:00:00Z');
const totalOf = (rows: Array<string | [string, string]>) => readLayout(receipt(rows), 'DMY', today, 'MYR').total?.amount;

describe('layout rules: rounded cash totals', () => {
  it('given a total, a signed rounding adjustment and the rounded total, then the rounded total is what is owed', () => {
    expect(totalOf(['CW HARDWARE SDN BHD', ['Net Total (MYR):', '19.01'], ['Rounding Adj.:', '-0.01'], ['Net Total Rounded (MYR) :', '19.00'], ['Cash', '19.00'], ['Change', '0.00']])).toBe(1900);
  });

  it('given an adjustment OCR read without its sign or zero, then the sum printed below it (what was paid) decides', () => {
    expect(totalOf(['99 SPEED MART S/B', ['Total Sales (Inclusive GST) RM', '45.34'], ['Rounding Adjustment RM', '.01'], ['Rounding RM', '45.35'], ['CREDIT RM', '45.35']])).toBe(4535);
  });

  it('given a rounding adjustment whose result is printed nowhere, then the total stays as printed', () => {
    expect(totalOf(['SHOP', ['TOTAL', '12.34'], ['Rounding', '0.01'], ['Thank you', '']])).toBe(1234);
  });

  it('given no rounding row, then the total is the owed row as before', () => {
    expect(totalOf(['SHOP', ['Sub Total', '10.00'], ['GST 6%', '0.60'], ['TOTAL', '10.60'], ['CASH', '20.00'], ['CHANGE', '9.40']])).toBe(1060);
  });
});

describe('layout rules: names', () => {
  it.each([
    ['AEON C0.(M)BHD', 'AEON CO.(M)BHD'],
    ['TasteOfTheWorId Sdn Bhd', 'TasteOfTheWorld Sdn Bhd'],
    ['99 SPEED MART S/B', '99 SPEED MART S/B'],
    ['GST NO 000584089600', 'GST NO 000584089600'],
    ['ROOM 101 CAFE', 'ROOM 101 CAFE'],
  ])('given %s, then %s (look-alike characters among letters only)', (read, name) => {
    expect(cleanName(read)).toBe(name);
  });

  it('given a receipt headed by a company name with a zero read for an O, then the merchant has the O', () => {
    expect(readLayout(receipt(['AEON C0. (M) BHD', 'No.3, Jalan Kiara', ['TOTAL', '9.90']]), 'DMY', today, 'MYR').merchant?.text).toBe('AEON CO. (M) BHD');
  });
});

describe('layout rules: the merchant', () => {
  const merchantOf = (rows: Array<string | [string, string]>) => readLayout(receipt(rows), 'DMY', today, 'EUR').merchant?.text;

  it('given an item whose name looks like a business ("CAFE CREME 3.80"), then the name at the head is the merchant, not the item', () => {
    expect(merchantOf(['CORNER BAKERY', '12 Rue de la Paix, Lyon', 'DATE: 14/11/2026 08:12', 'CROISSANT 2.40', 'CAFE CREME 3.80', 'TOTAL EUR 8.80'])).toBe('CORNER BAKERY');
  });

  it('given a business name at the head, then it wins over a plainer first row', () => {
    expect(merchantOf(['WELCOME', 'KEDAI RUNCIT MART', 'Jalan 3, Taman Jaya', ['TOTAL', '5.00']])).toBe('KEDAI RUNCIT MART');
  });
});
