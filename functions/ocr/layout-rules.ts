import type { DateOrder } from '../../generated/graphql.ts';
import { decimalAmount } from '../shared/money.ts';
import { amountIn, datesIn } from './receipt-text.ts';

/**
 * Reading a receipt from its text lines and their boxes (what an OCR engine, or Textract's
 * LINE blocks, give): lines at the same height form a row, so "TOTAL ........ 12.50" is one
 * row even when the label and the amount are separate lines. Used by the local Textract to
 * fill SummaryFields and by the parser when a response has none. General rules only: no
 * knowledge of any particular shop.
 */
export interface TextLine {
  text: string;
  /** 0..1 */
  confidence: number;
  /** Normalized to the page, 0..1, as Textract's BoundingBox. */
  box: { left: number; top: number; width: number; height: number };
  page: number;
}

export interface Row {
  text: string;
  lines: TextLine[];
  confidence: number;
  page: number;
  top: number;
}

export interface LayoutField {
  /** The value as printed. */
  text: string;
  confidence: number;
  /** The label that named it (e.g. "TOTAL"), when there was one. */
  label?: string;
  row: Row;
}

export interface LayoutReading {
  merchant?: LayoutField;
  date?: LayoutField & { date: string };
  total?: LayoutField & { amount: number };
  subtotal?: LayoutField & { amount: number };
  tax?: LayoutField & { amount: number };
  rows: Row[];
}

export function rowsOf(lines: TextLine[]): Row[] {
  const sorted = [...lines].sort((a, b) => a.page - b.page || a.box.top - b.box.top || a.box.left - b.box.left);
  const rows: TextLine[][] = [];
  for (const line of sorted) {
    const center = line.box.top + line.box.height / 2;
    const row = rows.find((r) => r[0].page === line.page && Math.abs(r[0].box.top + r[0].box.height / 2 - center) < Math.max(r[0].box.height, line.box.height) * 0.5);
    if (row) row.push(line);
    else rows.push([line]);
  }
  return rows.map((r) => {
    const ordered = r.sort((a, b) => a.box.left - b.box.left);
    return { text: ordered.map((l) => l.text).join(' '), lines: ordered, confidence: Math.min(...ordered.map((l) => l.confidence)), page: ordered[0].page, top: ordered[0].box.top };
  });
}

// OCR misreads "TOTAL" as "TOT*1" or "TOTA1": a word starting with TOT counts.
const TOTAL_LABEL = /\b(grand\s*total|tot[a-z0-9*]*\b|tl\s*:|amount\s*(due|payable)|jumlah|nett?\s*(total|amount)|balance\s*due)/i;
const OWED_LABEL = /\b(grand\s*total|total\s*payable|amount\s*(due|payable)|balance\s*due|nett?\s*total|total\s*due|due)\b/i;
const PAID_LABEL = /\b(cash|tunai|paid|tender\w*|visa|master\s*card|card)\b/i;
const CHANGE_LABEL = /\b(change|baki)\b/i;
const NOT_TOTAL = /sub\s*-?\s*total|supplies|gst\s*\d+\s*%|total\s*(qty|quantity|items?|item\s*count|disc\w*|savings?|tax|gst|sst|vat|excl\w*|before)|rounding|round\s*adj|change|tender|points|saving|gst\s*summary|no\.?\s*of/i;
const SUBTOTAL_LABEL = /\bsub\s*-?\s*total\b/i;
const TAX_LABEL = /\b(tax|gst|vat|sst)\b/i;
const NOT_TAX = /\b(id|no\.?|reg\w*|invoice|summary|incl\w*|excl\w*|code|%\s*$)\b|tax\s*invoice/i;
// Suffixes are matched inside words too: OCR often drops spaces ("SOONHUATMACHINERYENTERPRISE").
const COMPANY = /(sdn\.?\s*bhd|\bs\/b\b|berhad|\bbhd\b|\bltd\b|limited|\binc\b|\bllc\b|\bplc\b|gmbh|enterprise|trading|company|\bco\.|restaurant|restoran|market|\bmart\b|store|\bshop\b|\bcafe\b|hardware|stationery)/i;
// Address lines sit right under the name; they are not the merchant.
const ADDRESS = /\b(lot|jalan|jln|taman|lorong|no\.?\s*\d|\d+\s*,|floor|flr|level|road|street|avenue|blok|block|kawasan|bandar|persiaran)\b/i;
const NOT_MERCHANT = /receipt|invoice|welcome|thank|tel\b|phone|fax|gst|reg\.?\s*no|co\.?\s*no|date|time|cashier|table|order|member|^\W*$/i;

