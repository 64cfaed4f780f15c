import { minorUnitDigitsOf } from '../../../model/currencies.ts';
import type { Conversion, RateSource } from '../../../model/rates.ts';
import { daysBetween } from '../periods.ts';
import { divideHalfEven, toMinor } from '../money.ts';

/**
 * Currency conversion in integer minor units, exact. Every rate is a decimal the ECB (or the
 * user) wrote, kept as an integer mantissa and a power of ten, so a cross rate through the
 * euro is a ratio of integers and the converted amount is rounded once, half to even:
 *
 *   to = amount × quote(to) × 10^exp(to) / (quote(from) × 10^exp(from))
 *
 * where quote(X) is units of X per 1 EUR and exp(X) the ISO 4217 minor-unit digits.
 */

/** A decimal as mantissa / 10^scale (e.g. "1.1684" → 11684 / 10^4). */
export interface Decimal {
  mantissa: bigint;
  scale: number;
}

const DECIMAL = /^(\d{1,15})(?:\.(\d{1,12}))?$/;

/** A positive decimal string as the ECB and users write them ("1.1684", "655.957", "20082.05"), or null. */
export function parseDecimal(text: string): Decimal | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const fraction = match[2] ?? '';
  const mantissa = BigInt(match[1] + fraction);
  return mantissa > 0n ? { mantissa, scale: fraction.length } : null;
}

export const ONE: Decimal = { mantissa: 1n, scale: 0 };

export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { mantissa: a.mantissa * b.mantissa, scale: a.scale + b.scale };
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** The ECB closes for at most 4 days in a row (Good Friday to Easter Monday): a rate older than that is stale. */
export const STALE_AFTER_DAYS = 4;

/** Whether the newest rate known on `date`, from `rateDate`, is older than any closing explains. */
export function isStaleRate(rateDate: string, date: string): boolean {
  return daysBetween(rateDate, date) > STALE_AFTER_DAYS;
}

/** A currency's rate on a day: units per 1 EUR, where it came from, and the day it is from. */
export interface Quote {
  perEuro: Decimal;
  source: Exclude<RateSource, 'SAME'>;
  /** The ECB day, or the day a user's rate applies from. */
  date: string;
  /** The euro itself: 1 on every day, so its day says nothing about the rate's age. */
  fixed?: boolean;
}

export const EURO_QUOTE = (date: string): Quote => ({ perEuro: ONE, source: 'ECB', date, fixed: true });

/** `amount` minor units of `from` in minor units of `to`, half to even (exact for any safe-integer amount). */
export function convertMinor(amount: number, from: { currency: string; perEuro: Decimal }, to: typeof from): number {
  const numerator = BigInt(amount) * to.perEuro.mantissa * pow10(from.perEuro.scale + minorUnitDigitsOf(to.currency));
  const denominator = from.perEuro.mantissa * pow10(to.perEuro.scale + minorUnitDigitsOf(from.currency));
  return toMinor(divideHalfEven(numerator, denominator), 'A converted amount');
}

/** Units of `to` per 1 unit of `from` (quote(to) / quote(from)) to 10 significant digits, for people. */
export function rateText(from: Decimal, to: Decimal, significant = 10): string {
  const numerator = to.mantissa * pow10(from.scale);
  const denominator = from.mantissa * pow10(to.scale);
  // Scale so the integer quotient carries `significant` digits, then place the point.
  const integerDigits = (numerator / denominator).toString().length;
  const wholeIsZero = numerator < denominator;
  let shift = significant - (wholeIsZero ? 0 : integerDigits);
  if (wholeIsZero) {
    // Leading zeros after the point do not count as significant.
    let probe = numerator * 10n;
    while (probe < denominator) {
      probe *= 10n;
      shift += 1;
    }
  }
  const scaled = divideHalfEven(numerator * pow10(Math.max(0, shift)), denominator).toString();
  if (shift <= 0) return scaled;
  const padded = scaled.padStart(shift + 1, '0');
  const text = `${padded.slice(0, -shift)}.${padded.slice(-shift)}`;
  return text.replace(/\.?0+$/, '');
}

/** The conversion of an expense whose quotes are known (identity when the currencies are the same). */
export function conversionOf(
  expense: { amount: number; currency: string; date: string },
  home: string,
  quotes: { from: Quote; to: Quote } | null,
): Conversion | null {
  if (expense.currency === home)
    return { amount: expense.amount, currency: home, rate: '1', rateDate: expense.date, source: 'SAME', stale: false };
  if (!quotes) return null;
  const { from, to } = quotes;
  const user = from.source === 'USER' || to.source === 'USER';
  // The day shown is the ECB day the conversion rests on (what can go stale); a user's own rate shows its start.
  const dated = [from, to].filter((q) => !q.fixed);
  const ecbDays = dated
    .filter((q) => q.source === 'ECB')
    .map((q) => q.date)
    .sort();
  const userDays = dated.map((q) => q.date).sort();
  return {
    amount: convertMinor(
      expense.amount,
      { currency: expense.currency, perEuro: from.perEuro },
      { currency: home, perEuro: to.perEuro },
    ),
    currency: home,
    rate: rateText(from.perEuro, to.perEuro),
    rateDate: ecbDays[0] ?? userDays[0] ?? expense.date,
    source: user ? 'USER' : 'ECB',
    stale: ecbDays.length > 0 && isStaleRate(ecbDays[0], expense.date),
  };
}
