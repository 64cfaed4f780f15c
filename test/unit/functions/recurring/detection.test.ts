import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectRecurring, nextChargeAfter, type Charge } from '../../../../functions/recurring/detection.ts';
import { addDaysTo, graceDaysOf, stepFrom, type RecurringCadence } from '../../../../model/recurring.ts';

let seq = 0;
function charge(merchant: string, amount: number, date: string, currency = 'EUR'): Charge {
  seq += 1;
  return { expenseId: `E${String(seq).padStart(5, '0')}`, merchant, amount, currency, date };
}

/** Deterministic pseudo-random numbers, so the noise is the same on every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('detectRecurring on realistic histories', () => {
  it('given a streaming subscription charged on the 31st (last day of short months), when detected, then it is MONTHLY at its price, next on the 31st', () => {
    const dates = ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30'];
    const history = dates.map((d) => charge(d === '2027-04-30' ? 'NETFLIX.COM 866-579-7172' : 'Netflix.com', 1799, d));
    const [series, ...others] = detectRecurring(history, '2027-07-10');
    expect(others).toEqual([]);
    expect(series).toMatchObject({
      cadence: 'MONTHLY',
      currency: 'EUR',
      typicalAmount: 1799,
      occurrences: 6,
      lastDate: '2027-06-30',
      nextDate: '2027-07-31',
      anchor: { day: 31 },
    });
    expect(series.confidence).toBeGreaterThan(0.9);
  });

  it('given charges whose category was changed along the way, when detected, then the series has its latest charge’s category (the one a confirmed rule keeps for budgets)', () => {
    const dates = ['2027-01-15', '2027-02-15', '2027-03-15', '2027-04-15'];
    const history = dates.map((d, i) => ({
      ...charge('Stadtwerke', 6000, d),
      category: i < 2 ? ('OTHER' as const) : ('UTILITIES' as const),
    }));
    expect(detectRecurring(history, '2027-04-20')).toEqual([expect.objectContaining({ category: 'UTILITIES' })]);
    // Charges without a category (as the tests above give them) make a series without one.
    expect(
      detectRecurring(
        history.map(({ category: _, ...c }) => c),
        '2027-04-20',
      )[0],
    ).not.toHaveProperty('category');
  });

  it('given a weekly gym fee every Monday, some a day late, when detected, then it is WEEKLY, next a week after the last', () => {
    const history: Charge[] = [];
    for (let week = 0; week < 10; week++) {
      const monday = addDaysTo('2027-03-01', 7 * week);
      history.push(charge('FitGym Berlin', 2500, week === 4 ? addDaysTo(monday, 1) : monday));
    }
    const found = detectRecurring(history, '2027-05-06');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ cadence: 'WEEKLY', typicalAmount: 2500, nextDate: '2027-05-10', occurrences: 10 });
  });

  it('given a yearly domain renewal, when detected, then it is YEARLY on its month and day', () => {
    const history = [
      charge('Namecheap', 1288, '2024-03-14'),
      charge('Namecheap', 1288, '2025-03-15'),
      charge('Namecheap', 1388, '2026-03-14'),
    ];
    const found = detectRecurring(history, '2026-12-01');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ cadence: 'YEARLY', nextDate: '2027-03-14', anchor: { month: 3, day: 14 } });
  });

  it('given everyday noise (coffee at random days, groceries of varied amounts, a one-off), when detected, then nothing is proposed', () => {
    const random = lcg(7);
    const history: Charge[] = [];
    let day = '2027-01-01';
    for (let i = 0; i < 60; i++) {
      day = addDaysTo(day, 1 + Math.floor(random() * 6));
      history.push(charge('Corner Café', 450, day));
      if (random() < 0.5) history.push(charge('REWE Markt', 2000 + Math.floor(random() * 9000), day));
    }
    history.push(charge('IKEA', 24999, '2027-02-11'));
    history.push(charge('Dentist', 9000, '2027-02-11'), charge('Dentist', 9000, '2027-08-11'));
    expect(detectRecurring(history, '2027-09-01')).toEqual([]);
  });

  it('given a subscription cancelled months ago and one whose price went up, when detected, then only the live one is proposed, at its new price', () => {
    const history: Charge[] = [];
    for (let m = 0; m < 6; m++)
      history.push(charge('Spotify', 999, stepFrom('2026-01-05', 'MONTHLY', { day: 5, month: 1 }, m)));
    for (let m = 0; m < 8; m++)
      history.push(
        charge('Disney Plus', m < 5 ? 899 : 1099, stepFrom('2026-05-12', 'MONTHLY', { day: 12, month: 1 }, m)),
      );
    const found = detectRecurring(history, '2027-01-05');
    expect(found.map((s) => [s.merchantKey, s.typicalAmount, s.nextDate])).toEqual([
      ['disneyplus', 1099, '2027-01-12'],
    ]);
  });

  it('given two charges only, when detected, then it is no series yet', () => {
    expect(
      detectRecurring([charge('Netflix', 1799, '2027-01-05'), charge('Netflix', 1799, '2027-02-05')], '2027-02-10'),
    ).toEqual([]);
  });

  it('given the same merchant in two currencies, when detected, then each currency is its own series', () => {
    const history: Charge[] = [];
    for (let m = 0; m < 4; m++) {
      const date = stepFrom('2027-01-03', 'MONTHLY', { day: 3, month: 1 }, m);
      history.push(charge('iCloud', 299, date, 'EUR'), charge('iCloud', 299, date, 'USD'));
    }
    expect(
      detectRecurring(history, '2027-04-10')
        .map((s) => s.id)
        .sort(),
    ).toEqual(['MONTHLY#EUR#icloud', 'MONTHLY#USD#icloud']);
  });
  it('given a yearly charge on 29 February (the 28th in other years), when detected, then it is expected on the 29th in the next leap year', () => {
    const history = ['2020-02-29', '2021-02-28', '2022-02-28', '2023-02-28'].map((date) =>
      charge('Acme Subscriptions', 100, date),
    );
    const [series] = detectRecurring(history, '2023-02-28');
    expect(series).toMatchObject({ cadence: 'YEARLY', anchor: { month: 2, day: 29 }, nextDate: '2024-02-29' });
  });
});

describe('detectRecurring on generated series', () => {
  const cadence = fc.constantFrom<RecurringCadence>('WEEKLY', 'MONTHLY', 'YEARLY');

  it('given any regular series (any anchor, most charges on it and the others off by the grace days, amounts within 5 %), when detected, then its cadence, last charge and next charge are found', () => {
    fc.assert(
      fc.property(
        cadence,
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 3, max: 14 }),
        fc.integer({ min: 100, max: 100_000 }),
        fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 14, maxLength: 14 }),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 14, maxLength: 14 }),
        (c, day, month, count, amount, jitters, pricePercents) => {
          const anchor = { day, month };
          const start = stepFrom('2020-01-01', c, anchor, 0);
          const grace = graceDaysOf(c);
          const history = Array.from({ length: count }, (_, i) =>
            charge(
              'Acme Subscriptions',
              Math.round((amount * (100 + pricePercents[i])) / 100),
              addDaysTo(stepFrom(start, c, anchor, i), (i % 3 === 1 ? jitters[i] : 0) * Math.min(grace, 2)),
            ),
          );
          const last = history[history.length - 1].date;
          const found = detectRecurring(history, last);
          expect(found).toHaveLength(1);
          expect(found[0].cadence).toBe(c);
          expect(found[0].lastDate).toBe(last);
          expect(found[0].nextDate).toBe(stepFrom(start, c, anchor, count));
          expect(found[0].occurrences).toBe(count);
        },
      ),
    );
  });

  it('given a charge up to the grace days early or late, when the next is computed, then it is the following anchor, not shifted', () => {
    fc.assert(
      fc.property(
        cadence,
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: -3, max: 3 }),
        (c, day, month, n, shift) => {
          const anchor = { day, month };
          const due = stepFrom(stepFrom('2021-06-15', c, anchor, 0), c, anchor, n);
          const offset = Math.max(-graceDaysOf(c), Math.min(graceDaysOf(c), shift));
          expect(nextChargeAfter(addDaysTo(due, offset), c, anchor)).toBe(stepFrom(due, c, anchor, 1));
        },
      ),
    );
  });
});
