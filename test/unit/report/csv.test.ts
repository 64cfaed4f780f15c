import { describe, expect, it } from 'vitest';
import { csvText, expensesCsv, type CsvExpense } from '../../../functions/report/csv.ts';
import { decimalAmount } from '../../../functions/shared/money.ts';

const base: CsvExpense = { expense_id: 'E1', merchant: 'Shop', amount: 1250, currency: 'EUR', date: '2026-11-20', category: 'GROCERIES', note: null, receiptId: null };

async function* pagesOf(...pages: CsvExpense[][]) {
  for (const page of pages) yield page;
}

describe('expenses CSV', () => {
  it('given awkward text, when exported, then the CSV is RFC 4180 and formulas are neutralised (golden)', async () => {
    const rows: CsvExpense[] = [
      { ...base, merchant: 'Café "Le Zinc", Paris', note: 'line one\nline two' },
      { ...base, expense_id: 'E2', merchant: '=HYPERLINK("http://evil")', note: '+1 234', amount: 5, currency: 'JPY', receiptId: 'R9' },
      { ...base, expense_id: 'E3', merchant: '@SUM(A1)', note: '-2', amount: 123456, currency: 'BHD' },
      { ...base, expense_id: 'E4', merchant: '\tTabbed', note: '日本語 ✓' },
    ];
    const text = await csvText(expensesCsv(pagesOf(rows.slice(0, 2), rows.slice(2))));
    expect(text).toBe(
      [
        'date,merchant,category,amount,currency,note,receipt_id,expense_id',
        '2026-11-20,"Café ""Le Zinc"", Paris",GROCERIES,12.50,EUR,"line one\nline two",,E1',
        `2026-11-20,"'=HYPERLINK(""http://evil"")",GROCERIES,5,JPY,'+1 234,R9,E2`,
        "2026-11-20,'@SUM(A1),GROCERIES,123.456,BHD,'-2,,E3",
        "2026-11-20,'\tTabbed,GROCERIES,12.50,EUR,日本語 ✓,,E4",
        '',
      ].join('\r\n'),
    );
  });

  it('given 10,000 expenses in pages, when streamed, then all rows come out while pages are pulled on demand', async () => {
    let produced = 0;
    let producedAtFirstChunk = -1;
    async function* manyPages() {
      for (let p = 0; p < 100; p += 1) {
        produced += 1;
        yield Array.from({ length: 100 }, (_, i) => ({ ...base, expense_id: `E${p}-${i}`, amount: p * 100 + i + 1 }));
      }
    }
    let rows = 0;
    let lines = 0;
    const stream = expensesCsv(manyPages(), () => (rows += 1));
    for await (const chunk of stream) {
      if (producedAtFirstChunk < 0) producedAtFirstChunk = produced;
      lines += String(chunk).split('\r\n').length - 1;
    }
    expect(rows).toBe(10_000);
    expect(lines).toBe(10_001);
    expect(producedAtFirstChunk).toBeLessThan(100);
  });

  it('given minor units, then decimals follow each currency exactly', () => {
    expect(decimalAmount(1, 'EUR')).toBe('0.01');
    expect(decimalAmount(100000, 'USD')).toBe('1000.00');
    expect(decimalAmount(1234, 'JPY')).toBe('1234');
    expect(decimalAmount(1, 'KWD')).toBe('0.001');
  });
});
