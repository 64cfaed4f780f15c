import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minorUnitDigitsOf } from '../../../model/currencies.ts';
import { MAX_MINOR_UNITS } from '../../../model/money.ts';
import {
  allocateByWeights,
  mulDivFloor,
  portionsOf,
  primaryPartOf,
  splitEvenly,
  splitIndexCategoriesOf,
  withAmount,
  type SplitPart,
} from '../../../model/splits.ts';

const safe = (max: number) => fc.integer({ min: 0, max });
const RUNS = { numRuns: 150 };

describe('mulDivFloor', () => {
  it('given products far past 2^53, when divided, then quotient and remainder are exact (BigInt oracle)', () => {
    fc.assert(
      fc.property(
        safe(MAX_MINOR_UNITS),
        safe(MAX_MINOR_UNITS),
        fc.integer({ min: 1, max: MAX_MINOR_UNITS }),
        (a, b, c) => {
          fc.pre(b <= c);
          const exact = BigInt(a) * BigInt(b);
          const { quotient, remainder } = mulDivFloor(a, b, c);
          expect(BigInt(quotient)).toBe(exact / BigInt(c));
          expect(BigInt(remainder)).toBe(exact % BigInt(c));
        },
      ),
      RUNS,
    );
  });

  it('given the extremes, then it stays exact', () => {
    expect(mulDivFloor(MAX_MINOR_UNITS, MAX_MINOR_UNITS, MAX_MINOR_UNITS)).toEqual({
      quotient: MAX_MINOR_UNITS,
      remainder: 0,
    });
    expect(mulDivFloor(MAX_MINOR_UNITS, MAX_MINOR_UNITS - 1, MAX_MINOR_UNITS)).toEqual({
      quotient: MAX_MINOR_UNITS - 1,
      remainder: 0,
    });
    expect(mulDivFloor(MAX_MINOR_UNITS, 1, 3)).toEqual({ quotient: 3002399751580330, remainder: 1 });
  });
});

describe('allocateByWeights (largest remainder)', () => {
  const weights = fc.array(safe(1000000), { minLength: 1, maxLength: 20 }).filter((w) => w.some((x) => x > 0));

  it('given any total and weights, then the parts sum exactly, each within one unit of its exact share, zero weight gets 0', () => {
    fc.assert(
      fc.property(safe(MAX_MINOR_UNITS), weights, (total, ws) => {
        const parts = allocateByWeights(total, ws);
        expect(parts.reduce((s, p) => s + BigInt(p), 0n)).toBe(BigInt(total));
        const sum = BigInt(ws.reduce((s, w) => s + w, 0));
        parts.forEach((p, i) => {
          const floor = (BigInt(total) * BigInt(ws[i])) / sum;
          expect(BigInt(p) === floor || BigInt(p) === floor + 1n).toBe(true);
          if (ws[i] === 0) expect(p).toBe(0);
        });
      }),
      RUNS,
    );
  });

  it('given 100.00 in three even shares, then 33.34 + 33.33 + 33.33', () => {
    expect(splitEvenly(10000, 3)).toEqual([3334, 3333, 3333]);
  });

  it('given percentages 50/30/20 of 1 yen, then the yen goes to the largest share', () => {
    expect(allocateByWeights(1, [50, 30, 20])).toEqual([1, 0, 0]);
  });

  it('given a remainder tie, then the earlier part gets the extra unit', () => {
    expect(allocateByWeights(5, [1, 1])).toEqual([3, 2]);
  });
});

const CATEGORIES = ['GROCERIES', 'DINING', 'HOUSEHOLD', 'TRANSPORT'] as const;

describe('portionsOf: a split expense counted by category', () => {
  // JPY has no minor unit, KWD and BHD three: in minor units the arithmetic is the same, and the sums must hold for each.
  const currency = fc.constantFrom('EUR', 'JPY', 'KWD', 'BHD', 'USD');
  const parts = fc.array(
    fc.record({ amount: fc.integer({ min: 1, max: 1e12 }), category: fc.constantFrom(...CATEGORIES) }),
    { minLength: 2, maxLength: 20 },
  );

  it('given any split in any currency, then parts and converted parts each sum to the expense exactly', () => {
    fc.assert(
      fc.property(currency, currency, parts, fc.integer({ min: 0, max: 1e15 }), (cur, home, ps, convertedAmount) => {
        expect(minorUnitDigitsOf(cur)).toBeGreaterThanOrEqual(0);
        const amount = ps.reduce((s, p) => s + p.amount, 0);
        const expense = {
          amount,
          currency: cur,
          category: primaryPartOf(ps as SplitPart[]).category,
          converted: { amount: convertedAmount, currency: home },
          splits: ps as SplitPart[],
        };
        const portions = portionsOf(expense);
        expect(portions.map((p) => p.category)).toEqual([...new Set(ps.map((p) => p.category))]);
        expect(portions.reduce((s, p) => s + p.amount, 0)).toBe(amount);
        expect(portions.reduce((s, p) => s + (p.converted?.amount ?? 0), 0)).toBe(convertedAmount);
        portions.forEach((p) => {
          const inCategory = ps.filter((part) => part.category === p.category);
          expect(p.amount).toBe(inCategory.reduce((s, part) => s + part.amount, 0));
          expect(p.converted?.currency).toBe(home);
          expect(p.splits).toBeNull();
        });
        // The same split in another currency (the home summary): scaled parts still sum exactly.
        const inHome = withAmount(expense, convertedAmount);
        expect(inHome.splits!.reduce((s, p) => s + p.amount, 0)).toBe(convertedAmount);
      }),
      RUNS,
    );
  });

  it('given an expense that is not split, then it counts whole, once', () => {
    const expense = { amount: 1250, category: 'DINING', converted: null };
    expect(portionsOf(expense)).toEqual([expense]);
  });

  it('given 10.000 KWD split 3 ways converted to 32.61 EUR, then the euro cents split exactly', () => {
    const splits: SplitPart[] = [
      { amount: 3334, category: 'GROCERIES' },
      { amount: 3333, category: 'DINING' },
      { amount: 3333, category: 'HOUSEHOLD' },
    ];
    const portions = portionsOf({ amount: 10000, category: 'GROCERIES', converted: { amount: 3261 }, splits });
    expect(portions.map((p) => p.converted?.amount)).toEqual([1087, 1087, 1087]);
  });

  it('given parts in the expense category and others, then only the others need index entries, once each', () => {
    const splits: SplitPart[] = [
      { amount: 500, category: 'GROCERIES' },
      { amount: 300, category: 'HOUSEHOLD' },
      { amount: 100, category: 'HOUSEHOLD' },
      { amount: 100, category: 'DINING' },
    ];
    expect(primaryPartOf(splits).category).toBe('GROCERIES');
    expect(splitIndexCategoriesOf({ category: 'GROCERIES', splits })).toEqual(['HOUSEHOLD', 'DINING']);
  });
});
