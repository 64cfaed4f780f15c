import { minorUnitDigits } from '../shared/money.ts';
import type { Row, TextLine } from './layout-rules.ts';
import { amountIn, decimalMarkOf, printedDateIn, type DecimalMark } from './receipt-text.ts';
import { labelPattern } from './receipt-vocabulary.ts';

/**
 * Line items from a receipt's rows (what the layout rules make of the OCR lines): the rows
 * between the header and the totals, each priced row one item. Receipts print an item in one
 * of three general ways, and the first priced row says which:
 *
 * - description and price on one row ("LG FLATSCREEN 65  $899.99"), perhaps wrapped onto the
 *   rows below ("06SBRAISED 1 20.00 20.00" / "PORKLEG SMALL");
 * - the numbers first, the description on the rows below ("1072 1 80.00 80.00" / "REPAIR ENGINE");
 * - the description first, the numbers on the row below ("MAGNUM ALMOND 90ML" / "1 UNIT 4.50 4.50").
 *
 * A row holding only a quantity and a unit price ("3 X RM 3.38", "@RM18.90") that make the
 * price above it belongs to that item. Quantity and unit price are read only when the quantity
 * times a unit price printed on the row gives the price. General rules, no shop knowledge.
 */

/** A value as printed: its text and where it is (character offsets in the line's text). */
export interface PrintedValue {
  text: string;
  line: TextLine;
  start: number;
  end: number;
}

export interface LineItemReading {
  /** The item's description and the lines it was read from; null when nothing but numbers was printed. */
  description: { text: string; lines: TextLine[] } | null;
  /** The item's price (quantity × unit price), in minor units. */
  price: PrintedValue & { amount: number };
  quantity?: PrintedValue & { value: number };
  unitPrice?: PrintedValue & { amount: number };
  /** Every row the item was read from, top to bottom. */
  rows: Row[];
}

interface Token extends PrintedValue {
  amount: number;
}

interface PricedRow {
  kind: 'priced';
  row: Row;
  tokens: Token[];
  /** The row's words once its amounts are taken out. */
  ownText: string;
  /** Each line's text with its amounts blanked out (offsets kept), where quantities are looked for. */
  ownLines: Array<{ line: TextLine; text: string }>;
  /** Whether those words describe something ("IKEA Drink"), not just units and codes ("1 WALK", "2 pc"). */
  describes: boolean;
}

interface TextRow {
  kind: 'text';
  row: Row;
  /** Only codes and short marks ("CH50514 SR", "WA05-12"): a barcode line, not a description. */
  code: boolean;
}

type ItemRow = PricedRow | TextRow;

const CURRENCY_MARK = String.raw`(?:RM|MYR|USD|US\$|S\$|A\$|C\$|HK\$|\$|€|£|¥)`;

/**
 * Amounts on a row: decimals ("2,305.80", "RM 2.83", "-0.24", "1.129,00" where the receipt's
 * decimal mark is a comma) or a marked integer ("$1000"); never a rate ("6.00 %") or part of a date.
 */
function amountPattern(currency: string, mark: DecimalMark | null): RegExp {
  const decimals = minorUnitDigits(currency) === 3 ? 3 : 2;
  const thousands = mark === ',' ? '\\.' : ',';
  const number = String.raw`-?(?:\d{1,3}(?:${thousands}\d{3})+|\d+)`;
  const point = mark ? `[${mark}]` : '[.,]';
  return new RegExp(
    String.raw`-?(?:${CURRENCY_MARK}\s?)?${number}${point}\d{${decimals}}(?!\d|[.,/-]\d|\s?%)|${CURRENCY_MARK}\s?${number}(?![\d.,]|\s?%)`,
    'g',
  );
}

/** OCR spacing fixes that keep amounts whole: "0. 00" → "0.00", "15.0045.00" (two amounts glued) → "15.00 45.00". */
const normalized = (text: string) =>
  text
    .replace(/(\d)([.,])\s+(\d{2})\b/g, '$1$2$3')
    .replace(/(\d\.\d{2})(?=\d{1,3}\.\d{2}(?!\d))/g, '$1 ')
    .replace(/(\d,\d{2})(?=\d{1,3},\d{2}(?!\d))/g, '$1 ');

