import { parse as parseCsvRows } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { parseSync as parseOfxText } from 'ofx-js';
import type {
  StatementAmountSign,
  StatementCsvMapping,
  StatementCsvMappingInput,
  StatementFormat,
} from '../../generated/graphql.ts';
import { isCurrencyCode } from '../../model/currencies.ts';
import { minorUnitDigits } from '../shared/money.ts';

/**
 * Statement files to lines: CSV (csv-parse, with a column mapping), OFX/QFX 1.x and 2.x (ofx-js)
 * and ISO 20022 camt.053 (fast-xml-parser). Pure: bytes in, lines out; a line that cannot be
 * read carries its `problem` instead of failing the file; a file that cannot be read at all
 * throws StatementFileError.
 */
export interface ParsedLine {
  /** Position in the file, from 1. */
  index: number;
  date: string | null;
  /** Signed integer minor units: negative is money out. */
  amount: number | null;
  currency: string | null;
  description: string;
  /** The bank's own id of the transaction (OFX FITID, camt AcctSvcrRef / NtryRef), when it gives one. */
  transactionId: string | null;
  problem: string | null;
}

export interface ParsedStatement {
  format: StatementFormat;
  account: string | null;
  currency: string | null;
  lines: ParsedLine[];
}

export class StatementFileError extends Error {
  constructor(
    message: string,
    readonly field: string = 'uploadId',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StatementFileError';
  }
}

/** UTF-8 (BOM or not); a file that is not valid UTF-8 is read as Windows-1252, what most bank exports use otherwise. */
export function decodeStatement(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/** The format by content, never by the file name. */
export function detectFormat(text: string): StatementFormat {
  const head = text.slice(0, 4096).trimStart();
  if (/^OFXHEADER\s*:/i.test(head) || /<OFX>/i.test(head) || /<\?OFX\s/i.test(head)) return 'OFX';
  if (/<(\w+:)?Document[\s>]/.test(head) && /camt\.053|BkToCstmrStmt/.test(text.slice(0, 65536))) return 'CAMT053';
  return 'CSV';
}

/**
 * A decimal amount as text to signed integer minor units, exactly (no float arithmetic):
 * thousands separators, currency symbols, `(12.40)`, `12.40-`, `12.40 DR` are understood.
 */
export function minorUnitsOf(text: string, currency: string, decimalSeparator: '.' | ','): number | null {
  let s = text.trim();
  if (!s) return null;
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  const dr = /\s*(DR|CR|D|C)$/i.exec(s);
  if (dr) {
    if (/^D/i.test(dr[1])) negative = !negative;
    s = s.slice(0, dr.index);
  }
  s = s.replace(/[^\d.,+\-]/g, '');
  if (s.endsWith('-')) {
    negative = !negative;
    s = s.slice(0, -1);
  }
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  const thousands = decimalSeparator === '.' ? ',' : '.';
  s = s.split(thousands).join('');
  const parts = s.split(decimalSeparator);
  if (parts.length > 2 || !/^\d+$/.test(parts[0] || '0') || (parts[1] !== undefined && !/^\d*$/.test(parts[1])))
    return null;
  if (!parts[0] && !parts[1]) return null;
  const digits = minorUnitDigits(currency);
  let fraction = parts[1] ?? '';
  // More decimals than the currency has are fine only when they are zeros (12.400 EUR).
  if (fraction.length > digits) {
    if (!/^0*$/.test(fraction.slice(digits))) return null;
    fraction = fraction.slice(0, digits);
  }
  const units = Number((parts[0] || '0') + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(units)) return null;
  return negative && units !== 0 ? -units : units;
}

/** A line, with its problems (if any) joined into one. */
function lineOf(
  index: number,
  fields: { date: string | null; amount: number | null; currency: string; description: string },
  transactionId: string | null,
  problems: string[],
): ParsedLine {
  return {
    index,
    date: fields.date,
    amount: fields.amount,
    currency: isCurrencyCode(fields.currency) ? fields.currency : null,
    description: fields.description,
    transactionId,
    problem: problems.length ? problems.join('; ') : null,
  };
}

export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'DD-MM-YYYY',
  'YYYYMMDD',
  'DD/MM/YY',
  'MM/DD/YY',
  'DD.MM.YY',
  'DD-MM-YY',
] as const;

function isoDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1970 || year > 9999) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** A day written in `format` (anything after it, such as a time, is ignored) to YYYY-MM-DD. */
export function dayOf(text: string, format: string): string | null {
  const s = text.trim();
  const pattern = format
    .replace(/YYYY/, '(?<y>\\d{4})')
    .replace(/YY/, '(?<yy>\\d{2})')
    .replace(/MM/, '(?<m>\\d{1,2})')
    .replace(/DD/, '(?<d>\\d{1,2})')
    .replace(/[./]/g, (c) => `\\${c}`);
  const fixedWidth = format === 'YYYYMMDD' ? pattern.replace('{1,2}', '{2}').replace('{1,2}', '{2}') : pattern;
  const match = new RegExp(`^${fixedWidth}(?![\\d])`).exec(s);
  if (!match?.groups) return null;
  const g = match.groups;
  const year = g.y ? Number(g.y) : 2000 + Number(g.yy);
  return isoDay(year, Number(g.m), Number(g.d));
}

// ---------------------------------------------------------------------------------------------
// CSV

export interface CsvTable {
  delimiter: string;
  rows: string[][];
}

const DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter that splits the first lines into the same, largest number of fields. */
export function detectDelimiter(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 10);
  let best = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => l.replace(/"[^"]*"/g, '').split(d).length - 1);
    const min = Math.min(...counts);
    if (min > bestScore) {
      best = d;
      bestScore = min;
    }
  }
  return best;
}

