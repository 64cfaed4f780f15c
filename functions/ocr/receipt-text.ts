import type { DateOrder } from '../../generated/graphql.ts';
import { minorUnitDigits } from '../shared/money.ts';
import { labelPattern, monthNumber } from './receipt-vocabulary.ts';

/**
 * Reading the pieces of a receipt's text: amounts (any thousands/decimal convention, any
 * currency mark) into minor units, dates in the user's day/month order, and currencies.
 */

/** The decimal mark a receipt prints its amounts with. */
export type DecimalMark = '.' | ',';

// Dates and times look like amounts ("02.03.20", "12.30"): taken out before the amounts are counted.
const DATE_OR_TIME =
  /\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:uhr|h|am|pm)\b|\b\d{1,2}:\d{2}\b/gi;

/**
 * The decimal mark of a receipt, from its own amounts: "24,23" and "1.234,50" say comma,
 * "24.23" and "1,234.50" say point; the mark most amounts end with wins (a receipt prints all
 * its prices one way). Null when the text has no amount with two decimals.
 */
export function decimalMarkOf(text: string): DecimalMark | null {
  const bare = text.replace(DATE_OR_TIME, ' ');
  let comma = 0;
  let point = 0;
  for (const m of bare.matchAll(/\d([.,])\d{2}(?!\d)/g))
    if (m[1] === ',') comma += 1;
    else point += 1;
  if (comma === 0 && point === 0) return null;
  return comma > point ? ',' : '.';
}

/**
 * "1,810.46", "$ 1 810,46", "RM9.00", "12.5" → minor units of `currency` (1810_46…); null when
 * the text holds no amount. With the receipt's decimal mark known, that mark is the decimal
 * point and the other one groups thousands ("1.129,00" on a comma receipt); without it, or
 * when the text does not use it, the last "." or "," followed by 1–2 (or the currency's)
 * digits is the decimal mark and other separators group thousands.
 */
