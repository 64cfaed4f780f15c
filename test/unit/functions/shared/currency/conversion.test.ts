import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conversionOf,
  convertMinor,
  parseDecimal,
  rateText,
} from '../../../../../functions/shared/currency/conversion.ts';
import { createRateBook } from '../../../../../functions/shared/currency/rate-book.ts';
import { parseEcbCsv, parseEcbXml } from '../../../../../functions/shared/currency/ecb-rates.ts';
import { sumMinor } from '../../../../../functions/shared/money.ts';
import { minorUnitDigitsOf } from '../../../../../model/currencies.ts';
import { MAX_MINOR_UNITS } from '../../../../../model/money.ts';
import { memoryRateStore } from '../../../../support/memory-rates.ts';

const CURRENCIES = ['EUR', 'USD', 'JPY', 'IDR', 'BHD', 'KWD', 'CLP', 'GBP', 'XOF'];
/** A rate as the ECB or a user writes it: up to 9 significant digits, up to 6 decimals. */
const rateString = fc
  .tuple(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: 0, max: 6 }))
  .map(([mantissa, scale]) => {
    const digits = String(mantissa).padStart(scale + 1, '0');
    return scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  });
const amount = fc.integer({ min: 1, max: 10 ** 12 });
/** Rates the ECB publishes lie between ~0.3 (KWD… per euro are larger) and ~20,000 (IDR): 0.1 to 9999.9999 here. */
const realisticRate = fc.integer({ min: 1000, max: 99_999_999 }).map((m) => (m / 10000).toFixed(4));
const everydayAmount = fc.integer({ min: 1, max: 10 ** 9 });

/** The exact value as a fraction built from the decimal strings themselves (an oracle apart from the code's mantissas). */
function exactFraction(minor: number, from: string, fromRate: string, to: string, toRate: string) {
  const asFraction = (text: string) => {
    const [whole, fraction = ''] = text.split('.');
    return { n: BigInt(whole + fraction), d: 10n ** BigInt(fraction.length) };
  };
  const f = asFraction(fromRate);
  const t = asFraction(toRate);
  // major(from) = minor / 10^e(from); EUR = major / f; major(to) = EUR × t; minor(to) = major(to) × 10^e(to)
  return {
    n: BigInt(minor) * t.n * f.d * 10n ** BigInt(minorUnitDigitsOf(to)),
    d: t.d * f.n * 10n ** BigInt(minorUnitDigitsOf(from)),
  };
}