/** The rightmost amount of a row: "TOTAL 1 ITEM 12.50" → 12.50 (also "73. 00", a space read after the point). */
function lastAmountText(row: Row): string | null {
  const tokens = row.text.replace(/(\d)([.,])\s+(\d{2})\b/g, '$1$2$3').match(/-?(?:RM|\$|€|£)?\s?\d[\d.,]*\d|\d/g) ?? [];
  const withDecimals = tokens.filter((t) => /[.,]\d{1,2}$/.test(t));
  return withDecimals.at(-1) ?? null;
}

function amountField(rows: Row[], label: RegExp, exclude: RegExp | null, pick: 'max' | 'first', currency: string) {
  const candidates = rows
    .filter((row) => label.test(row.text) && !(exclude && exclude.test(row.text)))
    .map((row) => {
      const text = lastAmountText(row);
      const amount = text === null ? null : amountIn(text, currency);
      return amount !== null && amount > 0 ? { text: text!, amount, confidence: row.confidence, label: label.exec(row.text)?.[0], row } : null;
    })
    .filter((c): c is NonNullable<typeof c> => c !== null);
  if (!candidates.length) return undefined;
  return pick === 'max' ? candidates.reduce((a, b) => (b.amount > a.amount ? b : a)) : candidates[0];
}

const ROUNDING_LABEL = /\bround(ing)?\s*(adj\w*)?\b/i;

/**
 * Where cash totals are rounded (to 5 sen, 5 cents…), a rounding adjustment follows the total
 * and what is owed is the total plus the adjustment: taken when that sum is printed below the
 * adjustment (as the rounded total, the amount paid or tendered). The sign is often lost in OCR,
 * so either sign is tried.
 */
function roundedTotal(rows: Row[], total: NonNullable<LayoutReading['total']>, currency: string): NonNullable<LayoutReading['total']> {
  // The adjustment is a few cents, often printed without its zero: "-0.01", ".01".
  const adjustmentOf = (row: Row) => /(-?)\s*(\d?)[.,](\d{2})\s*$/.exec(row.text);
  const at = rows.findIndex((row, i) => i > rows.indexOf(total.row) && ROUNDING_LABEL.test(row.text) && adjustmentOf(row) !== null);
  if (at < 0) return total;
  const [, sign, whole, cents] = adjustmentOf(rows[at])!;
  const adjustment = amountIn(`${sign}${whole || '0'}.${cents}`, currency);
  if (!adjustment || Math.abs(adjustment) * 10 > total.amount) return total;
  const below = rows.slice(at).map((row) => {
    const text = lastAmountText(row);
    return text === null ? null : { row, text, amount: amountIn(text, currency) };
  });
  for (const rounded of [total.amount + adjustment, total.amount - adjustment]) {
    const printed = below.find((b) => b && b.amount === rounded);
    if (printed) return { ...total, text: printed.text, amount: rounded, row: printed.row, confidence: Math.min(total.confidence, printed.row.confidence) };
  }
  return total;
}

/**
 * OCR confuses look-alike characters in names: a zero among letters is an O ("AEON C0." → "AEON
 * CO."), a capital I between small letters an l ("WorId" → "World").
 */
