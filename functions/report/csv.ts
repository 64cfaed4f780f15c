import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { decimalAmount } from '../shared/money.ts';
import type { ExpenseLike } from './summary.ts';

export type CsvExpense = ExpenseLike & { note?: string | null; receiptId?: string | null; categorySource?: string };

export const CSV_HEADER = ['date', 'merchant', 'category', 'amount', 'currency', 'note', 'receipt_id', 'receipt_link', 'expense_id'];

/**
 * A spreadsheet opening the file must not run a cell as a formula (CSV injection, OWASP):
 * text starting with = + - @ tab or CR gets a leading apostrophe.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const AMOUNT_COLUMN = CSV_HEADER.indexOf('amount');

function rowOf(e: CsvExpense, receiptLink: string): string[] {
  return [e.date, e.merchant, e.category, decimalAmount(e.amount, e.currency), e.currency, e.note ?? '', e.receiptId ?? '', receiptLink, e.expense_id].map((cell, i) =>
    // Amounts are numbers we wrote; every other cell may carry user text.
    i === AMOUNT_COLUMN ? cell : neutralizeFormula(cell),
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
  // A lone LF inside a cell must be quoted too (RFC 4180); csv-stringify only checks the record delimiter.
  const csv = stringify({ header: true, columns: CSV_HEADER, record_delimiter: 'windows', bom: false, quoted_match: [/[\r\n]/, /^\s|\s$/] });
  (async () => {
    for await (const page of pages) {
      const ids = [...new Set(page.map((e) => e.receiptId).filter((id): id is string => !!id))];
      const links = options.receiptLinks && ids.length ? await options.receiptLinks(ids) : new Map<string, string>();
      for (const expense of page) {
        options.onRow?.();
        if (!csv.write(rowOf(expense, (expense.receiptId && links.get(expense.receiptId)) || ''))) await new Promise((resolve) => csv.once('drain', resolve));
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
