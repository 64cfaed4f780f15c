import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balancesOf, splitShares } from '../../../../functions/sharing/split.ts';
import { balanceText } from '../../../../functions/sharing/core.ts';

/**
 * A shared expense is divided into whole minor units that add up to it exactly, whatever the
 * method, the number of people or the currency's decimals (an amount is minor units, so JPY's
 * 0 and KWD's 3 decimals divide as EUR's 2 do; only the words differ).
 */
const totals = fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 2 ** 53 - 1 }));
const people = fc.integer({ min: 1, max: 10 });

describe('splitShares', () => {
  it('given EQUAL among n people, then the parts add up exactly, differ by at most one minor unit, and the extra units go to the first (the payer)', () => {
    fc.assert(
      fc.property(totals, people, (total, n) => {
        const parts = splitShares(
          total,
          'EQUAL',
          Array.from({ length: n }, () => ({})),
        );
        expect(parts).toHaveLength(n + 1);
        expect(parts.reduce((a, b) => a + BigInt(b), 0n)).toBe(BigInt(total));
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
        expect([...parts].sort((a, b) => b - a)).toEqual(parts);
      }),
      { numRuns: 200 },
    );
    expect(splitShares(100, 'EQUAL', [{}, {}])).toEqual([34, 33, 33]);
    expect(splitShares(1000, 'EQUAL', [{}, {}])).toEqual([334, 333, 333]); // 1,000 JPY three ways
  });

  it('given AMOUNTS that fit the expense, then each participant owes exactly theirs and the payer keeps the rest; more than the expense is refused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 10 }),
        fc.nat(100_000),
        (amounts, extra) => {
          const total = amounts.reduce((a, b) => a + b, 0) + extra;
          const parts = splitShares(
            total,
            'AMOUNTS',
            amounts.map((amount) => ({ amount })),
          );
          expect(parts).toEqual([extra, ...amounts]);
        },
      ),
      { numRuns: 100 },
    );
    expect(() => splitShares(100, 'AMOUNTS', [{ amount: 60 }, { amount: 41 }])).toThrow(
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'participants', amount: 100 } }),
    );
    expect(() => splitShares(100, 'AMOUNTS', [{ amount: 0 }])).toThrow(
      expect.objectContaining({ errorInfo: { field: 'participants.0.amount' } }),
    );
    expect(() => splitShares(100, 'AMOUNTS', [{ percent: 50 }])).toThrow(
      expect.objectContaining({ errorInfo: { field: 'participants.0.percent' } }),
    );
  });

  it('given PERCENTAGES (hundredths of a percent), then the parts add up exactly and each is within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(
        totals,
        fc.array(fc.integer({ min: 1, max: 2_500 }), { minLength: 1, maxLength: 4 }),
        (total, points) => {
          const parts = splitShares(
            total,
            'PERCENTAGES',
            points.map((p) => ({ percent: p / 100 })),
          );
          expect(parts.reduce((a, b) => a + BigInt(b), 0n)).toBe(BigInt(total));
          const weights = [10_000 - points.reduce((a, b) => a + b, 0), ...points];
          parts.forEach((part, i) => {
            const exact = (BigInt(total) * BigInt(weights[i])) / 10_000n;
            expect(BigInt(part) - exact >= 0n && BigInt(part) - exact <= 1n).toBe(true);
          });
        },
      ),
      { numRuns: 200 },
    );
    // 10.005 KWD (3 decimals) in 33.33 % + 33.33 % + 33.34 % for the payer.
    expect(splitShares(10_005, 'PERCENTAGES', [{ percent: 33.33 }, { percent: 33.33 }])).toEqual([3336, 3335, 3334]);
    expect(() => splitShares(100, 'PERCENTAGES', [{ percent: 60 }, { percent: 40.01 }])).toThrow(
      expect.objectContaining({ errorInfo: { field: 'participants' } }),
    );
    expect(() => splitShares(100, 'PERCENTAGES', [{ percent: 12.345 }])).toThrow(
      expect.objectContaining({ errorInfo: { field: 'participants.0.percent' } }),
    );
  });
});

describe('balances', () => {
  it('given ledger entries in several currencies, then each balance is the exact sum of one person and one currency, zeros left out, currencies never mixed', () => {
    const entry = fc.record({
      email: fc.constantFrom('ada@example.com', 'bob@example.com'),
      currency: fc.constantFrom('EUR', 'JPY', 'KWD', 'BHD'),
      amount: fc.integer({ min: -1_000_000, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (entries) => {
        const lines = balancesOf(entries);
        for (const email of ['ada@example.com', 'bob@example.com'])
          for (const currency of ['EUR', 'JPY', 'KWD', 'BHD']) {
            const expected = entries
              .filter((e) => e.email === email && e.currency === currency)
              .reduce((a, e) => a + e.amount, 0);
            const line = lines.find((l) => l.email === email && l.currency === currency);
            expect(line?.amount ?? 0).toBe(expected);
          }
        expect(lines.every((l) => l.amount !== 0)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('given a balance, then its words name the person, the direction and the amount in the currency’s own decimals', () => {
    expect(balanceText('alice@example.com', 1240, 'EUR')).toBe('alice@example.com owes you €12.40');
    expect(balanceText('bob@example.com', -1200, 'JPY')).toBe('You owe bob@example.com ¥1,200');
    expect(balanceText('bob@example.com', 12_345, 'KWD')).toBe('bob@example.com owes you KWD\u00a012.345');
  });
});