describe('conversion in integer minor units', () => {
  it('is the nearest integer to the exact value, ties to even, in every currency (ISO 4217 digits)', () => {
    fc.assert(
      fc.property(
        amount,
        fc.constantFrom(...CURRENCIES),
        rateString,
        fc.constantFrom(...CURRENCIES),
        rateString,
        (minor, from, fromRate, to, toRate) => {
          const { n, d } = exactFraction(minor, from, fromRate, to, toRate);
          if (n / d > BigInt(MAX_MINOR_UNITS)) return; // past 2^53 − 1: refused, tested below
          const result = BigInt(
            convertMinor(
              minor,
              { currency: from, perEuro: parseDecimal(fromRate)! },
              { currency: to, perEuro: parseDecimal(toRate)! },
            ),
          );
          const error = result * d - n;
          const twice = 2n * (error < 0n ? -error : error);
          expect(twice <= d).toBe(true);
          if (twice === d) expect(result % 2n).toBe(0n);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps order (a larger amount never converts to less) and converts to itself at equal rates and digits', () => {
    fc.assert(
      fc.property(everydayAmount, everydayAmount, realisticRate, realisticRate, (a, b, r1, r2) => {
        const from = { currency: 'USD', perEuro: parseDecimal(r1)! };
        const to = { currency: 'GBP', perEuro: parseDecimal(r2)! };
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(convertMinor(lo, from, to)).toBeLessThanOrEqual(convertMinor(hi, from, to));
        expect(convertMinor(a, from, { currency: 'CAD', perEuro: parseDecimal(r1)! })).toBe(a);
      }),
    );
  });

  it('sums converted amounts exactly in the home currency: the total is the sum of the parts, to the unit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(everydayAmount, fc.constantFrom(...CURRENCIES), realisticRate), { maxLength: 40 }),
        (rows) => {
          const converted = rows.map(([minor, currency, rate]) =>
            convertMinor(
              minor,
              { currency, perEuro: parseDecimal(rate)! },
              { currency: 'EUR', perEuro: parseDecimal('1')! },
            ),
          );
          expect(BigInt(sumMinor(converted))).toBe(converted.reduce((s, c) => s + BigInt(c), 0n));
        },
      ),
    );
  });

  it('refuses an amount that would convert past 2^53 − 1 instead of rounding it', () => {
    expect(() =>
      convertMinor(
        MAX_MINOR_UNITS,
        { currency: 'JPY', perEuro: parseDecimal('0.5')! },
        { currency: 'BHD', perEuro: parseDecimal('1000')! },
      ),
    ).toThrow(/largest amount kept exact/);
  });

  it('shows the rate to 10 significant digits and parses only positive decimals', () => {
    expect(rateText(parseDecimal('655.957')!, parseDecimal('1')!)).toBe('0.001524490172');
    expect(rateText(parseDecimal('1.25')!, parseDecimal('160')!)).toBe('128');
    expect(rateText(parseDecimal('1.2')!, parseDecimal('1')!)).toBe('0.8333333333');
    for (const bad of ['0', '0.000', '-1', '1e3', '', '1.2.3', ' ', 'NaN', '1234567890123456'])
      expect(parseDecimal(bad)).toBeNull();
  });
});

describe('the rate of an expense’s day', () => {
  const csv = ['Date,USD,JPY,HRK,', '2026-04-13,1.1684,186.75,N/A,', '2022-12-30,1.0666,140.66,7.5365,', ''].join('\n');
  const book = createRateBook(memoryRateStore(parseEcbCsv(csv)));

  it('uses the newest published day on or before it, and says when that is older than any closing', async () => {
    const monday = await book.convert('u', { amount: 11684, currency: 'USD', date: '2026-04-13' }, 'EUR');
    expect(monday).toMatchObject({ amount: 10000, rateDate: '2026-04-13', stale: false, source: 'ECB' });
    const later = await book.convert('u', { amount: 11684, currency: 'USD', date: '2026-05-30' }, 'EUR');
    expect(later).toMatchObject({ amount: 10000, rateDate: '2026-04-13', stale: true });
  });

  it('gives no rate for a currency the ECB stopped publishing (N/A) or before its first day', async () => {
    expect(await book.convert('u', { amount: 100, currency: 'HRK', date: '2026-04-13' }, 'EUR')).toBeNull();
    expect(await book.convert('u', { amount: 100, currency: 'HRK', date: '2023-01-02' }, 'EUR')).toMatchObject({
      rateDate: '2022-12-30',
    });
    expect(await book.convert('u', { amount: 100, currency: 'USD', date: '1999-01-01' }, 'EUR')).toBeNull();
  });

  it('reads the ECB XML feed the same way as the CSV', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<gesmes:subject>Reference rates</gesmes:subject>
<Cube><Cube time="2026-04-13"><Cube currency="USD" rate="1.1684"/><Cube currency="JPY" rate="186.75"/></Cube>
<Cube time="2022-12-30"><Cube currency="USD" rate="1.0666"/><Cube currency="JPY" rate="140.66"/><Cube currency="HRK" rate="7.5365"/></Cube></Cube>
</gesmes:Envelope>`;
    expect(parseEcbXml(xml)).toEqual(parseEcbCsv(csv));
  });

  it('converts the home currency to itself at rate 1', () => {
    expect(conversionOf({ amount: 5, currency: 'EUR', date: '2026-01-01' }, 'EUR', null)).toEqual({
      amount: 5,
      currency: 'EUR',
      rate: '1',
      rateDate: '2026-01-01',
      source: 'SAME',
      stale: false,
    });
  });
});
