import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exportExpenses, type ReportDeps } from '../../../../functions/report/core.ts';
import { csvText, expensesCsv, type CsvExpense } from '../../../../functions/report/csv.ts';
import { decimalAmount } from '../../../../functions/shared/money.ts';

const base: CsvExpense = {
  expense_id: 'E1',
  merchant: 'Shop',
  amount: 1250,
  currency: 'EUR',
  date: '2026-11-20',
  category: 'GROCERIES',
  note: null,
  receiptId: null,
};

async function* pagesOf(...pages: CsvExpense[][]) {
  for (const page of pages) yield page;
}

const HEADER =
  'date,merchant,category,amount,currency,note,receipt_id,receipt_link,expense_id,converted_amount,converted_currency,rate,rate_date,split_part,split_description';

describe('expenses CSV', () => {
  it('given awkward text, when exported, then the CSV is RFC 4180 and formulas are neutralised (golden)', async () => {
    const rows: CsvExpense[] = [
      { ...base, merchant: 'Café "Le Zinc", Paris', note: 'line one\nline two' },
      {
        ...base,
        expense_id: 'E2',
        merchant: '=HYPERLINK("http://evil")',
        note: '+1 234',
        amount: 5,
        currency: 'JPY',
        receiptId: 'R9',
        converted: { amount: 3, currency: 'EUR', rate: '0.00625', rateDate: '2026-11-20', source: 'ECB', stale: false },
      },
      { ...base, expense_id: 'E3', merchant: '@SUM(A1)', note: '-2', amount: 123456, currency: 'BHD' },
      { ...base, expense_id: 'E4', merchant: '\tTabbed', note: '日本語 ✓' },
      { ...base, expense_id: 'E5', merchant: '\r=1+1', note: '\t-3', receiptId: 'R-no-image' },
    ];
    const links = async (ids: string[]) =>
      new Map(
        ids.filter((id) => id === 'R9').map((id) => [id, `https://bucket.test/receipts/${id}.jpg?X-Amz-Expires=900`]),
      );
    const text = await csvText(expensesCsv(pagesOf(rows.slice(0, 2), rows.slice(2)), { receiptLinks: links }));
    expect(text).toBe(
      [
        HEADER,
        '2026-11-20,"Café ""Le Zinc"", Paris",GROCERIES,12.50,EUR,"line one\nline two",,,E1,,,,,,',
        `2026-11-20,"'=HYPERLINK(""http://evil"")",GROCERIES,5,JPY,'+1 234,R9,https://bucket.test/receipts/R9.jpg?X-Amz-Expires=900,E2,0.03,EUR,0.00625,2026-11-20,,`,
        "2026-11-20,'@SUM(A1),GROCERIES,123.456,BHD,'-2,,,E3,,,,,,",
        "2026-11-20,'\tTabbed,GROCERIES,12.50,EUR,日本語 ✓,,,E4,,,,,,",
        // A cell starting with CR: apostrophe first (no formula), and quoted (it holds a line break).
        '2026-11-20,"\'\r=1+1",GROCERIES,12.50,EUR,\'\t-3,R-no-image,,E5,,,,,,',
        '',
      ].join('\r\n'),
    );
  });

  it('given a split expense, when exported, then one row per part, amounts and converted amounts summing exactly', async () => {
    const split: CsvExpense = {
      ...base,
      amount: 10000,
      currency: 'KWD',
      converted: { amount: 3261, currency: 'EUR', rate: '3.261', rateDate: '2026-11-20', source: 'ECB', stale: false },
      splits: [
        { amount: 3334, category: 'GROCERIES', description: 'Food' },
        { amount: 3333, category: 'HOUSEHOLD' },
        { amount: 3333, category: 'DINING' },
      ],
    };
    const text = await csvText(expensesCsv(pagesOf([split])));
    expect(text.split('\r\n').slice(1, 4)).toEqual([
      '2026-11-20,Shop,GROCERIES,3.334,KWD,,,,E1,10.87,EUR,3.261,2026-11-20,1/3,Food',
      '2026-11-20,Shop,HOUSEHOLD,3.333,KWD,,,,E1,10.87,EUR,3.261,2026-11-20,2/3,',
      '2026-11-20,Shop,DINING,3.333,KWD,,,,E1,10.87,EUR,3.261,2026-11-20,3/3,',
    ]);
  });

  it('given minor units, then decimals follow each currency exactly', () => {
    expect(decimalAmount(1, 'EUR')).toBe('0.01');
    expect(decimalAmount(100000, 'USD')).toBe('1000.00');
    expect(decimalAmount(1234, 'JPY')).toBe('1234');
    expect(decimalAmount(1, 'KWD')).toBe('0.001');
  });
});

