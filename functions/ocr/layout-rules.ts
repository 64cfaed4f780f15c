import type { DateOrder } from '../../generated/graphql.ts';
import { decimalAmount } from '../shared/money.ts';
import { printedWithoutDecimals } from '../shared/money.ts';
import { amountIn, datesIn, decimalMarkOf, type DecimalMark } from './receipt-text.ts';
import { cleanName, isCountryName, looksPrinted, withoutRegistration } from './merchant-name.ts';
import { mendedFromReceipt, mendedWords } from './name-words.ts';
import { mendedBrand } from './brand-spelling.ts';
import { brandIndex } from '../shared/categorize/core.ts';
import { labelLanguage } from './currency-evidence.ts';
import { labelPattern } from './receipt-vocabulary.ts';

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
  /**
   * The line's own corners, clockwise from top-left, normalized as `box` (Textract's
   * Geometry.Polygon): on a tilted photo they follow the text where `box` is upright. Absent
   * when only the box is known.
   */
  polygon?: Array<{ x: number; y: number }>;
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

/** A line's slope (down per unit across, in page fractions) from its corners, when it is long enough to tell. */
function slopeOf(line: TextLine): number | null {
  const p = line.polygon;
  if (!p || p.length !== 4) return null;
  const [tl, tr, br, bl] = p;
  const length = Math.hypot(tr.x - tl.x, tr.y - tl.y);
  const height = Math.hypot(bl.x - tl.x, bl.y - tl.y);
  if (tr.x - tl.x <= 0 || br.x - bl.x <= 0 || length < 4 * height) return null;
  return ((tr.y - tl.y) / (tr.x - tl.x) + (br.y - bl.y) / (br.x - bl.x)) / 2;
}

/**
 * How far a photo is tilted: the median slope of its long lines (each line's corners give its
 * own; one line's can be off, most lines' cannot). 0 without corners, or with fewer than three.
 */
export function tiltOf(lines: TextLine[]): number {
  const slopes = lines
    .map(slopeOf)
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b);
  if (slopes.length < 3) return 0;
  const median = slopes[Math.floor(slopes.length / 2)];
  return Math.abs(median) < 0.5 ? median : 0;
}

/**
 * Lines printed on one row form it. On a tilted photo a row runs on a slant: an amount at the
 * right edge sits a line higher or lower than its label at the left, so each line is placed by
 * where its middle would be at the page's left edge, along the tilt, and measured by its own
 * height rather than its upright box (which grows with the tilt).
 */
export function rowsOf(lines: TextLine[]): Row[] {
  const tilt = tiltOf(lines);
  const level = (line: TextLine) => {
    const p = line.polygon?.length === 4 ? line.polygon : null;
    const middle = p
      ? { x: (p[0].x + p[1].x + p[2].x + p[3].x) / 4, y: (p[0].y + p[1].y + p[2].y + p[3].y) / 4 }
      : { x: line.box.left + line.box.width / 2, y: line.box.top + line.box.height / 2 };
    const height = p && tilt !== 0 ? (p[3].y - p[0].y + p[2].y - p[1].y) / 2 : line.box.height;
    return { at: middle.y - tilt * middle.x, height };
  };
  const placed = new Map(lines.map((line) => [line, level(line)]));
  // Upright (or without corners), lines are taken top down by their boxes' tops, as they always were.
  const key = (line: TextLine) => (tilt === 0 ? line.box.top : placed.get(line)!.at);
  const sorted = [...lines].sort((a, b) => a.page - b.page || key(a) - key(b) || a.box.left - b.box.left);
  const rows: TextLine[][] = [];
  // A line much taller than the print (a handwritten note, a logo) would otherwise take the rows
  // beside it into its own ("33-30" written across TOTAL ROUNDED and CASH): heights count up to
  // one and a half times the median line's.
  const heights = sorted.map((l) => placed.get(l)!.height).sort((a, b) => a - b);
  const tallest = (heights[Math.floor(heights.length / 2)] ?? 0) * 1.5;
  for (const line of sorted) {
    const { at, height } = placed.get(line)!;
    const row = rows.find((r) => {
      const first = placed.get(r[0])!;
      return (
        r[0].page === line.page && Math.abs(first.at - at) < Math.min(Math.max(first.height, height), tallest) * 0.5
      );
    });
    if (row) row.push(line);
    else rows.push([line]);
  }
  return rows.map((r) => {
    const ordered = r.sort((a, b) => a.box.left - b.box.left);
    return {
      text: ordered.map((l) => l.text).join(' '),
      lines: ordered,
      confidence: Math.min(...ordered.map((l) => l.confidence)),
      page: ordered[0].page,
      top: ordered[0].box.top,
    };
  });
}

// Labels from the vocabulary table (every language at once), plus OCR's misreadings of "TOTAL"
// ("TOT*1", "TOTA1": a word starting with TOT counts) and the till's "TL:".
const OWED_LABEL = labelPattern('owed');
// OCR misreads one letter of TOTAL as often as not ("jotal", "Tolal", "fotal", "TOTAI"), and of AMOUNT
// ("Anount Incl. GST"): one letter off still counts.
const ONE_LETTER_OFF =
  '[a-z]otal|t[a-z0]tal|to[a-z]al|tot[a-z]l|tota[a-z1]|a[a-z]ount|am[a-z]unt|amo[a-z]nt|amou[a-z]t';
