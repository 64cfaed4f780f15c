import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anchoredDate,
  daysInMonth,
  dateOfDayNumber,
  dayNumberOf,
  partsOfDate,
  stepFrom,
  type RecurringCadence,
} from '../../../model/recurring.ts';

/** Any calendar day from 1900 to 2199, as YYYY-MM-DD, drawn through Date (the reference). */
const anyDate = fc
  .integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2199, 11, 31) / 86_400_000 })
  .map((days) => new Date(days * 86_400_000).toISOString().slice(0, 10));

describe('calendar arithmetic of recurring charges', () => {
  it('given any day, when numbered and back, then it is the same day, and numbers agree with Date', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        expect(dateOfDayNumber(dayNumberOf(date))).toBe(date);
        expect(dayNumberOf(date)).toBe(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
      }),
    );
  });

  it('given a monthly anchor, when stepped n months, then it lands in the n-th month on the anchor or that month’s last day', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 31 }), fc.integer({ min: -40, max: 40 }), (date, day, n) => {
        const stepped = partsOfDate(stepFrom(date, 'MONTHLY', { day, month: 1 }, n));
        const { year, month } = partsOfDate(date);
        const index = year * 12 + month - 1 + n;
        expect(stepped.year * 12 + stepped.month - 1).toBe(index);
        expect(stepped.day).toBe(Math.min(day, daysInMonth(stepped.year, stepped.month)));
      }),
    );
  });

  it('given any cadence and anchor, when stepped a then b steps from an anchored day, then it equals a + b steps (no drift after short months)', () => {
    const cadence = fc.constantFrom<RecurringCadence>('WEEKLY', 'MONTHLY', 'YEARLY');
    fc.assert(
      fc.property(
        anyDate,
        cadence,
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: -30, max: 30 }),
        fc.integer({ min: -30, max: 30 }),
        (date, c, day, month, a, b) => {
          const anchor = { day, month };
          const start = stepFrom(date, c, anchor, 0);
          expect(stepFrom(stepFrom(start, c, anchor, a), c, anchor, b)).toBe(stepFrom(start, c, anchor, a + b));
        },
      ),
    );
  });

  it('given the 31st, when stepped through a year, then it is the last day of short months and the 31st again after them', () => {
    const dates = Array.from({ length: 13 }, (_, i) => stepFrom('2027-01-31', 'MONTHLY', { day: 31, month: 1 }, i));
    expect(dates).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
      '2027-06-30',
      '2027-07-31',
      '2027-08-31',
      '2027-09-30',
      '2027-10-31',
      '2027-11-30',
      '2027-12-31',
      '2028-01-31',
    ]);
    expect(anchoredDate(2028, 2, 31)).toBe('2028-02-29');
    expect(stepFrom('2024-02-29', 'YEARLY', { day: 29, month: 2 }, 1)).toBe('2025-02-28');
    expect(stepFrom('2024-02-29', 'YEARLY', { day: 29, month: 2 }, 4)).toBe('2028-02-29');
  });
});
