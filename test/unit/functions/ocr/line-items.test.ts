import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowsOf, type TextLine } from '../../../../functions/ocr/layout-rules.ts';
import { readLineItems } from '../../../../functions/ocr/line-items.ts';
import { amountIn } from '../../../../functions/ocr/receipt-text.ts';
import { PROJECT_ROOT } from '../../../../local/stack.ts';

/**
 * The line-item rules on what the local OCR engine really reads: each fixture is PaddleOCR's
 * lines (text, confidence, box) for the item part of a receipt, from the column headings to the
 * totals, with the recognizer's slips kept (glued words, `RH` for `RM`, a stray `mnan`). The
 * geometry is the engine's; the words and prices are the project's own, so the fixtures may be
 * redistributed. Each receipt's printed total is given beside it.
 */
const linesOf = (name: string) =>
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/ocr-lines', `${name}.json`), 'utf8')) as TextLine[];
const PRINTED_TOTALS: Record<string, string> = {
  'numbers-above-description': '261.00',
  'description-above-numbers': '9.60',
  'wrapped-description': '89.80',
  'quantity-line-under-item': '45.35',
  'member-discounts': '41.00',
};
const itemsOf = (name: string) => readLineItems(rowsOf(linesOf(name)), 'MYR');

describe('line items from OCR rows', () => {
  it.each(Object.keys(PRINTED_TOTALS))(
    'given a receipt with %s, when read, then the item prices add up to the printed total, within its 2-sen rounding',
    (name) => {
      const sum = itemsOf(name).reduce((total, item) => total + item.price.amount, 0);
      expect(Math.abs(sum - amountIn(PRINTED_TOTALS[name], 'MYR')!)).toBeLessThanOrEqual(2);
    },
  );

  it('given numbers printed above their description, then each description goes with the numbers above it, and quantity × unit price = price', () => {
    const items = itemsOf('numbers-above-description');
    expect(items).toHaveLength(8);
    expect(items[0]).toMatchObject({
      description: { text: 'SERVICE LAWNMOWER BLADE(1UNIT) labour&parts' },
      price: { amount: 4500 },
      quantity: { value: 1 },
      unitPrice: { amount: 4500 },
    });
    expect(items[7]).toMatchObject({
      description: { text: 'TRIMMERLINE2MM' },
      price: { amount: 4200 },
      quantity: { value: 3 },
      unitPrice: { amount: 1400 },
    });
  });

  it('given descriptions printed above their numbers, then each item has the description above it', () => {
    expect(itemsOf('description-above-numbers').map((i) => [i.description?.text, i.price.amount])).toEqual([
      ['CORNETTO CLASSICO 90ML', 220],
      ['CORNETTO CLASSIC O 90ML', 220],
      ['SOLERO MANGO 70ML', 390],
      ['Mentos mint 37g', 130],
    ]);
  });

  it('given a description wrapped onto the rows below its price, then the wrapped words join it and the row number and quantity leave it', () => {
    const items = itemsOf('wrapped-description');
    expect(items[0].description?.text).toBe('07SGRILLED CHICKENWING SMALL mnan');
    expect(items[4]).toMatchObject({
      description: { text: '131PLAINRICE' },
      quantity: { value: 4 },
      unitPrice: { amount: 180 },
      price: { amount: 720 },
    });
  });

  it('given a row "3 X RM 3.38" under an item of RM10.14, then it is that item\'s quantity and unit price, not another item', () => {
    const items = itemsOf('quantity-line-under-item');
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ price: { amount: 1014 }, quantity: { value: 3 }, unitPrice: { amount: 338 } });
    expect(items[0].rows).toHaveLength(2);
  });

  it('given discounts printed under items, then they are items with negative prices', () => {
    expect(
      itemsOf('member-discounts')
        .filter((i) => i.price.amount < 0)
        .map((i) => i.price.amount),
    ).toEqual([-24, -78, -299]);
  });

  it('given "@ unit price" lines under items, some under a wrapped description, then each is its item\'s unit price, not an item', () => {
    let top = 0.1;
    const line = (text: string): TextLine => ({
      text,
      confidence: 0.9,
      box: { left: 0.1, top: (top += 0.03), width: 0.6, height: 0.02 },
      page: 1,
    });
    const rows = rowsOf(
      [
        'Qty Description Total (RM)',
        '2 C004 STIRRED CURRY 37.80',
        '@RM18.90',
        'T002S SPICY TOM YAM 50.00',
        'SEAFOOD (S)',
        '@RM25.00',
        'SUBTOTAL: 87.80',
      ].map(line),
    );
    expect(
      readLineItems(rows, 'MYR').map((i) => [
        i.description?.text,
        i.quantity?.value,
        i.unitPrice?.amount,
        i.price.amount,
      ]),
    ).toEqual([
      ['C004 STIRRED CURRY', 2, 1890, 3780],
      ['T002S SPICY TOM YAM SEAFOOD (S)', undefined, 2500, 5000],
    ]);
  });

  it('given numeric columns between the description and the price (issued, exchanged, returned, sold), then they are not part of the description', () => {
    let top = 0.1;
    const line = (text: string): TextLine => ({
      text,
      confidence: 0.9,
      box: { left: 0.1, top: (top += 0.03), width: 0.8, height: 0.02 },
      page: 1,
    });
    const rows = rowsOf(
      [
        'Description U.P Iss Exc D Sale Amt(RM)',
        'O.C. WHITE 2.13 10 1 0 9 19.17',
        'LG FLATSCREEN 65 899.99',
        'Total 919.16',
      ].map(line),
    );
    expect(
      readLineItems(rows, 'MYR').map((i) => [i.description?.text, i.quantity?.value, i.unitPrice?.amount]),
    ).toEqual([
      ['O.C. WHITE', 9, 213],
      ['LG FLATSCREEN 65', undefined, undefined],
    ]);
  });

  it('given rows with no priced row between header and totals, then no items', () => {
    let top = 0.1;
    const line = (text: string): TextLine => ({
      text,
      confidence: 0.9,
      box: { left: 0.1, top: (top += 0.05), width: 0.5, height: 0.02 },
      page: 1,
    });
    expect(readLineItems(rowsOf([line('CORNER STORE'), line('Date 01/02/2019'), line('THANK YOU')]), 'USD')).toEqual(
      [],
    );
  });
});