const TOTAL_LABEL = new RegExp(
  String.raw`${labelPattern(['owed', 'total']).source}|\btot[a-z0-9*]*\b|\btl\s*:|(?<![\p{L}])(?:${ONE_LETTER_OFF})(?![\p{L}])`,
  'iu',
);
const PAID_LABEL = labelPattern('tendered');
const CHANGE_LABEL = labelPattern('change');
// "Paid Amount", "Cash Amt", "Amount Tendered": the generic "amount" label names what was handed over, not the total.
const TENDERED_WORDS = labelPattern('tendered').source;
const TENDERED_AMOUNT = new RegExp(
  String.raw`(?:${TENDERED_WORDS})[\s.:]*(?:amount|amt)\b|\b(?:amount|amt)[\s.:]*(?:${TENDERED_WORDS})`,
  'iu',
);
// A total-looking row that is something else: a count, a saving, a subtotal, a rounding, the
// change, what was tendered ("Amount Tendered"), a tax line ("GST 6%", "Total GST").
const NOT_TOTAL = new RegExp(
  [
    labelPattern(['notTotal', 'subtotal', 'change', 'rounding']).source,
    String.raw`sub\s*-?\s*total|supplies|total\s*(tax|gst|sst|vat|excl\w*|before)|tender|gst\s*summary`,
    // A row that starts with a tax ("GST @6% included in total RM 0.49", "VAT 20% 1.50") is the tax, and a tax summary's total is none.
    String.raw`^\W*(tax|[cis]?gst|utgst|sst|vat|mwst|tva|iva|btw|ppn|moms|mva|alv|ptu|dph|kdv)\b`,
    String.raw`\b(tax|[cis]?gst|sst|vat)\s*totals?\b|total\s*(paid|tendered|received|[cis]gst)\b`,
    // A count ("lotal Qty 1.00" where OCR broke the vocabulary's "total qty"); not a count beside
    // the total printed after it on the same row ("Qty : 1   Total RM 11.60").
    String.raw`\b(qty|quantity)\b(?!.*\btotal\b)`,
    // What a machine accepted ("Accepted total 10.00", OCR's "Accapted") is what was put in, not the total.
    String.raw`(?<![\p{L}])(gegeben|received|entregado|recebido|ontvangen|acc\p{L}pted)(?![\p{L}])`,
    TENDERED_AMOUNT.source,
  ].join('|'),
  'iu',
);
const SUBTOTAL_LABEL = labelPattern('subtotal');
const TAX_LABEL = labelPattern('tax');
const NOT_TAX =
  /\b(id|no\.?|nr\.?|reg\w*|invoice|summary|incl\w*|excl\w*|code|%\s*$)\b|tax\s*invoice|steuer-?\s*n|ust-?id/i;
const DATE_LABEL = new RegExp(String.raw`${labelPattern('date').source}|\bdt\b`, 'iu');
// Legal forms and kinds of business that say a row names a company. Suffixes are matched
// inside words too: OCR often drops spaces ("SOONHUATMACHINERYENTERPRISE").
const COMPANY = new RegExp(
  [
    String.raw`sdn\.?\s*bhd|\bs\/b\b|berhad|\bbhd\b|\bltd\b|limited|\binc\b|\bllc\b|\bplc\b|gmbh|mbh\b`,
    // KG only after "Co." ("GmbH & Co. KG"): alone it is the kilogram of a weighed item ("ZUCCHINE KG").
    String.raw`\bco\.?\s*kg\b|\b(ag|ohg|e\.?\s?k|sarl|sas|sasu|s\.?a\.?s?|s\.?l\.?u?|s\.?r\.?l|s\.?p\.?a|b\.?v|n\.?v|lda|ltda|tbk|plt)\b\.?`,
    String.raw`enterprise|trading|company|\bco\.|restaurant|restoran|ristorante|market|markt|\bmart\b|store|\bshop\b`,
    String.raw`cash\s*(&|and|\+|n)\s*carry`,
    String.raw`\bcaf[eé]\b|hardware|stationery|supermarch|drogerie|apotheke|pharmac|farmacia|bäckerei|baeckerei|boulangerie`,
    String.raw`tankstelle|hotel|\bbar\b|bistro|trattoria|pizzeria|panader`,
  ].join('|'),
  'iu',
);
// A legal form: the company's name wherever it is printed ("Aldi GmbH & Co. KG, Schloß Holte" in the footer).
const LEGAL_FORM =
  /^(.*?(sdn\.?\s*bhd|berhad|\bbhd\b|\bltd\b\.?|limited|\binc\b\.?|\bllc\b|\bplc\b|gmbh(\s*&\s*co\.?\s*(kg|ohg))?|\bmbh\b|\bag\b|\bco\.?\s*kg\b|\bsarl\b|\bsas\b|\bs\.a\.|\bs\.l\.|\bs\.r\.l\.?|\bsrl\b|\bs\.p\.a\.?|\bspa\b|\bb\.v\.?|\bn\.v\.?|\blda\b\.?|\btbk\b\.?))/iu;
// A name row that ends on a joining word or sign goes on in the next row.
const NAME_GOES_ON = /(?:&|\+|-|,|\band|\bund|\bet|\by|\be|\bdan|\ben)\s*$/iu;
// A row that starts with a legal form or a company word continues the name above it.
const CONTINUES_NAME =
  /^\W*(sdn\.?\s*bhd|berhad|bhd\b|s\/b\b|enterprises?\b|trading\b|company\b|co\.|ltd\b|limited\b|inc\b|llc\b|plc\b|gmbh\b|\(m\))/iu;
// A column heading of currency and units ("EUR", "kg EURO/kg EURO").
const CURRENCY_HEADING = /^[\s\W]*((eur|euro|usd|rm|myr|chf|gbp|kg|g|l|stk|st|x|€|\$)[\s\W]*)+$/iu;
// Kinds of street before the house number, as a word ending ("Mannerheimintie 12", "Drottninggatan 53",
// "Keizersgracht 1") or a word of its own ("Bulevardi 6", "Váci utca 5"); and those that come before the
// street's name ("ul. Długa 5", "Viale Monza 12", "Carrer de Balmes 20").
const STREET_ENDING =
  'katu|tie|kuja|polku|gatan|vägen|gränd|gade|vej|vei|veien|laan|gracht|plein|kade|tänav|puiestee|maantee';
const STREET_WORD = 'bulevardi|utca|gasse|tee|pst|mnt|tn|iela';
const STREET_KIND_THEN_NUMBER = String.raw`(?:\p{L}{3,}(?:${STREET_ENDING})|(?<![\p{L}])(?:${STREET_WORD}))[\s.,]*\d`;
const STREET_KIND_BEFORE_NAME =
  'ul\\.|ulica|aleja|boulevard|chemin|viale|corso|travessa|praça|praca|paseo|carrer|avinguda';
