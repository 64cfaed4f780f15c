import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { decimalAmount } from '../shared/money.ts';
import type { ExpenseLike } from './summary.ts';

export type CsvExpense = ExpenseLike & { note?: string | null; receiptId?: string | null; categorySource?: string };

export const CSV_HEADER = ['date', 'merchant', 'category', 'amount', 'currency', 'note', 'receipt_id', 'expense_id'];

/**
 * A spreadsheet opening the file must not run a cell as a formula (CSV injection, OWASP):
 * text starting with = + - @ tab or CR gets a leading apostrophe.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function rowOf(e: CsvExpense): string[] {
  return [e.date, e.merchant, e.category, decimalAmount(e.amount, e.currency), e.currency, e.note ?? '', e.receiptId ?? '', e.expense_id].map((cell, i) =>
    // Amounts (column 3) are numbers we wrote; every other cell may carry user text.
    i === 3 ? cell : neutralizeFormula(cell),
  );
}

/**
 * RFC 4180 CSV (UTF-8, CRLF, header row) streamed from expense pages: memory stays one page,
 * whatever the number of rows. `onRow` counts what was written.
 */
export function expensesCsv(pages: AsyncIterable<CsvExpense[]>, onRow?: () => void): Readable {
  // A lone LF inside a cell must be quoted too (RFC 4180); csv-stringify only checks the record delimiter.
  const csv = stringify({ header: true, columns: CSV_HEADER, record_delimiter: 'windows', bom: false, quoted_match: [/[\r\n]/, /^\s|\s$/] });
  (async () => {
    for await (const page of pages) {
      for (const expense of page) {
        onRow?.();
        if (!csv.write(rowOf(expense))) await new Promise((resolve) => csv.once('drain', resolve));
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
