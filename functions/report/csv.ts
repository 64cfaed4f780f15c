import { Readable } from 'node:stream';
import { csvStringifier, neutralizeFormula } from '../shared/csv-cells.ts';
import { decimalAmount } from '../shared/money.ts';
import type { ExpenseLike } from './summary.ts';

export type CsvExpense = ExpenseLike & { note?: string | null; receiptId?: string | null; categorySource?: string };

export const CSV_HEADER = [
  'date',
  'merchant',
  'category',
  'amount',
  'currency',
  'note',
  'receipt_id',
  'receipt_link',
  'expense_id',
  // The amount in the home currency as stored with the expense (empty while it needs a rate).
  'converted_amount',
  'converted_currency',
  'rate',
  'rate_date',
];

export { neutralizeFormula };

/** Cells that are numbers, codes or days we wrote: never formulas, never neutralized. */
const WRITTEN_COLUMNS = new Set(
  ['amount', 'converted_amount', 'converted_currency', 'rate', 'rate_date'].map((c) => CSV_HEADER.indexOf(c)),
);

function rowOf(e: CsvExpense, receiptLink: string): string[] {
  return [
    e.date,
    e.merchant,
    e.category,
    decimalAmount(e.amount, e.currency),
    e.currency,
    e.note ?? '',
    e.receiptId ?? '',
    receiptLink,
    e.expense_id,
    e.converted ? decimalAmount(e.converted.amount, e.converted.currency) : '',
    e.converted?.currency ?? '',
    e.converted?.rate ?? '',
    e.converted?.rateDate ?? '',
  ].map((cell, i) =>
    // Amounts are numbers we wrote; every other cell may carry user text.
    WRITTEN_COLUMNS.has(i) ? cell : neutralizeFormula(cell),
  );
}

export interface CsvOptions {
  /** Called once per expense written. */
  onRow?: () => void;
  /** Links to the receipt images of one page's receipt ids (ids without an image left out); no links when absent. */
  receiptLinks?: (receiptIds: string[]) => Promise<Map<string, string>>;
}

/**
 * RFC 4180 CSV (UTF-8, CRLF, header row) streamed from expense pages: a page is read only
 * when the reader has taken the rows before it, so memory stays one page whatever the number
 * of rows.
 */
export function expensesCsv(pages: AsyncIterable<CsvExpense[]>, options: CsvOptions = {}): Readable {
  const csv = csvStringifier(CSV_HEADER);
  (async () => {
    for await (const page of pages) {
      const ids = [...new Set(page.map((e) => e.receiptId).filter((id): id is string => !!id))];
      const links = options.receiptLinks && ids.length ? await options.receiptLinks(ids) : new Map<string, string>();
      for (const expense of page) {
        options.onRow?.();
        if (!csv.write(rowOf(expense, (expense.receiptId && links.get(expense.receiptId)) || '')))
          await new Promise((resolve) => csv.once('drain', resolve));
      }
    }
    csv.end();
  })().catch((error: Error) => csv.destroy(error));
  return csv;
}

export async function csvText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