const STREET_KIND_THEN_NAME = String.raw`(?<![\p{L}])(?:${STREET_KIND_BEFORE_NAME})\s+\p{L}[\p{L} .'-]{1,30}?[\s,]+\d`;
// Address lines sit right under the name; they are not the merchant.
const ADDRESS = new RegExp(
  [
    String.raw`\b(lot|jalan|jln|taman|lorong|no\.?\s*\d|\d+\s*,|floor|flr|level|road|street|avenue|blok|block|kawasan|bandar|persiaran)\b`,
    String.raw`stra(ss|ß|β|b)e\b|str\.\s*\d|\bweg\s*\d|platz\b|allee\b|\brue\b|\bcalle\b|\bvia\b|piazza|straat\b|\brua\b|avenida`,
    String.raw`^\W*(d-|f-|a-|ch-|nl-)?\d{4,5}\s*\p{L}`,
    // A street and house number ("Pohlweg 110", "Kamp 30-32", "Gruner Weg 41").
    // One digit alone ends many a name ("BHPetrol Permas Jaya 2"): a house number has two, or a letter or range after it.
    String.raw`^[\p{L}.'\s-]{3,40}\s(\d{2,4}\s?[a-z]?(\s?-\s?\d{1,4})?|\d\s?[a-z]|\d\s?-\s?\d{1,4})$`,
    // A house number, then the street and its abbreviated kind, as English-speaking countries print it ("88 MARKET ST", "7A/2 HUNTLEY ST", "178 CAMPBELL PDE").
    String.raw`^\W*\d{1,5}[a-z]?(\/\d{1,4})?\s+[\p{L}\d .'-]{2,30}?\s(st|ave|blvd|rd|dr|ln|pde|hwy|pkwy|ct|pl|cres|tce)\.?$`,
    // A street of the Nordic countries, the Low Countries, southern and eastern Europe with its number.
    STREET_KIND_THEN_NUMBER,
    STREET_KIND_THEN_NAME,
  ].join('|'),
  'iu',
);
const NOT_MERCHANT = new RegExp(
  [
    String.raw`receipt|invoice|welcome|thank|\btel\b|phone|fax|gst|reg\.?\s*no|\breg\s*[:.]|co\.?\s*no|\bdate\b|\btime\b|cashier|table|order|member`,
    String.raw`kassenbon|\bbeleg|rechnung|quittung|ticket|facture|factura|fattura|ricevuta|scontrino|kassabon|kass[ae]\b|filiale`,
    String.raw`steuer|ust-?id|\buid\b|telefon|www\.|https?:|öffnungszeit|offnungszeit|danke|vielen dank|merci|gracias|grazie`,
    String.raw`bedankt|obrigado|willkommen|bienvenue|bienvenid|benvenut|welkom|terima kasih|^[^\p{L}\p{N}]*$`,
    // A receipt's title, the till or the phone in the Nordic, Polish, Czech and Indonesian receipts' words.
    String.raw`\b(lasku|kuitti|kvitto|kvittering|faktura|paragon|rachunek|účtenka|uctenka|struk|kasir|puh|telp|tlf)\b`,
    // The policy footer, which a photo may catch above the receipt's head (the one before it on the roll).
    String.raw`goods\s+sold|not\s+(returnable|refundable|exchangeable)|no\s+(refund|exchange)|umtausch|r[üu]ckgabe`,
  ].join('|'),
  'iu',
);
/**
 * A row's amounts with OCR's slips in them undone (and "12€50" as 12,50 €): a space read after or
 * before the point ("73. 00", "26 .50"), the letter O for a zero beside digits or a currency
 * ("RMO.00", "5.O0"), a colon for the point after a currency ("RM5:00": only there, where no time
 * is printed).
 */
function amountsAsPrinted(text: string): string {
  return (
    text
      .replace(/(\d)([.,])\s+(\d{2})\b/g, '$1$2$3')
      // And a space read before it ("TOTAL 26 .50").
      .replace(/(\d) ([.,]\d{2})(?![\d.,])/g, '$1$2')
      // The euro sign written where the decimal comma goes ("12€50", as French bills print it).
      .replace(/(\d)€(\d{2})(?!\d)/g, '$1,$2 €')
      .replace(
        /(RM|\$|€|£)(\s?)([\dO]{1,6})([.,:])([\dO]{2})(?![\p{L}\d])/gu,
        (printed, mark: string, space: string, units: string, point: string, cents: string) =>
          /\d/.test(units + cents) || units === 'O'
            ? `${mark}${space}${units.replace(/O/g, '0')}${point === ':' ? '.' : point}${cents.replace(/O/g, '0')}`
            : printed,
      )
      .replace(/(?<=\d[.,]\d?)[Oo](?![\p{L}])|(?<=\d)[Oo](?=[.,]\d)/gu, '0')
  );
}

// Thousands grouped by apostrophes (Switzerland's "1'234.50") or by spaces ("1 299,00", "12 345 Ft", as
// French, Czech, Polish or Hungarian tills print them): spaces with a decimal comma, or with no
// decimals where the currency prints none.
const amountTokens = (whole: boolean) =>
  new RegExp(
    String.raw`-?(?:RM|Rp\.?|\$|€|£|¥)?\s?(?:\d{1,3}(?:['’]\d{3})+(?:\.\d{2})?(?!\d)|\d{1,3}(?: \d{3})+,\d{2}(?!\d)|${whole ? String.raw`\d{1,3}(?: \d{3})+(?![\d.,])|` : ''}\d[\d.,]*\d|\d)`,
    'g',
  );
const AMOUNT_TOKENS = { whole: amountTokens(true), decimal: amountTokens(false) };

