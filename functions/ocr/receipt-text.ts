import type { DateOrder } from '../../generated/graphql.ts';
import { minorUnitDigits } from '../shared/money.ts';

/**
 * Reading the pieces of a receipt's text: amounts (any thousands/decimal convention, any
 * currency mark) into minor units, dates in the user's day/month order, and currencies.
 */

// Symbols before codes: "RM" and "S$" must win over a bare "$".
const CURRENCY_MARKS: Array<[RegExp, string]> = [
  [/\bRM\s?\d/i, 'MYR'],
  [/S\$/, 'SGD'],
  [/A\$/, 'AUD'],
  [/C\$/, 'CAD'],
  [/HK\$/, 'HKD'],
  [/€/, 'EUR'],
  [/£/, 'GBP'],
  [/¥|円/, 'JPY'],
  [/₹/, 'INR'],
  [/₩/, 'KRW'],
  [/CHF/, 'CHF'],
];
const ISO_CODES = new Set(Intl.supportedValuesOf('currency'));
const DOLLAR_CURRENCIES = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'MXN']);

/** The currency a text names, by symbol or ISO code; a bare "$" means the user's dollar currency, else USD. */
export function currencyIn(text: string, homeCurrency?: string): string | null {
  for (const [mark, code] of CURRENCY_MARKS) if (mark.test(text)) return code;
  // A code counts only next to an amount: "SDN BHD" is a Malaysian company, not Bahraini dinars.
  for (const m of text.toUpperCase().matchAll(/\b([A-Z]{3})\s?-?\d|\d\s?([A-Z]{3})\b/g)) {
    const word = m[1] ?? m[2];
    if (ISO_CODES.has(word)) return word;
  }
  if (text.includes('$')) return homeCurrency && DOLLAR_CURRENCIES.has(homeCurrency) ? homeCurrency : 'USD';
  return null;
}

/**
 * "1,810.46", "$ 1 810,46", "RM9.00", "12.5" → minor units of `currency` (1810_46…); null when
 * the text holds no amount. The last "." or "," followed by 1–2 (or the currency's) digits
 * is the decimal mark; other separators group thousands.
 */
export function amountIn(text: string, currency = 'USD'): number | null {
  const match = /-?\d[\d.,' ]*\d|\d/.exec(text.replace(/\s+(?=\d{3}\b)/g, ''));
  if (!match) return null;
  let digits = match[0].replace(/[' ]/g, '');
  const negative = digits.startsWith('-');
  digits = digits.replace(/^-/, '');
  const decimals = minorUnitDigits(currency);
  const lastMark = Math.max(digits.lastIndexOf('.'), digits.lastIndexOf(','));
  let whole = digits;
  let fraction = '';
  if (lastMark >= 0) {
    const tail = digits.slice(lastMark + 1);
    // "1,234" with three digits after the only mark is a thousands group, not a fraction.
    const onlyMark = digits.indexOf('.') === digits.lastIndexOf('.') && digits.indexOf(',') === digits.lastIndexOf(',') && !(digits.includes('.') && digits.includes(','));
    if (tail.length > 0 && tail.length <= Math.max(2, decimals) && !(onlyMark && tail.length === 3 && decimals < 3)) {
      whole = digits.slice(0, lastMark);
      fraction = tail;
    }
  }
  whole = whole.replace(/[.,]/g, '');
  if (!/^\d+$/.test(whole || '0')) return null;
  const minor = Number(whole || '0') * 10 ** decimals + Number((fraction + '000').slice(0, decimals) || '0');
  if (!Number.isSafeInteger(minor)) return null;
  return negative ? -minor : minor;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  januari: 1, februari: 2, mac: 3, mei: 5, julai: 7, ogos: 8, okt: 10, dis: 12,
};

function validDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return date.toISOString().slice(0, 10);
}

const fullYear = (y: number) => (y < 100 ? 2000 + y : y);

/**
 * Every plausible date in `text`, as YYYY-MM-DD: numeric forms read in the user's order (the
 * other order only when the first is impossible), month names in any order; years from 2000,
 * nothing later than tomorrow (a receipt is never from the future).
 */
export function datesIn(raw: string, order: DateOrder, today: Date = new Date()): string[] {
  // OCR reads the O of OCT and NOV as a zero ("100CT 2017", "0ct 3"): put the letter back.
  const text = raw.replace(/0(?=CT\b|CT\d|ct\b|ct\d)/g, 'O').replace(/(?<=N)0(?=V)/gi, 'O');
  const latest = new Date(today.getTime() + 86_400_000).toISOString().slice(0, 10);
  const found: string[] = [];
  const keep = (date: string | null) => {
    if (date && date >= '2000-01-01' && date <= latest && !found.includes(date)) found.push(date);
  };
  for (const m of text.matchAll(/\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/g)) keep(validDay(+m[1], +m[2], +m[3]));
  // A time may follow with no space ("02/02/201718:24"): a 4-digit year ends where the time begins.
  for (const m of text.matchAll(/\b(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2}(?=\D|$|\d{1,2}:)|\d{2}(?=\b|\d{1,2}:))/g)) {
    const [a, b, y] = [+m[1], +m[2], fullYear(+m[3])];
    const first = order === 'MDY' ? validDay(y, a, b) : validDay(y, b, a);
    keep(first ?? (order === 'MDY' ? validDay(y, b, a) : validDay(y, a, b)));
  }
  for (const m of text.matchAll(/\b(\d{1,2})[\s/-]*([A-Za-z]{3,9})\.?[\s,/-]*(\d{4}(?=\D|$|\d{1,2}:)|\d{2}\b)/g)) {
    const month = MONTHS[m[2].toLowerCase()] ?? MONTHS[m[2].toLowerCase().slice(0, 3)];
    if (month) keep(validDay(fullYear(+m[3]), month, +m[1]));
  }
  for (const m of text.matchAll(/\b([A-Za-z]{3,9})\.?\s+(\d{1,2})[,.\s]+(\d{4})(?=\D|$|\d{1,2}:)/g)) {
    const month = MONTHS[m[1].toLowerCase()] ?? MONTHS[m[1].toLowerCase().slice(0, 3)];
    if (month) keep(validDay(+m[3], month, +m[2]));
  }
  return found;
}