// Words that say nothing about what was bought: currency marks, units, tax codes.
const NOISE_WORD = /^(rm|myr|usd|sr|zr|zrl|s|z|t|e|n|x|tx|pc|pcs|ea|each|uni|unit|units|pkt|qty|kg|g|ml)$/i;
const lettersIn = (word: string) => (word.match(/\p{L}/gu) ?? []).length;
const wordsOf = (text: string) => text.split(/[^\p{L}\p{N}'&]+/u).filter((w) => w && !NOISE_WORD.test(w));

// Column headings ("Item Qty S/Price Amount"), OCR misreadings included ("ltem", "ITEN").
const COLUMN_WORD = /\b(qty|quantity|desc|item|ltem|iten|price|amount|amt|unit|code|total|disc|tax|tx)/i;
const CORE_COLUMN_WORD = /^(qty|quantity|desc|item|ltem|iten|price|amount|amt)$/i;
// What a receipt prints above its items: the sale's date or time, cashier, bill or slip numbers.
const HEADER_LABEL =
  /\b(cashier|counter|invoice|inv|receipt|bill|table|trans|trn|slip|doc|order|pax|staff|terminal|pos|server|guest|member|salesperson|operator|ref|no)\b\.?\s*(no\b|#|:)/i;
const TIME = /\b\d{1,2}:\d{2}\b/;
// Where the items end: totals, counts, charges, tax, payment.
const TOTAL_ROW = new RegExp(
  String.raw`\b(grand\s*)?tota?[l1i]\b|\btot\W|sub\s*-?\s*tot|\bnett?\s*(total|amount)|\bjumlah\b|\bamount\s*(due|payable)\b|\bbalance\b|${labelPattern(['owed', 'total', 'subtotal']).source}`,
  'iu',
);
const SUMMARY_ROW = new RegExp(
  String.raw`\b(item\s*count|items?\s*sold|no\.?\s*of\s*items?|item\(s\)|qty\s*count|service\s*(charge|chrg)|r[ao]und\w*|cash|tunai|tender\w*|change|baki|paid|payment)\b|^\W*(tax|gst|vat|sst|sales\s*tax)\b|${labelPattern(['change', 'rounding']).source}`,
  'iu',
);

function classify(row: Row, pattern: RegExp, currency: string, mark: DecimalMark | null): ItemRow {
  const tokens: Token[] = [];
  const ownLines: PricedRow['ownLines'] = [];
  for (const printed of row.lines) {
    const line = { ...printed, text: normalized(printed.text) };
    let own = line.text;
    for (const m of line.text.matchAll(pattern)) {
      const amount = amountIn(m[0], currency, mark);
      if (amount === null) continue;
      tokens.push({ text: m[0].trim(), amount, line, start: m.index!, end: m.index! + m[0].length });
      own = own.slice(0, m.index!) + ' '.repeat(m[0].length) + own.slice(m.index! + m[0].length);
    }
    ownLines.push({ line, text: own });
  }
  const ownText = ownLines
    .map((l) => l.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const words = wordsOf(ownText);
  if (tokens.length === 0) return { kind: 'text', row, code: !words.some((w) => lettersIn(w) >= 3) };
  const describes = words.filter((w) => lettersIn(w) >= 2).length >= 2 || words.some((w) => lettersIn(w) >= 5);
  return { kind: 'priced', row, tokens, ownText, ownLines, describes };
}

const isColumnHeader = (row: Row) => {
  const words = new Set([...row.text.matchAll(new RegExp(COLUMN_WORD, 'gi'))].map((m) => m[1].toLowerCase()));
  return words.size >= 2 && [...words].some((w) => CORE_COLUMN_WORD.test(w));
};

/** Where the items are: after the column headings (or the header's last date, time or numbered label) and before the totals. */
function itemRegion(rows: Row[], kinds: ItemRow[]): [number, number] {
  const firstTotal = rows.findIndex((r, i) => TOTAL_ROW.test(r.text) && kinds[i].kind === 'priced');
  const limit = firstTotal < 0 ? rows.length : firstTotal;
  // Headings come before any price ("Item(s): 1 Qty(s): 3" under the items is a count).
  const firstPriced = kinds.findIndex((k) => k.kind === 'priced');
  let start = rows.findIndex((r, i) => i < limit && (firstPriced < 0 || i < firstPriced) && isColumnHeader(r));
  if (start >= 0) {
    start += 1;
    // Headings wrapped onto a second row ("QTY UOM UNIT Amt" / "Price Tax Tax Code").
    if (start < limit && kinds[start].kind === 'text' && COLUMN_WORD.test(rows[start].text)) start += 1;
  } else {
    start = 0;
    for (let i = 0; i < limit; i += 1)
      if (HEADER_LABEL.test(rows[i].text) || TIME.test(rows[i].text) || printedDateIn(rows[i].text)) start = i + 1;
  }
  let seenPriced = false;
  for (let i = start; i < rows.length; i += 1) {
    // A title such as "CASH RECEIPT" above the items is not where they end.
    if ((TOTAL_ROW.test(rows[i].text) || SUMMARY_ROW.test(rows[i].text)) && (seenPriced || kinds[i].kind === 'priced'))
      return [start, i];
    if (kinds[i].kind === 'priced') seenPriced = true;
  }
  return [start, rows.length];
}

// Quantities are small numbers printed on the row ("2", "3X", "2pc", "0.550"), never codes ("1072", "06SBRAISED", "DR002C").
function quantitiesOf(row: PricedRow): Array<PrintedValue & { value: number }> {
  return row.ownLines.flatMap(({ line, text }) =>
    [...text.matchAll(/(?<![\d.,])(?!0\d)\d{1,3}(?:[.,]\d{1,3})?(?![\d]|[.,]\d)/g)]
      .filter((m) => !(/\p{L}/u.test(text[m.index! - 1] ?? '') && /\p{L}/u.test(text[m.index! + m[0].length] ?? '')))
      .map((m) => ({
        text: m[0],
        value: Number(m[0].replace(',', '.')),
        line,
        start: m.index!,
        end: m.index! + m[0].length,
      }))
      .filter((q) => q.value > 0),
  );
}

/** A printed quantity and unit price whose product is the price, within the rounding of a unit price to its last digit. */
function quantityAndUnitPrice(row: PricedRow, units: Token[], price: number) {
  for (const unitPrice of [...units].reverse()) {
    const quantity = quantitiesOf(row).find(
      (q) => Math.abs(q.value * unitPrice.amount - price) <= Math.max(1, Math.ceil(q.value)),
    );
    if (quantity) return { quantity, unitPrice };
  }
  return null;
}

export function readLineItems(rows: Row[], currency: string): LineItemReading[] {
  const mark = decimalMarkOf(rows.map((r) => r.text).join('\n'));
  const pattern = amountPattern(currency, mark);
  const kinds = rows.map((r) => classify(r, pattern, currency, mark));
  const [start, end] = itemRegion(rows, kinds);
  const region = kinds.slice(start, end);
  const firstPriced = region.findIndex((k) => k.kind === 'priced');
  if (firstPriced < 0) return [];
  const first = region[firstPriced] as PricedRow;
  const descriptionFirst = !first.describes && region.slice(0, firstPriced).some((k) => k.kind === 'text');

  const claimed = new Set<number>();
  const textRun = (from: number, step: 1 | -1) => {
    const run: number[] = [];
    for (let i = from; i >= 0 && i < region.length && region[i].kind === 'text' && !claimed.has(i); i += step)
      run.push(i);
    return run;
  };
  const describing = (run: number[]) => {
    const words = run.filter((i) => !(region[i] as TextRow).code);
    return words.length ? words : run;
  };

  type Draft = { at: number; priced: PricedRow; described: number[]; extra: number[]; annotation?: PricedRow };
  // A numbers-only row with one amount may be the quantity line of the item beside it: its
  // quantity (on either row) times its amount is that item's price, or it says "@" (at) a
  // price the item's is a whole multiple of ("@RM18.90" under 37.80, perhaps below the
  // item's wrapped description). Read before descriptions are shared out, so it takes none.
  const drafts: Draft[] = [];
  for (const [i, k] of region.entries()) {
    if (k.kind !== 'priced') continue;
    const previous = drafts.at(-1);
    const unit = k.tokens[0];
    const at = /@\s*$/.test(unit.line.text.slice(0, unit.start));
    if (previous && !k.describes && k.tokens.length === 1 && !previous.annotation && (at || i === previous.at + 1)) {
      const price = previous.priced.tokens.at(-1)!.amount;
      const multiple = unit.amount > 0 && price % unit.amount === 0;
      if (
        quantityAndUnitPrice(k, [unit], price) ||
        quantityAndUnitPrice(previous.priced, [unit], price) ||
        (at && multiple)
      ) {
        previous.annotation = k;
        continue;
      }
    }
    drafts.push({ at: i, priced: k, described: [], extra: [] });
  }

  // Numbers-only rows first take the description they need: above them when descriptions
  // come first, else below them (or, with nothing below, the nearest row above).
  // The nearest describing row above (and the code rows between, as extra text of the item).
  const above = (draft: Draft) => {
    const run = textRun(draft.at - 1, -1);
    const nearest = describing(run)[0];
    return nearest === undefined
      ? { run: [], described: [] }
      : { run: run.slice(0, run.indexOf(nearest) + 1), described: [nearest] };
  };
  for (const draft of drafts.filter((d) => !d.priced.describes)) {
    const below = descriptionFirst ? [] : textRun(draft.at + 1, 1).slice(0, 3);
    const { run, described } = below.length ? { run: below, described: describing(below) } : above(draft);
    run.forEach((i) => claimed.add(i));
    draft.described = described;
    draft.extra = run.filter((i) => !described.includes(i));
  }
  // Descriptions wrapped onto the rows below a described row.
  if (!descriptionFirst) {
    for (const draft of drafts.filter((d) => d.priced.describes)) {
      const below = textRun(draft.at + 1, 1).slice(0, 2);
      below.forEach((i) => claimed.add(i));
      draft.described = below;
    }
  }

  return drafts.map((draft) => {
    const { priced } = draft;
    const price = priced.tokens.at(-1)!;
    // Quantity and unit price from the item's own row, else from its quantity line.
    const found = draft.annotation
      ? (quantityAndUnitPrice(draft.annotation, draft.annotation.tokens, price.amount) ??
        quantityAndUnitPrice(priced, draft.annotation.tokens, price.amount) ?? {
          unitPrice: draft.annotation.tokens[0],
        })
      : quantityAndUnitPrice(priced, priced.tokens.slice(0, -1), price.amount);
    const describedRows = draft.described.map((i) => region[i].row);
    const printedHere = found && 'quantity' in found && priced.ownLines.some((l) => l.line === found.quantity.line);
    const ownDescription = descriptionOf(priced, printedHere ? found.quantity : undefined);
    const [text, lines] = priced.describes
      ? [
          [ownDescription, ...describedRows.map((r) => r.text)].join(' '),
          [...priced.row.lines, ...describedRows.flatMap((r) => r.lines)],
        ]
      : describedRows.length
        ? [describedRows.map((r) => r.text).join(' '), describedRows.flatMap((r) => r.lines)]
        : [ownDescription, priced.row.lines];
    const rowsRead = [draft.at, ...draft.described, ...draft.extra]
      .map((i) => region[i].row)
      .concat(draft.annotation ? [draft.annotation.row] : []);
    return {
      description: text.trim() ? { text: text.replace(/\s+/g, ' ').trim(), lines } : null,
      price,
      ...(found ?? {}),
      rows: rowsRead.sort((a, b) => a.page - b.page || a.top - b.top),
    };
  });
}

/** A priced row's own description: its words without a leading line or item number, the quantity before the price, or trailing tax codes. */
function descriptionOf(row: PricedRow, quantity: PrintedValue | undefined): string {
  let words = row.ownText.split(' ');
  while (words.length > 1 && /^\d+$/.test(words[0])) words = words.slice(1);
  // Then, from the end: tax codes and punctuation, the quantity ("1", "3x"), and a run of
  // numeric columns ("10 1 0" issued, exchanged, returned) or an empty one ("0") — but not one
  // number that may be part of the name ("LG FLATSCREEN 65").
  const dropMarks = () => {
    while (words.length > 1 && (NOISE_WORD.test(words.at(-1)!) || /^\W+$/.test(words.at(-1)!)))
      words = words.slice(0, -1);
  };
  dropMarks();
  if (
    quantity &&
    words.length > 1 &&
    new RegExp(`^${quantity.text.replace('.', '\\.')}(x|\\*|@|pcs?)?$`, 'i').test(words.at(-1)!)
  ) {
    words = words.slice(0, -1);
    dropMarks();
  }
  let run = 0;
  while (run < words.length - 1 && /^-?\d+[.,]?$/.test(words[words.length - 1 - run])) run += 1;
  if (run >= 2 || (run === 1 && /^0+([.,]0+)?$/.test(words.at(-1)!))) words = words.slice(0, -run);
  return words.join(' ');
}