describe('exportExpenses', () => {
  /** Ports around the export: 100 pages of 100 expenses, and an upload that reads its body slowly, the way S3 would. */
  function exportWorld(pageCount: number) {
    const seen = {
      pagesRead: 0,
      bytesUploaded: 0,
      maxPagesAhead: 0,
      uploads: [] as Array<{ key: string; contentType: string; text: string }>,
      putCalls: 0,
      linkCalls: 0,
    };
    const deps = {
      async *expensePages() {
        for (let p = 0; p < pageCount; p += 1) {
          seen.pagesRead += 1;
          yield Array.from({ length: 100 }, (_, i) => ({
            ...base,
            expense_id: `E${p}-${i}`,
            amount: p * 100 + i + 1,
            receiptId: i % 10 === 0 ? `R${p}-${i}` : null,
            note: 'x'.repeat(200),
          }));
        }
      },
      receiptLinks: async (_owner: string, ids: string[]) => {
        seen.linkCalls += 1;
        return new Map(ids.map((id) => [id, `https://bucket.test/${id}`]));
      },
      objects: {
        put: async () => void (seen.putCalls += 1),
        async upload(key: string, body: Readable, contentType: string) {
          const chunks: Buffer[] = [];
          for await (const chunk of body) {
            chunks.push(Buffer.from(chunk));
            seen.bytesUploaded += chunk.length;
            // Pages read but not yet uploaded: what the export holds in memory right now.
            const pagesUploaded = Math.floor(seen.bytesUploaded / (100 * 250)); // a row is ~250 bytes
            seen.maxPagesAhead = Math.max(seen.maxPagesAhead, seen.pagesRead - pagesUploaded);
            await new Promise((resolve) => setImmediate(resolve));
          }
          seen.uploads.push({ key, contentType, text: Buffer.concat(chunks).toString('utf8') });
        },
        presignGet: async (key: string, seconds: number) => `https://bucket.test/${key}?expires=${seconds}`,
        list: async () => ({ items: [], truncated: false }),
      },
      now: () => new Date('2026-11-30T10:00:00Z'),
    } as unknown as ReportDeps;
    return { deps, seen };
  }

  it('given 10,000 expenses, when exported, then the CSV streams to S3 page by page (memory stays a few pages) and is not returned inline', async () => {
    const { deps, seen } = exportWorld(100);
    const result = await exportExpenses(deps, 'owner-1', '2026-01-01', '2026-12-31');
    expect(result).toMatchObject({
      rowCount: 10_000,
      content: null,
      url: expect.stringContaining('exports/owner-1/expenses-2026-01-01-to-2026-12-31-'),
      expiresAt: '2026-11-30T10:15:00.000Z',
    });
    expect(seen.putCalls).toBe(0); // nothing was buffered into one PutObject
    expect(seen.uploads).toHaveLength(1);
    const lines = seen.uploads[0].text.split('\r\n');
    expect(lines).toHaveLength(10_002); // header, 10,000 rows, the empty string after the last CRLF
    expect(seen.uploads[0].contentType).toBe('text/csv; charset=utf-8');
    // Every tenth expense has a receipt: its link, signed for as long as the download URL.
    expect(lines[1]).toContain(',R0-0,https://bucket.test/R0-0,E0-0,');
    expect(lines[2]).toMatch(/,,,E0-1,,,,,,$/);
    expect(seen.linkCalls).toBe(100);
    // The CSV is ~2.5 MB (100 pages); the export never read more than a few pages ahead of what the
    // upload had taken, so what it holds does not grow with the rows (buffering it all would be 100).
    expect(seen.uploads[0].text.length).toBeGreaterThan(2_400_000);
    expect(seen.maxPagesAhead).toBeLessThanOrEqual(4);
  });

  it('given a small export, then the same CSV also comes back inline', async () => {
    const { deps, seen } = exportWorld(3);
    const result = await exportExpenses(deps, 'owner-1', '2026-11-01', '2026-11-30');
    expect(result.rowCount).toBe(300);
    expect(result.content).toBe(seen.uploads[0].text);
    expect(result.content!.startsWith(`${HEADER}\r\n`)).toBe(true);
  });

  it('given a page read that fails mid-export, then the export fails instead of storing a truncated CSV', async () => {
    const { deps } = exportWorld(0);
    let uploaded = false;
    Object.assign(deps, {
      async *expensePages() {
        yield [base];
        throw new Error('ProvisionedThroughputExceededException');
      },
    });
    deps.objects.upload = async (_key, body) => {
      for await (const chunk of body) void chunk;
      uploaded = true;
    };
    await expect(exportExpenses(deps, 'owner-1', '2026-11-01', '2026-11-30')).rejects.toThrow(
      'ProvisionedThroughputExceededException',
    );
    expect(uploaded).toBe(false);
  });
});