export function cleanName(text: string): string {
  return text
    .replace(/(?<=[A-Za-z])0(?![0-9])|(?<![0-9])0(?=[A-Za-z])/g, 'O')
    .replace(/(?<=[a-z])I(?=[a-z])/g, 'l');
}

export function readLayout(lines: TextLine[], order: DateOrder, today: Date, currency = 'USD'): LayoutReading {
  const rows = rowsOf(lines);
  const reading: LayoutReading = { rows };

  // A row that says it is what is owed wins; otherwise the grand total is the largest amount on
  // a total-like row (taxes, roundings and change are smaller).
  reading.total = amountField(rows, OWED_LABEL, NOT_TOTAL, 'max', currency) ?? amountField(rows, TOTAL_LABEL, NOT_TOTAL, 'max', currency);
  reading.subtotal = amountField(rows, SUBTOTAL_LABEL, null, 'first', currency);
  if (!reading.total) {
    // No total row read: what was paid minus the change is the total.
    const paid = amountField(rows, PAID_LABEL, CHANGE_LABEL, 'first', currency);
    const change = amountField(rows, CHANGE_LABEL, null, 'first', currency);
    if (paid && change && paid.amount > change.amount) {
      reading.total = { ...paid, amount: paid.amount - change.amount, text: decimalAmount(paid.amount - change.amount, currency), confidence: Math.min(paid.confidence, change.confidence) * 0.8 };
    } else if (reading.subtotal) {
      // Nothing else: the subtotal (no tax on the receipt), with less confidence.
      reading.total = { ...reading.subtotal, confidence: reading.subtotal.confidence * 0.6 };
    }
  }
  if (reading.total) reading.total = roundedTotal(rows, reading.total, currency);
  reading.tax = amountField(rows, TAX_LABEL, NOT_TAX, 'first', currency);

  // A labelled date first, then one printed with a time (the sale), then any.
  const dated = [...rows.filter((r) => /date|tarikh|dt\b/i.test(r.text)), ...rows.filter((r) => /\d{1,2}:\d{2}/.test(r.text)), ...rows];
  for (const row of dated) {
    const [date] = datesIn(row.text, order, today);
    if (date) {
      reading.date = { text: row.text, date, confidence: row.confidence, row };
      break;
    }
  }

  // The merchant heads the receipt: a company-looking row near the top, else the first wordy row.
  const head = rows.filter((r) => r.page === rows[0]?.page).slice(0, 12);
  const letters = (text: string) => (text.match(/[A-Za-z]/g) ?? []).length;
  // A row that ends in a price is an item ("CAFE CREME 3.80"), whatever its words say.
  const wordy = head.filter(
    (r) => letters(r.text) >= 3 && letters(r.text) >= (r.text.match(/\d/g) ?? []).length && !NOT_MERCHANT.test(r.text) && !ADDRESS.test(r.text) && lastAmountText(r) === null,
  );
  const company = wordy.find((r) => COMPANY.test(r.text));
  const merchant = company ?? wordy[0];
  if (merchant) {
    // A registration number printed after the name is not part of it: "GARDENIA BAKERIES (KL) SDN BHD (139386-X)".
    let name = merchant.text.replace(/\s*[(（]?\s*[A-Z]{0,3}\d{4,}[-\s]*[A-Z]?\s*[)）]?(\s.*)?$/i, '').replace(/\s+/g, ' ').trim();
    // A name wrapped over two rows ("POPULAR BOOK" / "CO. (M) SDN BHD"): the suffix row alone names no one.
    const above = head[head.indexOf(merchant) - 1];
    const distinctive = name.replace(new RegExp(COMPANY.source, 'gi'), '').replace(/\([A-Z]{1,3}\)/gi, '').replace(/[^A-Za-z]/g, '');
    if (company && distinctive.length < 4 && above && wordy.includes(above)) {
      name = `${above.text.trim()} ${name}`;
    }
    reading.merchant = { text: cleanName(name), confidence: merchant.confidence * (company ? 0.95 : 0.7), row: merchant };
  }
  return reading;
}