/** The rightmost amount of a row: "TOTAL 1 ITEM 12.50" → 12.50 (also "73. 00", a space read after the point). */
function lastAmountText(row: Row, whole = false): string | null {
  const amount = whole ? AMOUNT_TOKENS.whole : AMOUNT_TOKENS.decimal;
  const tokens = amountsAsPrinted(row.text).match(amount) ?? [];
  // Currencies without minor units (IDR, JPY) print whole amounts, grouped in thousands or not.
  const amounts = tokens.filter(
    (t) => /[.,]\d{1,2}$/.test(t) || (whole && /(^|\D)\d{1,3}([., '’]\d{3})+$|^\D*\d{2,}$/.test(t)),
  );
  return amounts.at(-1) ?? null;
}

const wholeReceipts = new WeakMap<Row[], boolean>();

/**
 * Whether the receipt's amounts are whole units: its currency has none smaller (IDR, JPY, KRW),
 * or not one number on it has decimals while a total is whole hundreds ("TOTAL 91000", "TOTAL
 * 174.600"): a rupiah, won or yen receipt that prints no currency, read in whatever currency the
 * receipt was taken for.
 */
function printsWhole(rows: Row[], currency: string): boolean {
  if (printedWithoutDecimals(currency)) return true;
  let whole = wholeReceipts.get(rows);
  if (whole === undefined) {
    const decimals = rows.some((r) => lastAmountText(r) !== null);
    whole =
      !decimals &&
      rows.some((r) => {
        if (!TOTAL_LABEL.test(r.text) || NOT_TOTAL.test(r.text)) return false;
        const units = Number((lastAmountText(r, true) ?? '').replace(/\D/g, ''));
        return units >= 1000 && units % 100 === 0;
      });
    wholeReceipts.set(rows, whole);
  }
  return whole;
}

/** A row holding one amount and nothing else but a currency or a tax-class letter ("5,47", "EUR 5,47 A"). */
function amountOnly(row: Row): boolean {
  const amount = lastAmountText(row);
  if (!amount) return false;
  const rest = row.text.replace(amount, '').replace(/\b(eur|euro|rm|usd|chf|gbp)\b|[€$£*]/gi, '');
  return (rest.match(/\p{L}/gu) ?? []).length <= 1 && !/\d/.test(rest);
}

/** Every row `label` names (and `exclude` does not) with the amount it holds or sits beside, in reading order. */
function amountCandidates(
  rows: Row[],
  label: RegExp,
  exclude: RegExp | null,
  currency: string,
  mark: DecimalMark | null,
) {
  const whole = printsWhole(rows, currency);
  return rows
    .map((row, i) => ({ row, next: rows[i + 1], previous: rows[i - 1] }))
    .filter(({ row }) => label.test(row.text) && !(exclude && exclude.test(row.text)))
    .map(({ row, next, previous }) => {
      // A label whose amount is printed (or read, on a skewed photo) just below it: the next
      // row, when it holds nothing but that amount (a currency and a tax-class letter at most);
      // else, less surely, just above it (a photo tilted the other way puts the amount's row first).
      // A row ending in an amount whose decimals OCR lost ("Net Total 25.") holds its own amount,
      // unread: it takes no neighbour's.
      const bare = !lastAmountText(row, whole) && !/\d[.,]\s*$/.test(row.text);
      const below = bare && next && amountOnly(next) ? next : null;
      const above = bare && !below && previous && amountOnly(previous) ? previous : null;
      const beside = below ?? above;
      const text = lastAmountText(beside ?? row, whole);
      const amount = text === null ? null : amountIn(text, currency, mark);
      return amount !== null && amount > 0
        ? {
            text: text!,
            amount,
            confidence: beside ? Math.min(row.confidence, beside.confidence) * (below ? 0.9 : 0.8) : row.confidence,
            label: label.exec(row.text)?.[0],
            row: beside ?? row,
          }
        : null;
    })
    .filter((c): c is NonNullable<typeof c> => c !== null);
}

function amountField(
  rows: Row[],
  label: RegExp,
  exclude: RegExp | null,
  pick: 'max' | 'first',
  currency: string,
  mark: DecimalMark | null,
) {
  const candidates = amountCandidates(rows, label, exclude, currency, mark);
  if (!candidates.length) return undefined;
  return pick === 'max' ? candidates.reduce((a, b) => (b.amount > a.amount ? b : a)) : candidates[0];
}

const ROUNDING_LABEL = new RegExp(String.raw`${labelPattern('rounding').source}|\bround(ing)?\s*(adj\w*)?\b`, 'iu');

/**
 * Where cash totals are rounded (to 5 sen, 5 cents…), a rounding adjustment follows the total
 * and what is owed is the total plus the adjustment: taken when that sum is printed below the
 * adjustment (as the rounded total, the amount paid or tendered). The sign is often lost in OCR,
 * so either sign is tried.
 */
function roundedTotal(
  rows: Row[],
  total: NonNullable<LayoutReading['total']>,
  currency: string,
  mark: DecimalMark | null,
): NonNullable<LayoutReading['total']> {
  // The adjustment is a few cents, often printed without its zero: "-0.01", ".01".
  const adjustmentOf = (row: Row) => /(-?)\s*(\d?)[.,](\d{2})\s*$/.exec(row.text);
  const at = rows.findIndex(
    (row, i) => i > rows.indexOf(total.row) && ROUNDING_LABEL.test(row.text) && adjustmentOf(row) !== null,
  );
  if (at < 0) return cashRounded(rows, total, currency, mark);
  const [, sign, whole, cents] = adjustmentOf(rows[at])!;
  const adjustment = amountIn(`${sign}${whole || '0'}.${cents}`, currency);
  if (!adjustment || Math.abs(adjustment) * 10 > total.amount) return cashRounded(rows, total, currency, mark);
  const below = rows.slice(at).map((row) => {
    const text = lastAmountText(row, printsWhole(rows, currency));
    return text === null ? null : { row, text, amount: amountIn(text, currency, mark) };
  });
  for (const rounded of [total.amount + adjustment, total.amount - adjustment]) {
    const printed = below.find((b) => b && b.amount === rounded);
    if (printed)
      return {
        ...total,
        text: printed.text,
        amount: rounded,
        row: printed.row,
        confidence: Math.min(total.confidence, printed.row.confidence),
      };
  }
  return cashRounded(rows, total, currency, mark);
}

// A rounding word as OCR reads it: the vocabulary's, or "round…" with a letter lost or changed ("Rourding", "Rouding").
const ROUNDING_WORD = new RegExp(String.raw`${ROUNDING_LABEL.source}|\bro\p{L}{1,4}ing\b|\bround`, 'iu');

/**
 * Cash rounding whose adjustment OCR garbled ("Rounding Adj 6.01" for -0.01, ".02" without a
 * point read, "Rourding"): the rounded total is an amount printed a few rows below the total,
 * before the change, within 4 minor units of it and a multiple of 5 (5 sen, 5 cents, 0.05 CHF),
 * when the total is not one and a rounding is mentioned on the way. Where cash is rounded, the
 * rounded amount is what is owed.
 */
function cashRounded(
  rows: Row[],
  total: NonNullable<LayoutReading['total']>,
  currency: string,
  mark: DecimalMark | null,
): NonNullable<LayoutReading['total']> {
  if (printsWhole(rows, currency) || total.amount % 5 === 0) return total;
  const from = rows.indexOf(total.row);
  let rounding = false;
  for (const row of rows.slice(from + 1, from + 6)) {
    if (CHANGE_LABEL.test(row.text)) break;
    rounding ||= ROUNDING_WORD.test(row.text);
    const text = lastAmountText(row);
    const amount = text === null ? null : amountIn(text, currency, mark);
    if (
      rounding &&
      amount !== null &&
      amount % 5 === 0 &&
      amount !== total.amount &&
      Math.abs(amount - total.amount) < 5
    )
      return { ...total, text: text!, amount, row, confidence: Math.min(total.confidence, row.confidence) };
  }
  return total;
}

export { cleanName };

/** Whether two amounts' digits differ by one digit added, lost or changed: 194.19 read for 94.19, 51.80 for 51.88. */
export function oneDigitApart(a: number, b: number): boolean {
  const [x, y] = [String(Math.abs(a)), String(Math.abs(b))];
  if (x === y || Math.abs(x.length - y.length) > 1) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i += 1;
  return short.length === long.length ? short.slice(i + 1) === long.slice(i + 1) : short.slice(i) === long.slice(i + 1);
}

/** The amount a row ends with, read in the receipt's own convention (whole units where it prints them). */
function rowAmount(row: Row | undefined, rows: Row[], currency: string, mark: DecimalMark | null): number | null {
  const text = row ? lastAmountText(row, printsWhole(rows, currency)) : null;
  return text === null ? null : amountIn(text, currency, mark);
}

/**
 * Two total rows one digit apart ("Total : 63.80", "Total sales inclusive GST 83.80"): OCR misread
 * one of them, and the largest is not then the surest. The amount the receipt prints more often
 * (as an item's amount, what was paid) is the total. Not for a few cents (a cash rounding), nor
 * when the two differ by the tax read: then they are the totals before and after tax.
 */
function agreedTotal(
  rows: Row[],
  reading: LayoutReading,
  currency: string,
  mark: DecimalMark | null,
): NonNullable<LayoutReading['total']> {
  const total = reading.total!;
  const amounts = rows.map((r) => rowAmount(r, rows, currency, mark));
  const printed = (amount: number) => amounts.filter((a) => a === amount).length;
  const other = amountCandidates(rows, TOTAL_LABEL, NOT_TOTAL, currency, mark).find(
    (c) =>
      c.amount !== total.amount &&
      oneDigitApart(c.amount, total.amount) &&
      Math.abs(c.amount - total.amount) >= 10 &&
      Math.abs(c.amount - total.amount) !== reading.tax?.amount &&
      printed(c.amount) > printed(total.amount),
  );
  return other ? { ...other, confidence: Math.min(other.confidence, total.confidence) * 0.8 } : total;
}

const DISCOUNT_LABEL = labelPattern('discount');

/**
 * The total against the receipt's own arithmetic. OCR misreads one digit of a total as often as
 * any other ("194.19" for 94.19, 84.00 for 94.00): when what the receipt's other amounts make
 * (subtotal plus tax, what was paid less the change, or the two part totals printed just above
 * it) differs from the total read by exactly one digit, those amounts are what was printed.
 * Never for a few cents (a cash rounding), nor across a discount.
 */
function checkedTotal(
  rows: Row[],
  reading: LayoutReading,
  currency: string,
  mark: DecimalMark | null,
): NonNullable<LayoutReading['total']> {
  const total = reading.total!;
  const at = rows.indexOf(total.row);
  const amountOf = (row: Row | undefined) => rowAmount(row, rows, currency, mark);
  const sums: number[] = [];
  const { subtotal, tax } = reading;
  if (subtotal && tax && subtotal.amount !== total.amount) {
    const [from, to] = [rows.indexOf(subtotal.row), rows.indexOf(tax.row)];
    const discounted = rows.slice(from, Math.max(at, to) + 1).some((r) => DISCOUNT_LABEL.test(r.text) && amountOf(r));
    if (from < to && !discounted) sums.push(subtotal.amount + tax.amount);
  }
  // What was handed over is the payment row nearest above the change: a till may first print the
  // amount charged to the cash ("Cash 71.00", "Cash Received 101.00", "Change 30.00").
  const changeAt = rows.findIndex((r, i) => i > at && CHANGE_LABEL.test(r.text));
  const paidAt = rows.findLastIndex(
    (r, i) => i > at && i < changeAt && PAID_LABEL.test(r.text) && !CHANGE_LABEL.test(r.text),
  );
  const [paid, change] = [amountOf(rows[paidAt]), amountOf(rows[changeAt])];
  if (paidAt > at && paid !== null && change !== null && change > 0) sums.push(paid - change);
  const [one, two] = [rows[at - 1], rows[at - 2]];
  if (one && two && TOTAL_LABEL.test(one.text) && TOTAL_LABEL.test(two.text)) {
    const [a, b] = [amountOf(one), amountOf(two)];
    if (a !== null && b !== null) sums.push(a + b);
  }
  const sum = sums.find((s) => s > 0 && Math.abs(s - total.amount) >= 5 && oneDigitApart(s, total.amount));
  return sum === undefined
    ? total
    : { ...total, amount: sum, text: decimalAmount(sum, currency), confidence: total.confidence * 0.8 };
}

// A registration label and what follows it on the row ("Reg.kood 10714195", "Co. No: 1234-X", "GST ID …").
const REGISTRATION_LABEL = new RegExp(
  String.raw`\s*[([]?\s*\b(reg(istration)?\.?\s*(no|nr|kood|code|number)?|registrikood|co\.?\s*(no|reg)|company\s*(no|reg)` +
    String.raw`|(gst|sst|vat|ust|tax)\.?\s*(reg\w*|id|no|nr))\b.*$`,
  'iu',
);

/** The name a row prints before its registration label, when that leaves a name that is no title, contact or label. */
function nameBeforeRegistration(text: string): string | null {
  const name = text.replace(REGISTRATION_LABEL, '');
  return name !== text && distinctiveLetters(name) >= 3 && !NOT_MERCHANT.test(name) ? name : null;
}

/**
 * A total row ending in bare digits where the receipt prints its amounts with a decimal mark: the
 * mark was lost when a payment printed below it reads as those digits with it ("TOTALE EURO 6900"
 * over "CONTANTI 69,00").
 */
function totalWithoutItsMark(
  rows: Row[],
  currency: string,
  mark: DecimalMark | null,
): LayoutReading['total'] | undefined {
  if (printsWhole(rows, currency)) return undefined;
  const paid = amountCandidates(rows, PAID_LABEL, CHANGE_LABEL, currency, mark);
  for (const [at, row] of rows.entries()) {
    const digits = TOTAL_LABEL.test(row.text) && !NOT_TOTAL.test(row.text) && /(?<![\d.,])(\d{3,7})\s*$/.exec(row.text);
    const payment = digits && paid.find((p) => p.amount === Number(digits[1]) && rows.indexOf(p.row) > at);
    if (payment)
      return {
        ...payment,
        label: TOTAL_LABEL.exec(row.text)?.[0],
        confidence: Math.min(row.confidence, payment.confidence) * 0.8,
      };
  }
  return undefined;
}

/** The lowest amount printed on two rows at most three apart, with nothing else read for a total. */
function repeatedAmount(rows: Row[], currency: string, mark: DecimalMark | null): LayoutReading['total'] | undefined {
  const amounts = rows.map((r) => rowAmount(r, rows, currency, mark));
  for (let i = rows.length - 1; i > 0; i--) {
    const amount = amounts[i];
    if (amount === null || amount <= 0) continue;
    const at = amounts.slice(Math.max(0, i - 3), i).lastIndexOf(amount);
    if (at < 0) continue;
    const row = rows[Math.max(0, i - 3) + at];
    const text = lastAmountText(row, printsWhole(rows, currency)) ?? String(amount);
    return { text, amount, confidence: Math.min(row.confidence, rows[i].confidence) * 0.3, row };
  }
  return undefined;
}

/** How many letters of a name are not a legal form, a kind of business or a bracketed state code ("(M)", "(KL)"). */
function distinctiveLetters(name: string): number {
  return name
    .replace(new RegExp(COMPANY.source, 'giu'), '')
    .replace(/\([A-Z]{1,3}\)/gi, '')
    .replace(/[^\p{L}]/gu, '').length;
}

/** The rows a receipt's head spans at most: the name, its address, ids and contacts. */
const HEAD_ROWS = 12;

/**
 * The name with the words the recognizer misread mended from the address printed under it ("SETIA
 * ALAH" over "SETIA ALAM") and from an English dictionary ("HARDNARE", "Wor Id"), on a receipt whose
 * labels are English or Malay or say no language (Malaysia's shops name themselves in English
 * words); not where they are another language's ("Moden" is no "Modem"). Company words stay, and
 * so do words the receipt prints again (the same reading twice: "MIZU MENTAI" over "SUSHI
 * MENTAI"). Then a well-known brand misread by a letter, on any receipt ("Medla Markt":
 * brand-spelling.ts).
 */
function mendedName(name: string, rows: Row[]): string {
  const language = labelLanguage(rows.map((r) => r.text).join('\n'))?.language;
  if (language && language !== 'en' && language !== 'ms') return mendedBrand(name);
  const printedTwice = (word: string) => {
    const whole = new RegExp(String.raw`(?<![\p{L}])${word}(?![\p{L}])`, 'giu');
    return rows.reduce((n, r) => n + (r.text.match(whole)?.length ?? 0), 0) >= 2;
  };
  // A word the address prints right, from the head's rows (a footer's words are misread as often:
  // "COODS HUST BE…"); only where names are not inflected in the address ("Kohvik Raekoda", "Raekoja plats").
  const asPrinted = mendedFromReceipt(
    name,
    rows.slice(0, HEAD_ROWS).map((r) => r.text),
  );
  return mendedBrand(mendedWords(asPrinted, (word) => COMPANY.test(word) || printedTwice(word)));
}

/**
 * A merchant name another reader gave (Textract's VENDOR_NAME) put right as the layout rules put
 * their own: OCR's look-alike letters and spacing undone, misread words and brands mended in
 * the light of the receipt's rows (those already built, not built again).
 */
export function mendedMerchantName(name: string, rows: Row[]): string {
  return mendedName(cleanName(name), rows);
}

/**
 * A legal name made only of words for a kind of business under a chain's sign ("Sainsbury's" /
 * "Supermarkets Ltd"): the sign is the first part of the name.
 */
function generalUnderBrand(name: string, above: string): boolean {
  const words = name.replace(LEGAL_FORM.exec(name)?.[2] ?? '', '').match(/\p{L}+/gu) ?? [];
  const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}]/gu, '');
  return (
    words.length > 0 &&
    words.every((w) => COMPANY.test(w)) &&
    !letters(name).includes(letters(above)) &&
    brandIndex().match(above) !== null
  );
}

