import { minorUnitDigitsOf } from '../../model/currencies.ts';
import { MAX_MINOR_UNITS } from '../../model/money.ts';

/**
 * Money arithmetic in integer minor units (model/money.ts). Amounts are safe integers; sums
 * are checked so they stay exact; anything that multiplies or divides (conversion, averages,
 * forecasts, percentages of a limit) goes through BigInt and rounds once, explicitly.
 */

/** Digits after the decimal point of a currency's minor unit, from ISO 4217 (EUR 2, JPY 0, BHD 3). */
export function minorUnitDigits(currency: string): number {
  return minorUnitDigitsOf(currency);
}

/**
 * Whether receipts print a currency's prices without decimals, as CLDR (Node's ICU) records its
 * use: JPY and KRW, but also IDR, HUF and COP, whose ISO minor unit (2 digits) is never printed.
 * For reading receipts only; amounts are stored in ISO's minor units (minorUnitDigits).
 */
export function printedWithoutDecimals(currency: string): boolean {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits === 0;
  } catch {
    return minorUnitDigits(currency) === 0;
  }
}

/** A sum that would pass 2^53 − 1 minor units, where a double stops being exact. */
export class MoneyOverflowError extends Error {
  override name = 'MoneyOverflowError';
  constructor(readonly what: string) {
    super(`${what} is past ${MAX_MINOR_UNITS} minor units, the largest amount kept exact`);
  }
}

/** a + b, exact, or MoneyOverflowError when the result is not a safe integer. */
export function addMinor(a: number, b: number, what = 'A sum'): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new MoneyOverflowError(what);
  return sum;
}

/** The exact sum of whole minor-unit amounts (MoneyOverflowError past 2^53 − 1). */
export function sumMinor(amounts: Iterable<number>, what = 'A sum'): number {
  let total = 0;
  for (const amount of amounts) total = addMinor(total, amount, what);
  return total;
}

/**
 * numerator / denominator rounded to an integer, half to even (banker's rounding: 2.5 → 2,
 * 3.5 → 4, -2.5 → -2), so rounding errors do not drift one way over many conversions.
 */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divideHalfEven(-numerator, -denominator);
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator - quotient * denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice < denominator) return quotient;
  const away = remainder < 0n ? quotient - 1n : quotient + 1n;
  if (twice > denominator) return away;
  return quotient % 2n === 0n ? quotient : away;
}

/** A BigInt result as minor units, checked to be exact as a number. */
export function toMinor(value: bigint, what = 'An amount'): number {
  const max = BigInt(MAX_MINOR_UNITS);
  if (value > max || value < -max) throw new MoneyOverflowError(what);
  return Number(value);
}

/** round(amount × numerator / denominator), half to even, exact for any safe-integer inputs. */
export function scaleMinor(amount: number, numerator: number, denominator: number, what = 'An amount'): number {
  return toMinor(divideHalfEven(BigInt(amount) * BigInt(numerator), BigInt(denominator)), what);
}

/** Whether spent ≥ percent % of limit, decided on integers (no float rounding at any size). */
export function reachesPercent(spent: number, limit: number, percent: number): boolean {
  return BigInt(spent) * 100n >= BigInt(percent) * BigInt(limit);
}

/** spent as a percentage of limit with one decimal (a ratio for people, not money). */
export function percentOf(spent: number, limit: number): number {
  return Number(divideHalfEven(BigInt(spent) * 1000n, BigInt(limit))) / 10;
}

/** 1250 EUR → "12.50"; 500 JPY → "500". Exact: integer arithmetic, no float rounding. */
export function decimalAmount(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(minorUnits);
  const sign = minorUnits < 0 ? '-' : '';
  const text = BigInt(Math.abs(minorUnits))
    .toString()
    .padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * "€12.50", "$1,234.00", "Rp 250.000.000,00": for people (emails, charts); CSV and the API keep
 * decimals or minor units. Intl formats the exact decimal string, so no digit is lost at any size.
 */
export function formatMoney(minorUnits: number, currency: string, locale = 'en'): string {
  const digits = minorUnitDigits(currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl.NumberFormat takes decimal strings exactly (ECMA-402 2023); the types still say number.
  return format.format(decimalAmount(minorUnits, currency) as unknown as number);
}
