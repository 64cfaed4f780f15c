import { Readable } from 'node:stream';
import { csvStringifier, neutralizeFormula } from '../shared/csv-cells.ts';
import { decimalAmount } from '../shared/money.ts';
import { convertedPartsOf, splitsOf } from '../../model/splits.ts';
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
  // A split expense is one row per part (model/splits.ts): its category, amount and converted
  // amount, `split_part` "1/3"…, so the amount column still sums to the spending and a pivot by
  // category counts each part in its own. Empty for an expense that is not split.
  'split_part',
  'split_description',
];

export { neutralizeFormula };

/** Cells that are numbers, codes or days we wrote: never formulas, never neutralized. */
const WRITTEN_COLUMNS = new Set(
  ['amount', 'converted_amount', 'converted_currency', 'rate', 'rate_date', 'split_part'].map((c) =>
    CSV_HEADER.indexOf(c),
  ),
);

/** The rows of an expense: one, or one per part of a split expense (each with its exact share of the converted amount). */
function rowsOf(e: CsvExpense, receiptLink: string): string[][] {
  const parts = splitsOf(e);
  if (parts.length === 0) return [rowOf(e, receiptLink, ['', ''])];
  const converted = e.converted ? convertedPartsOf(e.converted.amount, parts) : [];
  return parts.map((part, i) =>
    rowOf(
      {
        ...e,
        category: part.category,
        amount: part.amount,
        converted: e.converted ? { ...e.converted, amount: converted[i] } : e.converted,
      },
      receiptLink,
      [`${i + 1}/${parts.length}`, part.description ?? ''],
    ),
  );
}

function rowOf(e: CsvExpense, receiptLink: string, split: [string, string]): string[] {
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
    ...split,
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
        for (const row of rowsOf(expense, (expense.receiptId && links.get(expense.receiptId)) || ''))
          if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
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