export function readCsvTable(text: string, delimiter?: string | null): CsvTable {
  const d = delimiter ?? detectDelimiter(text);
  try {
    const rows = parseCsvRows(text, {
      delimiter: d,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as string[][];
    return { delimiter: d, rows: rows.filter((r) => r.some((cell) => cell !== '')) };
  } catch (error) {
    throw new StatementFileError(`The CSV file cannot be read: ${(error as Error).message}`, 'uploadId', {
      cause: error,
    });
  }
}

export function columnNamesOf(table: CsvTable, headerRow: boolean): string[] {
  const width = Math.max(0, ...table.rows.map((r) => r.length));
  const header = headerRow ? (table.rows[0] ?? []) : [];
  return Array.from({ length: width }, (_, i) => header[i] || `Column ${i + 1}`);
}

/** A column given by its header (case and spaces aside) or its number from 1, to its position. */
export function columnIndex(columns: string[], ref: string, field: string): number {
  const wanted = ref.trim().toLowerCase();
  const byName = columns.findIndex((c) => c.trim().toLowerCase() === wanted);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(wanted) && Number(wanted) >= 1 && Number(wanted) <= columns.length) return Number(wanted) - 1;
  throw new StatementFileError(`No column "${ref}": the columns are ${columns.join(', ')}`, field);
}

const HEADER_WORDS: Record<'date' | 'amount' | 'debit' | 'credit' | 'description' | 'currency', RegExp> = {
  date: /^(date|datum|fecha|data|booking date|transaction date|trans\.? date|posted|posting date|buchungstag|buchungsdatum|date opération|value date|valuta)$/i,
  amount: /^(amount|betrag|montant|importe|importo|value|sum|amount \(\w+\)|betrag \(\w+\))$/i,
  debit: /^(debit|debits|withdrawal|withdrawals|paid out|money out|soll|débit|cargo|out)$/i,
  credit: /^(credit|credits|deposit|deposits|paid in|money in|haben|crédit|abono|in)$/i,
  description:
    /^(description|payee|memo|details|narrative|reference|merchant|name|transaction|verwendungszweck|buchungstext|beschreibung|empfänger|libellé|concepto|descrizione|text)$/i,
  currency: /^(currency|währung|waehrung|devise|moneda|ccy|cur)$/i,
};

function looksLikeAmount(value: string): boolean {
  return /^[(+\-]?\s*[^\d\s]{0,3}\s*\d[\d.,' ]*\)?\s*(-|CR|DR)?$/i.test(value.trim()) && /\d/.test(value);
}

/** Propose a mapping from the header's words and the values' shapes; the caller may correct it. */
export function proposeMapping(table: CsvTable): StatementCsvMapping {
  const firstRow = table.rows[0] ?? [];
  const headerRow = firstRow.some((cell) => Object.values(HEADER_WORDS).some((re) => re.test(cell)));
  const columns = columnNamesOf(table, headerRow);
  const body = table.rows.slice(headerRow ? 1 : 0, (headerRow ? 1 : 0) + 200);
  const valuesOf = (i: number) => body.map((r) => r[i] ?? '').filter((v) => v !== '');
  const byHeader = (kind: keyof typeof HEADER_WORDS) =>
    headerRow ? columns.findIndex((c) => HEADER_WORDS[kind].test(c.trim())) : -1;

  const dateFormatOf = (i: number) => {
    const values = valuesOf(i);
    if (values.length === 0) return null;
    const fitting = DATE_FORMATS.filter((f) => values.every((v) => dayOf(v, f)));
    return fitting[0] ?? null;
  };
  let date = byHeader('date');
  if (date < 0) date = columns.findIndex((_, i) => dateFormatOf(i) !== null);
  let amount = byHeader('amount');
  const debit = byHeader('debit');
  const credit = byHeader('credit');
  if (amount < 0 && debit < 0)
    amount = columns.findIndex((_, i) => i !== date && valuesOf(i).length > 0 && valuesOf(i).every(looksLikeAmount));
  // A currency column holds ISO codes (a header alone can mislead: "Valuta" is a value date in German).
  const currency = columns.findIndex(
    (c, i) =>
      headerRow && HEADER_WORDS.currency.test(c.trim()) && valuesOf(i).every((v) => isCurrencyCode(v.toUpperCase())),
  );
  const descriptions = headerRow
    ? columns
        .map((c, i) => (HEADER_WORDS.description.test(c.trim()) ? i : -1))
        .filter((i) => i >= 0)
        .slice(0, 3)
    : [];
  let description = descriptions[0] ?? -1;
  if (description < 0) {
    // The column with the longest texts that are not amounts or days.
    let longest = 0;
    columns.forEach((_, i) => {
      if ([date, amount, debit, credit, currency].includes(i)) return;
      const values = valuesOf(i);
      const mean = values.reduce((n, v) => n + v.length, 0) / Math.max(1, values.length);
      if (mean > longest && !values.every(looksLikeAmount)) {
        longest = mean;
        description = i;
      }
    });
  }
  const amountValues = [amount, debit, credit].filter((i) => i >= 0).flatMap(valuesOf);
  const decimalComma =
    amountValues.some((v) => /,\d{1,2}\s*\S{0,3}\)?$/.test(v.trim())) &&
    !amountValues.some((v) => /\.\d{1,2}\s*\S{0,3}\)?$/.test(v.trim()));
  const signed = amount >= 0 ? valuesOf(amount) : [];
  const amountSign: StatementAmountSign =
    signed.length > 0 && !signed.some((v) => /^\s*[-(]|-\s*$|DR$/i.test(v)) ? 'POSITIVE_IS_DEBIT' : 'NEGATIVE_IS_DEBIT';
  const name = (i: number) => (i >= 0 ? (headerRow ? columns[i] : String(i + 1)) : null);
  return {
    date: name(date) ?? '1',
    amount: amount >= 0 ? name(amount) : null,
    debit: amount < 0 ? name(debit) : null,
    credit: amount < 0 ? name(credit) : null,
    description: (descriptions.length > 0 ? descriptions : description >= 0 ? [description] : []).map((i) => name(i)!),
    currency: name(currency),
    dateFormat: (date >= 0 && dateFormatOf(date)) || 'YYYY-MM-DD',
    decimalSeparator: decimalComma ? ',' : '.',
    amountSign,
    delimiter: table.delimiter,
    headerRow,
  };
}

/** The caller's (partial) mapping with defaults: what the import will use, checked against the file. */
export function completeMapping(given: StatementCsvMappingInput, table: CsvTable): StatementCsvMapping {
  const mapping: StatementCsvMapping = {
    date: given.date,
    amount: given.amount ?? null,
    debit: given.debit ?? null,
    credit: given.credit ?? null,
    description: given.description,
    currency: given.currency ?? null,
    dateFormat: given.dateFormat,
    decimalSeparator: given.decimalSeparator ?? '.',
    amountSign: given.amountSign ?? 'NEGATIVE_IS_DEBIT',
    delimiter: given.delimiter ?? table.delimiter,
    headerRow: given.headerRow ?? true,
  };
  if (!DATE_FORMATS.includes(mapping.dateFormat as (typeof DATE_FORMATS)[number]))
    throw new StatementFileError(`dateFormat must be one of ${DATE_FORMATS.join(', ')}`, 'csv.dateFormat');
  if (mapping.decimalSeparator !== '.' && mapping.decimalSeparator !== ',')
    throw new StatementFileError('decimalSeparator must be . or ,', 'csv.decimalSeparator');
  if (!DELIMITERS.includes(mapping.delimiter === '\\t' ? '\t' : mapping.delimiter))
    throw new StatementFileError('delimiter must be , ; \\t or |', 'csv.delimiter');
  if (mapping.delimiter === '\\t') mapping.delimiter = '\t';
  if (!mapping.amount && !mapping.debit) throw new StatementFileError('Give the amount column, or debit', 'csv.amount');
  if (mapping.amount && (mapping.debit || mapping.credit))
    throw new StatementFileError('Give either amount, or debit and credit', 'csv.amount');
  if (mapping.description.length < 1 || mapping.description.length > 3)
    throw new StatementFileError('description takes 1 to 3 columns', 'csv.description');
  return mapping;
}

export function readCsvLines(table: CsvTable, mapping: StatementCsvMapping, fallbackCurrency: string): ParsedLine[] {
  const columns = columnNamesOf(table, mapping.headerRow);
  const dateAt = columnIndex(columns, mapping.date, 'csv.date');
  const amountAt = mapping.amount ? columnIndex(columns, mapping.amount, 'csv.amount') : -1;
  const debitAt = mapping.debit ? columnIndex(columns, mapping.debit, 'csv.debit') : -1;
  const creditAt = mapping.credit ? columnIndex(columns, mapping.credit, 'csv.credit') : -1;
  const currencyAt = mapping.currency ? columnIndex(columns, mapping.currency, 'csv.currency') : -1;
  const descriptionAt = mapping.description.map((d) => columnIndex(columns, d, 'csv.description'));
  const separator = mapping.decimalSeparator as '.' | ',';
  const rows = table.rows.slice(mapping.headerRow ? 1 : 0);
  return rows.map((row, i) => {
    const problems: string[] = [];
    const cell = (at: number) => (at >= 0 ? (row[at] ?? '').trim() : '');
    const date = dayOf(cell(dateAt), mapping.dateFormat);
    if (!date) problems.push(`"${cell(dateAt)}" is not a day written ${mapping.dateFormat}`);
    const currencyText = cell(currencyAt).toUpperCase();
    const currency = currencyAt >= 0 && currencyText ? currencyText : fallbackCurrency;
    if (!isCurrencyCode(currency)) problems.push(`"${currency}" is not an ISO 4217 currency code`);
    let amount: number | null = null;
    if (isCurrencyCode(currency)) {
      if (amountAt >= 0) {
        const value = minorUnitsOf(cell(amountAt), currency, separator);
        if (value === null) problems.push(`"${cell(amountAt)}" is not an amount`);
        else amount = mapping.amountSign === 'POSITIVE_IS_DEBIT' ? -value : value;
      } else {
        const out = cell(debitAt) ? minorUnitsOf(cell(debitAt), currency, separator) : 0;
        const inn = cell(creditAt) ? minorUnitsOf(cell(creditAt), currency, separator) : 0;
        if (out === null) problems.push(`"${cell(debitAt)}" is not an amount`);
        else if (inn === null) problems.push(`"${cell(creditAt)}" is not an amount`);
        else amount = Math.abs(inn) - Math.abs(out);
      }
    }
    const description = descriptionAt
      .map(cell)
      .filter((t) => t)
      .join(' ')
      .replace(/\s+/g, ' ');
    return lineOf(i + 1, { date, amount, currency, description }, null, problems);
  });
}

// ---------------------------------------------------------------------------------------------
// OFX / QFX

const asArray = <T>(value: T | T[] | undefined | null): T[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

/** OFX DTPOSTED `YYYYMMDD[HHMMSS[.XXX]][[-5:EST]]`: its calendar day as the bank wrote it. */
function ofxDay(value: unknown): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(String(value ?? '').trim());
  return m ? isoDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/**
 * OFX 2.x banks (Suncorp, for one) wrap NAME and MEMO in CDATA sections, which ofx-js does not
 * read: their text, escaped, in their place.
 */
const withoutCdata = (text: string): string =>
  text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, inner: string) =>
    inner.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );

export function readOfx(text: string): ParsedStatement {
  let ofx: Record<string, any>;
  try {
    ofx = parseOfxText(withoutCdata(text)).OFX;
  } catch (error) {
    throw new StatementFileError(`The OFX file cannot be read: ${(error as Error).message}`, 'uploadId', {
      cause: error,
    });
  }
  const statements = [
    ...asArray(ofx?.BANKMSGSRSV1?.STMTTRNRS).map((t: any) => ({ rs: t?.STMTRS, from: t?.STMTRS?.BANKACCTFROM })),
    ...asArray(ofx?.CREDITCARDMSGSRSV1?.CCSTMTTRNRS).map((t: any) => ({
      rs: t?.CCSTMTRS,
      from: t?.CCSTMTRS?.CCACCTFROM,
    })),
  ].filter((s) => s.rs);
  if (statements.length === 0) throw new StatementFileError('The OFX file holds no bank or card statement');
  const lines: ParsedLine[] = [];
  let account: string | null = null;
  let currency: string | null = null;
  for (const { rs, from } of statements) {
    const statementCurrency = String(rs.CURDEF ?? '').toUpperCase();
    account ??= from?.ACCTID ? String(from.ACCTID) : null;
    currency ??= isCurrencyCode(statementCurrency) ? statementCurrency : null;
    for (const trn of asArray<any>(rs.BANKTRANLIST?.STMTTRN)) {
      const problems: string[] = [];
      const lineCurrency = String(trn.CURRENCY?.CURSYM ?? trn.ORIGCURRENCY?.CURSYM ?? statementCurrency).toUpperCase();
      const date = ofxDay(trn.DTPOSTED ?? trn.DTUSER);
      if (!date) problems.push(`"${trn.DTPOSTED ?? ''}" is not an OFX date`);
      let amount: number | null = null;
      if (!isCurrencyCode(lineCurrency)) problems.push('the statement names no ISO 4217 currency (CURDEF)');
      else {
        const raw = String(trn.TRNAMT ?? '');
        // OFX's decimal mark is '.', but some banks write ','.
        amount = minorUnitsOf(raw, lineCurrency, /,\d+$/.test(raw) && !raw.includes('.') ? ',' : '.');
        if (amount === null) problems.push(`"${raw}" is not an amount`);
      }
      const description = [trn.NAME ?? trn.PAYEE?.NAME, trn.MEMO]
        .filter((t) => t !== undefined && t !== null && String(t).trim())
        .map((t) => String(t).trim())
        .join(' ');
      const fitId = trn.FITID ? String(trn.FITID) : null;
      lines.push(lineOf(lines.length + 1, { date, amount, currency: lineCurrency, description }, fitId, problems));
    }
  }
  return { format: 'OFX', account, currency, lines };
}

// ---------------------------------------------------------------------------------------------
// camt.053

const camtParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd'].includes(name),
  processEntities: true,
});