/** A chain's name with its store number ("ALBERT HEIJN 1234"), which looks like a street and its house number. */
function storeNumbered(text: string): boolean {
  const name = /^(.*\p{L}.*?)\s+#?\d{1,5}\s*$/u.exec(text)?.[1];
  return name !== undefined && brandIndex().match(name) !== null;
}

export function readLayout(lines: TextLine[], order: DateOrder, today: Date, currency = 'USD'): LayoutReading {
  const rows = rowsOf(lines);
  const reading: LayoutReading = { rows };
  const mark = decimalMarkOf(rows.map((r) => r.text).join('\n'));

  // A row that says it is what is owed wins; otherwise the grand total is the largest amount on
  // a total-like row (taxes, roundings and change are smaller).
  reading.total =
    amountField(rows, OWED_LABEL, NOT_TOTAL, 'max', currency, mark) ??
    amountField(rows, TOTAL_LABEL, NOT_TOTAL, 'max', currency, mark);
  reading.subtotal = amountField(rows, SUBTOTAL_LABEL, null, 'first', currency, mark);
  // A total whose decimal mark OCR lost ("TOTALE EURO 6900"), as a payment below it prints it ("CONTANTI 69,00").
  reading.total ??= totalWithoutItsMark(rows, currency, mark);
  if (!reading.total) {
    // No total row read: what was paid minus the change is the total.
    const paid = amountField(rows, PAID_LABEL, CHANGE_LABEL, 'first', currency, mark);
    // A change row of 0.00 (which amountField skips, as it skips every zero) says what was paid is the total.
    const change =
      amountField(rows, CHANGE_LABEL, null, 'first', currency, mark) ??
      (rows.some((r) => CHANGE_LABEL.test(r.text) && /(?<![\d.,])0[.,]00\s*$/.test(r.text))
        ? { amount: 0, confidence: paid?.confidence ?? 0 }
        : undefined);
    // What was paid, with no change printed at all: the total, when no total row could be read (a card, exact cash), less sure.
    const noChangeRow = !rows.some((r) => CHANGE_LABEL.test(r.text));
    if (paid && noChangeRow && !reading.subtotal) {
      reading.total = { ...paid, confidence: paid.confidence * 0.6 };
    } else if (paid && change && paid.amount > change.amount) {
      reading.total = {
        ...paid,
        amount: paid.amount - change.amount,
        text: decimalAmount(paid.amount - change.amount, currency),
        confidence: Math.min(paid.confidence, change.confidence) * 0.8,
      };
    } else if (reading.subtotal) {
      // Nothing else: the subtotal (no tax on the receipt), with less confidence.
      reading.total = { ...reading.subtotal, confidence: reading.subtotal.confidence * 0.6 };
    }
  }
  if (!reading.total) {
    // A total printed as zero (a comped meal, a fully discounted order) is a total too, when it is all there is.
    const zero = rows.find(
      (r) =>
        TOTAL_LABEL.test(r.text) && !NOT_TOTAL.test(r.text) && amountIn(lastAmountText(r) ?? '', currency, mark) === 0,
    );
    if (zero)
      reading.total = {
        text: lastAmountText(zero)!,
        amount: 0,
        confidence: zero.confidence * 0.5,
        label: TOTAL_LABEL.exec(zero.text)?.[0],
        row: zero,
      };
  }
  // No label read at all (a script the recognizer lacks: 합계, ИТОГ, รวม): the total and what paid it are
  // one amount printed on two rows close together; the lowest such pair, and a guess to review.
  reading.total ??= repeatedAmount(rows, currency, mark);
  if (reading.total) reading.total = roundedTotal(rows, reading.total, currency, mark);
  reading.tax = amountField(rows, TAX_LABEL, NOT_TAX, 'first', currency, mark);
  // India's GST in two halves, the centre's and the state's (or territory's): the tax is both.
  const half = (label: RegExp) =>
    amountCandidates(rows, label, NOT_TAX, currency, mark).find((c) => !/total/i.test(c.row.text));
  const [centre, state] = [half(/\bcgst\b/i), half(/\b(sgst|utgst)\b/i)];
  if (centre && state && reading.tax && [centre.row, state.row].includes(reading.tax.row))
    reading.tax = {
      ...centre,
      amount: centre.amount + state.amount,
      text: decimalAmount(centre.amount + state.amount, currency),
    };
  if (reading.total) reading.total = agreedTotal(rows, reading, currency, mark);
  if (reading.total) reading.total = checkedTotal(rows, reading, currency, mark);

  // A labelled date first, then one printed with a time (the sale), then any.
  const dated = [
    ...rows.filter((r) => DATE_LABEL.test(r.text)),
    ...rows.filter((r) => /\d{1,2}:\d{2}/.test(r.text)),
    ...rows,
  ];
  for (const row of dated) {
    const [date] = datesIn(row.text, order, today);
    if (date) {
      reading.date = { text: row.text, date, confidence: row.confidence, row };
      break;
    }
  }

  // The merchant heads the receipt: the first row with a legal form or a kind of business
  // ("CARREFOUR RESTAURANT", "real GmbH") near the top, else the first row of words. Rows that
  // are not printed words (print-through, a watermark), addresses, contact lines, titles,
  // currency headings and priced items ("CAFE CREME 3.80") are never the merchant.
  const page = rows.filter((r) => r.page === rows[0]?.page);
  // The head ends where the first prices begin (a short receipt's items are no name).
  const firstPriced = page.findIndex((r, i) => i >= 2 && lastAmountText(r) !== null);
  const head = page.slice(0, Math.min(HEAD_ROWS, firstPriced < 0 ? Infinity : firstPriced));
  const letters = (text: string) => (text.match(/\p{L}/gu) ?? []).length;
  const wordy = head.filter(
    (r) =>
      letters(r.text) >= 3 &&
      letters(r.text) >= (r.text.match(/\d/g) ?? []).length &&
      // A name printed with its registration number ("ABC Supermarkets AS Reg.kood 10714195") is judged without it,
      // where a name is left ("Company Reg. No: 123" leaves none).
      (!NOT_MERCHANT.test(r.text) || nameBeforeRegistration(r.text) !== null) &&
      (!ADDRESS.test(r.text) || storeNumbered(r.text)) &&
      !CURRENCY_HEADING.test(r.text) &&
      !isCountryName(r.text) &&
      !TOTAL_LABEL.test(r.text) &&
      looksPrinted(r.text, r.confidence) &&
      lastAmountText(r) === null,
  );
  // A name written by hand above the printed one ("tan woon yann" over "INDAH GIFT & HOME DECO"):
  // words all in small letters above a name printed in capitals. A brand printed in small
  // letters ("real", "dm-drogerie markt") over no capitals stays, and so does a logo read with
  // little confidence: it is often the brand.
  const capitals = (r: Row) => (r.text.match(/\p{Lu}/gu) ?? []).length > (r.text.match(/\p{Ll}/gu) ?? []).length;
  const handWritten = (r: Row) =>
    /^[\p{Ll}\s.'-]+$/u.test(r.text.trim()) &&
    /\p{L}\s+\p{L}/u.test(r.text) &&
    wordy.slice(wordy.indexOf(r) + 1).some(capitals);
  let company = wordy.find((r) => COMPANY.test(r.text));
  // The chain a head row names, as a logo may be misread ("R SSMANN"): not a hand-written note, nor a scrap of letters.
  const chainOf = (r: Row) =>
    letters(r.text) >= 4 && !handWritten(r) ? brandIndex().match(mendedBrand(cleanName(r.text))) : null;
  // A chain's name heading the receipt (its logo, "R SSMANN") over a row that only names a kind of
  // shop ("Mein Drogeriemarkt"): the chain is the merchant. Not over a legal or trading name
  // ("Esjay Fuel Enterprise" under "BHPetrol": the business's own name), nor when the shop's row
  // names a chain itself.
  const headBrand =
    company &&
    !LEGAL_FORM.test(company.text) &&
    !/enterprise|trading|company|\bco\./iu.test(company.text) &&
    !brandIndex().match(company.text)
      ? wordy.slice(0, wordy.indexOf(company)).find((r) => chainOf(r) !== null)
      : undefined;
  if (headBrand) company = undefined;
  // No company at the head but a chain's name ("DOMINO'S PIZZA"): that is the merchant, not the
  // operator's legal name printed in the footer ("Owned by Dommal Food Services Sdn Bhd").
  const signOnly =
    company || headBrand ? undefined : wordy.find((r) => !PAID_LABEL.test(r.text) && chainOf(r)?.whole === true);
  let printedAs: string | null = null;
  if (!company && !headBrand && !signOnly) {
    // No company at the head (a logo, print-through): a legal name printed anywhere, up to its legal form.
    // The name may share its row with the address printed beside it ("KEDAI SDN BHD No: 28, JALAN 1"): only what ends in the legal form counts.
    // A row may hold the name beside other lines ("Tel.: …  Husener Str. 121  real GmbH"): each line is tried alone too.
    const legalName = (text: string, r: Row) => {
      const named = LEGAL_FORM.exec(text)?.[1];
      return named &&
        !NOT_MERCHANT.test(named) &&
        !ADDRESS.test(named) &&
        !CURRENCY_HEADING.test(named) &&
        distinctiveLetters(named) >= 2 &&
        looksPrinted(text, r.confidence) &&
        lastAmountText(r) === null
        ? named
        : null;
    };
    for (const r of rows) {
      printedAs =
        [r.text, ...(r.lines.length > 1 ? r.lines.map((l) => l.text) : [])]
          .map((text) => legalName(text, r))
          .find((named) => named !== null) ?? null;
      if (printedAs) {
        company = r;
        break;
      }
    }
  }
  const merchant = headBrand ?? signOnly ?? company ?? wordy.find((r) => !handWritten(r)) ?? wordy[0];
  if (merchant) {
    // A registration number printed after the name is not part of it: "GARDENIA BAKERIES (KL) SDN BHD (139386-X)".
    let name = withoutRegistration(printedAs ?? merchant.text);
    // A name wrapped over two rows ("POPULAR BOOK" / "CO. (M) SDN BHD"): the suffix row alone names no one.
    // So is a row that starts with the legal form or company word ending the name above it
    // ("AIK HUAT HARDWARE" / "ENTERPRISE (SETIA ALAM) SDN BHD" when the first row was misread).
    const above = head[head.indexOf(merchant) - 1];
    if (
      company &&
      above &&
      wordy.includes(above) &&
      (distinctiveLetters(name) < 4 ||
        (!printedAs && CONTINUES_NAME.test(name) && !LEGAL_FORM.test(above.text)) ||
        generalUnderBrand(name, above.text))
    ) {
      name = `${above.text.trim()} ${name}`;
    }
    // A name wrapped the other way: the row ends on a joining word ("HOME MASTER HARDWARE &" /
    // "ELECTRICAL"), or the next row carries on with the legal form the name lacks
    // ("AIK HUAT HARDWARE" / "ENTERPRISE (SETIA ALAM) SDN BHD").
    let end = head.indexOf(merchant);
    const below = head[end + 1];
    if (
      !printedAs &&
      below &&
      wordy.includes(below) &&
      (NAME_GOES_ON.test(name) || (!LEGAL_FORM.test(name) && CONTINUES_NAME.test(below.text)))
    ) {
      name = `${name} ${withoutRegistration(below.text)}`;
      end += 1;
    }
    // A bracket closed on the next row closes a bracket of the name ("… ENTERPRISE (SETIA" /
    // "ALAM) SDN BHD"), also when OCR lost the opening one.
    // The row that closes it may be the second below, past a row OCR misread ("ENTERPRISF LKAJANG").
    const closing = [1, 2].find((k) => /^[^()]*\)/.test(head[end + k]?.text ?? ''));
    const rest = closing ? head.slice(end + 1, end + 1 + closing) : [];
    if (!printedAs && rest.length && rest.every((r) => wordy.includes(r)) && !LEGAL_FORM.test(name)) {
      name = [name, ...rest.map((r) => withoutRegistration(r.text))].join(' ');
    }
    // The legal form ends a company's name: a scrap after it ("… TRADING SDN BHD SE", "… plc BD3 7DL") is not the name.
    const legal = LEGAL_FORM.exec(name);
    const after = legal ? name.slice(legal[1].length) : '';
    if (legal && /^\s+[\p{L}\d]{1,3}(\s+[\p{L}\d]{1,3})?\s*$/u.test(after)) name = legal[1];
    reading.merchant = {
      text: mendedName(cleanName(name), rows),
      confidence: merchant.confidence * (company ? 0.95 : 0.7),
      row: merchant,
    };
  }
  return reading;
}
