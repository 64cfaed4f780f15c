import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/**
 * A spreadsheet opening the file must not run a cell as a formula (CSV injection, OWASP):
 * text starting with = + - @ tab or CR gets a leading apostrophe.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV options shared by every file we write: UTF-8, CRLF, a header row, cells with line breaks or edge spaces quoted. */
export function csvStringifier(columns: readonly string[]) {
  // A lone LF inside a cell must be quoted too (RFC 4180); csv-stringify only checks the record delimiter.
  return stringify({
    header: true,
    columns: [...columns],
    record_delimiter: 'windows',
    bom: false,
    quoted_match: [/[\r\n]/, /^\s|\s$/],
  });
}

/**
 * CSV streamed from pages of rows (cells already text): a page is read only when the reader has
 * taken the rows before it. Every cell but those named in `numeric` is neutralized.
 */
export function csvFromPages(
  columns: readonly string[],
  pages: AsyncIterable<string[][]>,
  numeric: ReadonlySet<string> = new Set(),
): Readable {
  const csv = csvStringifier(columns);
  const trusted = columns.map((c) => numeric.has(c));
  (async () => {
    for await (const page of pages) {
      for (const row of page) {
        const cells = row.map((cell, i) => (trusted[i] ? cell : neutralizeFormula(cell)));
        if (!csv.write(cells)) await new Promise((resolve) => csv.once('drain', resolve));
      }
    }
    csv.end();
  })().catch((error: Error) => csv.destroy(error));
  return csv;
}