const textOf = (node: any): string =>
  node === undefined || node === null ? '' : typeof node === 'object' ? String(node['#text'] ?? '') : String(node);

export function readCamt053(text: string): ParsedStatement {
  let doc: any;
  try {
    doc = camtParser.parse(text);
  } catch (error) {
    throw new StatementFileError(`The camt.053 file cannot be read: ${(error as Error).message}`, 'uploadId', {
      cause: error,
    });
  }
  const statements = asArray<any>(doc?.Document?.BkToCstmrStmt?.Stmt);
  if (statements.length === 0)
    throw new StatementFileError('The file holds no camt.053 statement (BkToCstmrStmt/Stmt)');
  const lines: ParsedLine[] = [];
  let account: string | null = null;
  let currency: string | null = null;
  for (const stmt of statements) {
    const acct = stmt.Acct ?? {};
    account ??= textOf(acct.Id?.IBAN) || textOf(acct.Id?.Othr?.Id) || null;
    const acctCurrency = textOf(acct.Ccy).toUpperCase();
    currency ??= isCurrencyCode(acctCurrency) ? acctCurrency : null;
    for (const entry of asArray<any>(stmt.Ntry)) {
      const problems: string[] = [];
      const status = textOf(entry.Sts?.Cd ?? entry.Sts);
      if (status && status !== 'BOOK') problems.push(`the entry is not booked (status ${status})`);
      const lineCurrency = String(entry.Amt?.['@Ccy'] ?? acctCurrency).toUpperCase();
      let amount: number | null = null;
      if (!isCurrencyCode(lineCurrency)) problems.push(`"${lineCurrency}" is not an ISO 4217 currency code`);
      else {
        const units = minorUnitsOf(textOf(entry.Amt), lineCurrency, '.');
        const indicator = textOf(entry.CdtDbtInd);
        if (units === null) problems.push(`"${textOf(entry.Amt)}" is not an amount`);
        else if (indicator !== 'DBIT' && indicator !== 'CRDT') problems.push(`"${indicator}" is not DBIT or CRDT`);
        else amount = indicator === 'DBIT' ? -Math.abs(units) : Math.abs(units);
      }
      const day = textOf(entry.BookgDt?.Dt) || textOf(entry.BookgDt?.DtTm) || textOf(entry.ValDt?.Dt);
      const date = dayOf(day, 'YYYY-MM-DD');
      if (!date) problems.push(`"${day}" is not a booking day`);
      const tx = asArray<any>(entry.NtryDtls).flatMap((d) => asArray<any>(d.TxDtls))[0] ?? {};
      const parties = tx.RltdPties ?? {};
      // The other party: the creditor of a debit, the debtor of a credit (v2 `Cdtr.Nm`, v8+ `Cdtr.Pty.Nm`).
      const party = amount !== null && amount > 0 ? parties.Dbtr : parties.Cdtr;
      const partyName = textOf(party?.Nm ?? party?.Pty?.Nm);
      const remittance = asArray<any>(tx.RmtInf?.Ustrd).map(textOf).join(' ');
      const description = [partyName, remittance || textOf(entry.AddtlNtryInf)]
        .filter((t) => t.trim())
        .join(' ')
        .replace(/\s+/g, ' ');
      const id = textOf(entry.AcctSvcrRef) || textOf(entry.NtryRef) || textOf(tx.Refs?.AcctSvcrRef) || null;
      lines.push(lineOf(lines.length + 1, { date, amount, currency: lineCurrency, description }, id, problems));
    }
  }
  return { format: 'CAMT053', account, currency, lines };
}

export interface ReadOptions {
  format?: StatementFormat | null;
  csv?: StatementCsvMapping | null;
  /** The currency of lines that name none. */
  currency: string;
}

/** A whole file, by the format given or found; CSV with the mapping given or else the proposed one. */
export function readStatement(
  bytes: Uint8Array,
  options: ReadOptions,
): ParsedStatement & { table?: CsvTable; mapping?: StatementCsvMapping } {
  const text = decodeStatement(bytes);
  const found = detectFormat(text);
  const format = options.format ?? found;
  if (options.format && options.format !== found)
    throw new StatementFileError(`The file is ${found}, not ${options.format}`, 'format');
  if (format === 'OFX') return readOfx(text);
  if (format === 'CAMT053') return readCamt053(text);
  const table = readCsvTable(text, options.csv?.delimiter === '\\t' ? '\t' : options.csv?.delimiter);
  if (table.rows.length === 0) throw new StatementFileError('The CSV file is empty');
  const mapping = options.csv ?? proposeMapping(table);
  return {
    format: 'CSV',
    account: null,
    currency: mapping.currency ? null : options.currency,
    lines: readCsvLines(table, mapping, options.currency),
    table,
    mapping,
  };
}
