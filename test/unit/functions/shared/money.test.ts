import fc from 'fast-check';
import * as isoCurrencies from 'dinero.js/bigint/currencies';
import { describe, expect, it } from 'vitest';
import {
  addMinor,
  decimalAmount,
  divideHalfEven,
  formatMoney,
  MoneyOverflowError,
  percentOf,
  reachesPercent,
  scaleMinor,
  sumMinor,
} from '../../../../functions/shared/money.ts';
import { ISO_4217_CODES, minorUnitDigitsOf } from '../../../../model/currencies.ts';
import { isMinorUnits, MAX_MINOR_UNITS } from '../../../../model/money.ts';

const MAX = BigInt(MAX_MINOR_UNITS);
const amount = fc.integer({ min: 1, max: MAX_MINOR_UNITS });

describe('minor units', () => {
  it('gives every active code the minor-unit digits of ISO 4217 (as the dinero.js ISO tables have them; MGA and MRU are fifths, listed 2)', () => {
    const byCode = isoCurrencies as unknown as Record<string, { code: string; base: unknown; exponent: unknown }>;
    for (const code of ISO_4217_CODES.split(' ')) {
      const iso = byCode[code];
      expect(iso, code).toBeDefined();
      expect(minorUnitDigitsOf(code), code).toBe(Number(iso.base) === 10 ? Number(iso.exponent) : 2);
    }
    expect([minorUnitDigitsOf('JPY'), minorUnitDigitsOf('EUR'), minorUnitDigitsOf('BHD')]).toEqual([0, 2, 3]);
  });

  it('accepts whole numbers from the minimum to 2^53 − 1 and nothing else', () => {
    expect(isMinorUnits(MAX_MINOR_UNITS, 1)).toBe(true);
    expect(isMinorUnits(MAX_MINOR_UNITS + 1, 1)).toBe(false);
    expect(isMinorUnits(2 ** 31, 1)).toBe(true);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, '12', null]) expect(isMinorUnits(bad, 1)).toBe(false);
  });
});

describe('exact sums', () => {
  it('sums any list of amounts exactly (as BigInt does), or refuses one past 2^53 − 1', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(amount, fc.integer({ min: 1, max: 2 ** 40 })), { maxLength: 50 }), (amounts) => {
        const exact = amounts.reduce((s, a) => s + BigInt(a), 0n);
        if (exact <= MAX) expect(BigInt(sumMinor(amounts))).toBe(exact);
        else expect(() => sumMinor(amounts)).toThrow(MoneyOverflowError);
      }),
    );
  });

  it('adds and subtracts exactly while the result is a safe integer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -MAX_MINOR_UNITS, max: MAX_MINOR_UNITS }),
        fc.integer({ min: -MAX_MINOR_UNITS, max: MAX_MINOR_UNITS }),
        (a, b) => {
          const exact = BigInt(a) + BigInt(b);
          if (exact <= MAX && exact >= -MAX) expect(BigInt(addMinor(a, b))).toBe(exact);
          else expect(() => addMinor(a, b)).toThrow(MoneyOverflowError);
        },
      ),
    );
  });
});

describe('rounding', () => {
  it('rounds half to even, and otherwise to the nearest integer', () => {
    expect([5n, 15n, 25n, -5n, -15n, 7n, -7n].map((n) => divideHalfEven(n, 10n))).toEqual([
      0n,
      2n,
      2n,
      0n,
      -2n,
      1n,
      -1n,
    ]);
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        (n, d) => {
          const q = divideHalfEven(n, d);
          // |n − q·d| ≤ d/2: the nearest integer, ties to even.
          const error = n - q * d;
          expect(2n * (error < 0n ? -error : error) <= d).toBe(true);
          if (2n * (error < 0n ? -error : error) === d) expect(q % 2n).toBe(0n);
          expect(divideHalfEven(-n, d)).toBe(-q);
        },
      ),
    );
  });

  it('scales an amount exactly: a forecast or an average of any size rounds once', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 1, max: 366 }), fc.integer({ min: 1, max: 366 }), (a, days, elapsed) => {
        const exact = BigInt(a) * BigInt(days);
        const expected = divideHalfEven(exact, BigInt(elapsed));
        if (expected <= MAX) expect(BigInt(scaleMinor(a, days, elapsed))).toBe(expected);
        else expect(() => scaleMinor(a, days, elapsed)).toThrow(MoneyOverflowError);
      }),
    );
  });

  it('decides a threshold on integers: spent·100 ≥ percent·limit at any size', () => {
    // A double would call 2^53 − 1 of a 2^53 − 1 limit less than 100 % after rounding the product.
    expect(reachesPercent(MAX_MINOR_UNITS, MAX_MINOR_UNITS, 100)).toBe(true);
    expect(reachesPercent(MAX_MINOR_UNITS - 1, MAX_MINOR_UNITS, 100)).toBe(false);
    fc.assert(
      fc.property(amount, amount, fc.integer({ min: 1, max: 200 }), (spent, limit, percent) => {
        expect(reachesPercent(spent, limit, percent)).toBe(BigInt(spent) * 100n >= BigInt(percent) * BigInt(limit));
      }),
    );
    expect(percentOf(45000000004, 40000000000)).toBe(112.5);
  });
});

describe('decimals for people and files', () => {
  it('writes the exact decimal of any amount in its currency, and formats it without losing a digit', () => {
    fc.assert(
      fc.property(amount, fc.constantFrom('JPY', 'EUR', 'IDR', 'BHD', 'KWD', 'CLP'), (minor, currency) => {
        const text = decimalAmount(minor, currency);
        const digits = minorUnitDigitsOf(currency);
        expect(BigInt(text.replace('.', ''))).toBe(BigInt(minor));
        expect(text.includes('.') ? text.split('.')[1].length : 0).toBe(digits);
      }),
    );
    expect(decimalAmount(MAX_MINOR_UNITS, 'IDR')).toBe('90071992547409.91');
    expect(formatMoney(MAX_MINOR_UNITS, 'IDR').replace(/\s/g, ' ')).toBe('IDR 90,071,992,547,409.91');
    expect(formatMoney(1250, 'BHD').replace(/\s/g, ' ')).toBe('BHD 1.250');
    expect(formatMoney(500, 'JPY')).toBe('¥500');
  });
});