export function amountIn(text: string, currency = 'USD', decimalMark: DecimalMark | null = null): number | null {
  const match = /-?\d[\d.,' ]*\d|\d/.exec(text.replace(/\s+(?=\d{3}\b)/g, ''));
  if (!match) return null;
  let digits = match[0].replace(/[' ]/g, '');
  const negative = digits.startsWith('-');
  digits = digits.replace(/^-/, '');
  const decimals = minorUnitDigits(currency);
  let whole = digits;
  let fraction = '';
  const tailAt = (at: number) => digits.slice(at + 1);
  const fits = (tail: string) => tail.length > 0 && tail.length <= Math.max(2, decimals);
  if (decimalMark && digits.includes(decimalMark) && fits(tailAt(digits.lastIndexOf(decimalMark)))) {
    whole = digits.slice(0, digits.lastIndexOf(decimalMark));
    fraction = tailAt(digits.lastIndexOf(decimalMark));
  } else {
    const lastMark = Math.max(digits.lastIndexOf('.'), digits.lastIndexOf(','));
    if (lastMark >= 0) {
      const tail = tailAt(lastMark);
      // "1,234" with three digits after the only mark is a thousands group, not a fraction.
      const onlyMark =
        digits.indexOf('.') === digits.lastIndexOf('.') &&
        digits.indexOf(',') === digits.lastIndexOf(',') &&
        !(digits.includes('.') && digits.includes(','));
      if (fits(tail) && !(onlyMark && tail.length === 3 && decimals < 3)) {
        whole = digits.slice(0, lastMark);
        fraction = tail;
      }
    }
  }
  whole = whole.replace(/[.,]/g, '');
  if (!/^\d+$/.test(whole || '0')) return null;
  const minor = Number(whole || '0') * 10 ** decimals + Number((fraction + '000').slice(0, decimals) || '0');
  if (!Number.isSafeInteger(minor)) return null;
  return negative ? -minor : minor;
}

function validDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return date.toISOString().slice(0, 10);
}

const fullYear = (y: number) => (y < 100 ? 2000 + y : y);
/**
 * A month's name in any language of the vocabulary, or its first three letters ("Sept",
 * "Januari"); an O that OCR read as a zero put back ("0ut", "ag0", "0tt", "N0V").
 */
const monthOf = (printed: string) => {
  const name = printed.replace(/0/g, 'o');
  return monthNumber(name) ?? monthNumber(name.slice(0, 3));
};
// A month's name as OCR reads it: letters, an O among them perhaps read as a zero.
const MONTH_WORD = String.raw`(?:0?\p{L}[\p{L}0]{1,11})`;

/** One date as printed: where it is, and what it reads as in each order (a month name reads the same in all). */
interface DateMention {
  /** The date as printed, e.g. "11/01/2019" or "10OCT 2017". */
  text: string;
  index: number;
  readings: Record<DateOrder, string | null>;
}

/**
 * Every date-like span of `raw`, in a fixed order of forms (year first, numeric, day-month
 * name, month name-day), each with its reading in every day/month order. OCR reads the O of
 * OCT and NOV as a zero ("100CT 2017", "0ct 3"): the letter is put back before matching.
 */
function dateMentionsIn(raw: string): DateMention[] {
  // Same length as `raw`, so offsets still point into it: a comma read for a date's dot, O read
  // as zero in month names; a time glued before a date ("16:1404/03/18") or a 2-digit year glued to the time after it
  // ("08.04.2009:51" is 08.04.20 09:51: a 4-digit year is never followed by a colon).
  const text = raw
    // A dotted date with one dot read as a comma ("02.03,2020", "23,03.20"): OCR confuses the two.
    .replace(/\b(\d{1,2})([.,])(\d{1,2})([.,])(\d{2}(?:\d{2})?)\b/g, (date, day, first, month, second, year) =>
      first !== second ? `${day}.${month}.${year}` : date,
    )
    // A dotted date with one dot read as a space ("20 05.2020", "20.05 2020"): only with a full year.
    .replace(
      /\b(\d{1,2})(?: (\d{1,2})\.|\.(\d{1,2}) )((?:19|20)\d{2})\b/g,
      (...[, day, a, b, year]: string[]) => `${day}.${a ?? b}.${year}`,
    )
    // A month's abbreviation between a day and a year with its last letter read as a zero ("25/Fe0/2017", "02/Ja0/2017"):
    // the first two letters say which month, where they name one month only.
    .replace(
      /(?<=\b\d{1,2}[/-])(ja|fe|ap|au|se|oc|no|de)[0o](?=[/-]\d{2})/gi,
      (abbreviation: string, start: string) =>
        `${start}${({ ja: 'n', fe: 'b', ap: 'r', au: 'g', se: 'p', oc: 't', no: 'v', de: 'c' } as Record<string, string>)[start.toLowerCase()]}`,
    )
    .replace(/0(?=CT\b|CT\d|ct\b|ct\d)/g, 'O')
    .replace(/(?<=N)0(?=V)/gi, 'O')
    .replace(/(?<=\d{1,2}:\d)\d(?=\d{1,2}[-/.]\d{1,2}[-/.]\d{2})/g, ' ')
    .replace(/(?<=\d{1,2}[-/.]\d{1,2}[-/.]\d{2})\d(?=\d:\d{2})/g, ' ');
  const mentions: DateMention[] = [];
  const add = (m: RegExpMatchArray, readings: DateMention['readings']) =>
    mentions.push({ text: raw.slice(m.index!, m.index! + m[0].length), index: m.index!, readings });
  const same = (date: string | null) => ({ DMY: date, MDY: date, YMD: date });
  // Year first: an ISO timestamp's time may follow with no space ("2023-10-21T08:15:00"); Korea and
  // Hungary put a space after each point ("2023. 01. 03."); Chinese, Japanese and Korean dates print
  // their units ("2023年5月12日", "2023년 5월 12일").
  for (const m of [
    ...text.matchAll(/\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g),
    ...text.matchAll(/\b(\d{4})\.\s(\d{1,2})\.\s(\d{1,2})(?!\d)/g),
    ...text.matchAll(/(?<!\d)(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})(?!\d)/g),
  ])
    add(m, same(validDay(+m[1], +m[2], +m[3])));
  // Japan's era years: Reiwa from 2019 (令和元年, its first), Heisei 1989–2019 ("令和5年1月3日" is
  // 2023-01-03).
  for (const m of text.matchAll(/(令和|平成)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/gu)) {
    const year = (m[1] === '令和' ? 2018 : 1988) + (m[2] === '元' ? 1 : +m[2]);
    add(m, same(validDay(year, +m[3], +m[4])));
  }
  // Eight digits with a time after them are a date printed without separators ("25032018 13:11:54",
  // "20180428/191204"): the one of DDMMYYYY and YYYYMMDD that is a day.
  for (const m of text.matchAll(/(?<!\d)(\d{8})(?=[ /]\s*\d{1,2}:?\d{2}(?::?\d{2})?(?!\d))/g)) {
    const d = m[1];
    add(
      m,
      same(
        validDay(+d.slice(4), +d.slice(2, 4), +d.slice(0, 2)) ?? validDay(+d.slice(0, 4), +d.slice(4, 6), +d.slice(6)),
      ),
    );
  }
  // A time may follow with no space ("02/02/201718:24"): a 4-digit year ends where the time begins.
  // One date prints one separator twice: "REG #19-10/03/2018" holds 10/03/2018, not 19-10/03.
  // A time read with a dot ("17/01/20188.08:53": 2018 and 18:08:53 with its first digit lost) ends the year too.
  // So does a French time ("11/12/202212h42").
  // A number glued before a full date ("100021911/03/201806:20", a till number) leaves a 2-digit day and month.
  for (const m of [
    ...text.matchAll(
      /\b(\d{1,2})([-/.])(\d{1,2})\2((?:19|20)\d{2}(?=\D|$|\d{1,4}[:.]\d|\d{1,2}h\d{2})|\d{2}(?=\b|\d{1,2}:))/g,
    ),
    ...text.matchAll(/(?<=\d)(\d{2})([-/])(\d{2})\2((?:19|20)\d{2})(?=\D|$|\d{1,4}[:.]\d)/g),
  ]) {
    const [, first, separator, second, last] = m;
    const [a, b, y] = [+first, +second, fullYear(+last)];
    // Dotted dates are day-first wherever they are printed ("02.03.20"), unless only month-first
    // makes a date of them ("10.21.2023", as some US tills print it).
    if (separator === '.') {
      const dayFirst = validDay(y, b, a) ?? (b > 12 ? validDay(y, a, b) : null);
      add(m, { DMY: dayFirst, MDY: dayFirst, YMD: dayFirst });
      continue;
    }
    // Only a 2-digit last part can be the day of a year-first date ("19/03/07").
    const yearFirst = last.length === 2 && first.length === 2 ? validDay(fullYear(a), b, +last) : null;
    add(m, { DMY: validDay(y, b, a), MDY: validDay(y, a, b), YMD: yearFirst });
  }
  for (const m of text.matchAll(
    new RegExp(
      String.raw`(?<!\d)(\d{1,2})\.?(?:\s+de\s+|[\s/-]*)(${MONTH_WORD})\.?(?:\s+de\s+|[\s,/-]*)((?:19|20)\d{2}(?=\D|$|\d{1,4}[:.]\d)|\d{2}(?=\d{1,2}:\d{2})|\d{2}(?!\d))`,
      'gu',
    ),
  )) {
    const month = monthOf(m[2]);
    if (month) add(m, same(validDay(fullYear(+m[3]), month, +m[1])));
  }
  // Year, month name, day, as Hungarian and Lithuanian print them ("2023. május 12.", "2023 m. gegužės 12 d.").
  for (const m of text.matchAll(
    new RegExp(String.raw`(?<!\d)((?:19|20)\d{2})\.?\s*(?:m\.\s*)?(${MONTH_WORD})\.?\s+(\d{1,2})(?!\d)`, 'gu'),
  )) {
    const month = monthOf(m[2]);
    if (month) add(m, same(validDay(+m[1], month, +m[3])));
  }
  for (const m of text.matchAll(/(?<!\p{L})(\p{L}{3,12})\.?\s+(\d{1,2})[,.\s]+(\d{4})(?=\D|$|\d{1,4}:)/gu)) {
    const month = monthOf(m[1]);
    if (month) add(m, same(validDay(+m[3], month, +m[2])));
  }
  return mentions;
}

// Which reading to try first, then next, for each order the user reads dates in.
const PREFERENCE: Record<DateOrder, DateOrder[]> = {
  DMY: ['DMY', 'MDY', 'YMD'],
  MDY: ['MDY', 'DMY', 'YMD'],
  YMD: ['YMD', 'DMY', 'MDY'],
};

/** A date is plausible on a receipt from 2000 up to tomorrow (a receipt is never from the future). */
function plausibility(today: Date) {
  const latest = new Date(today.getTime() + 86_400_000).toISOString().slice(0, 10);
  return (date: string | null): date is string => date !== null && date >= '2000-01-01' && date <= latest;
}

function readMention(
  mention: DateMention,
  order: DateOrder,
  plausible: (d: string | null) => d is string,
): string | null {
  for (const o of PREFERENCE[order]) if (plausible(mention.readings[o])) return mention.readings[o];
  return null;
}

/**
 * Every plausible date in `text`, as YYYY-MM-DD: numeric forms read in the user's order (the
 * other orders only when the first is impossible or implausible), month names in any order;
 * years from 2000, nothing later than tomorrow.
 */
export function datesIn(raw: string, order: DateOrder, today: Date = new Date()): string[] {
  const plausible = plausibility(today);
  const found: string[] = [];
  for (const mention of dateMentionsIn(raw)) {
    const date = readMention(mention, order, plausible);
    if (date && !found.includes(date)) found.push(date);
  }
  return found;
}

/** The first plausible date of `text` as printed ("Date:11/01/2019 10:32" → "11/01/2019"): what Textract gives as a date's value. */
export function printedDateIn(raw: string, today: Date = new Date()): string | null {
  const plausible = plausibility(today);
  return dateMentionsIn(raw).find((m) => Object.values(m.readings).some(plausible))?.text ?? null;
}

/**
 * The order a receipt's own numeric dates are printed in, when they say so: a date that is
 * plausible in one order only ("13/03/2017" is day-first, "09/30/10" month-first). One
 * receipt uses one convention, so that order then reads its ambiguous dates ("12/07/2019"
 * printed beside "12/15/2019" is December 7). Null when no date says, or dates disagree.
 */
export function dateOrderEvidence(raw: string, today: Date = new Date()): DateOrder | null {
  const plausible = plausibility(today);
  const orders = new Set<DateOrder>();
  for (const mention of dateMentionsIn(raw)) {
    const possible = (['DMY', 'MDY', 'YMD'] as const).filter((o) => plausible(mention.readings[o]));
    const distinct = new Set(possible.map((o) => mention.readings[o]));
    if (possible.length > 1 && distinct.size === 1) continue; // a month name or an ISO date: the same in every order
    if (possible.length === 1) orders.add(possible[0]);
  }
  return orders.size === 1 ? [...orders][0] : null;
}

// A date labelled as something else than the purchase: when to pay, when a card or offer expires, when it was printed.
const NOT_PURCHASE_DATE = labelPattern('notPurchaseDate');
const DATE_WORD = labelPattern('date');

/**
 * The first date in `text` printed after a word saying it is a date and not a due, expiry or
 * print date ("Statement Date 09/30/10 Date(s) of Service 07/31/10" → 2010-09-30). For
 * Textract's OTHER fields, where a label and its date arrive together in one text.
 */
export function labelledDateIn(raw: string, order: DateOrder, today: Date = new Date()): string | null {
  const plausible = plausibility(today);
  let from = 0;
  for (const mention of dateMentionsIn(raw).sort((a, b) => a.index - b.index)) {
    const before = raw.slice(from, mention.index);
    from = mention.index + mention.text.length;
    const date = readMention(mention, order, plausible);
    if (date && DATE_WORD.test(before) && !NOT_PURCHASE_DATE.test(before)) return date;
  }
  return null;
}
