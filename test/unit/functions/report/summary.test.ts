import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastCompletePeriod, reportPeriodOf } from '../../../../functions/report/report-periods.ts';
import {
  customCategoryTotalsOf,
  previousRangeOf,
  summarizeExpenses,
  type DateRange,
  type ExpenseLike,
} from '../../../../functions/report/summary.ts';
import { todayIn } from '../../../../functions/shared/periods.ts';
import type { Category } from '../../../../generated/graphql.ts';
import { merchantKeyOf } from '../../../../model/merchant-key.ts';

/** Money rounds half to even (banker's rounding), as functions/shared/money.ts documents: 2.5 → 2, 3.5 → 4. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  // `+ 0`: Math.round(-0.2) is -0, which toEqual tells from the 0 that the summary's integer arithmetic gives.
  if (Math.abs(diff - 0.5) > 1e-9) return Math.round(x) + 0;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Summary numbers against a brute-force computation (property test, fast-check): random
 * expenses, random "now" instants in timezones with and without DST (biased to month, year and
 * DST edges), random free ranges and weekly/monthly periods; every total, by-category, by-day,
 * top-5 merchants + Other, median, average, largest and the change against the previous period.
 * The brute force reads calendars the slow way (day by day, weekday names from Intl), not with
 * the helpers under test.
 */
const TIMEZONES = [
  'UTC',
  'Pacific/Honolulu',
  'Pacific/Kiritimati',
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Paris',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
];
const CATEGORIES: Category[] = ['GROCERIES', 'DINING', 'TRANSPORT', 'FUEL', 'OTHER'];
// Spellings of one merchant that merchantKeyOf folds together, and distinct ones.
const MERCHANTS = [
  'Tesco',
  'TESCO',
  'tesco ',
  'Tes-co',
  'Corner Café',
  'CORNER CAFE',
  'Shell',
  'Uber',
  'Bakery 21',
  'Cinema',
  'Pharmacy',
  'Bookshop',
  'Zoo',
  'Ärzte Praxis',
];
const CURRENCIES = ['EUR', 'USD', 'JPY'];

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nextDay = (date: string) => dayOf(Date.parse(`${date}T12:00:00Z`) + DAY);
const prevDay = (date: string) => dayOf(Date.parse(`${date}T12:00:00Z`) - DAY);
const weekdayOf = (date: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short' }).format(new Date(`${date}T12:00:00Z`));

/** Today in `timezone` at `now`, read from toLocaleString (MM/DD/YYYY). */
function bruteToday(timezone: string, now: Date): string {
  const [month, day, year] = now
    .toLocaleDateString('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .split('/');
  return `${year}-${month}-${day}`;
}

/** The ISO week or calendar month containing `date`, walking day by day. */
function bruteRange(period: 'WEEKLY' | 'MONTHLY', date: string): DateRange {
  let from = date;
  let to = date;
  if (period === 'WEEKLY') {
    while (weekdayOf(from) !== 'Mon') from = prevDay(from);
    while (weekdayOf(to) !== 'Sun') to = nextDay(to);
  } else {
    while (prevDay(from).slice(0, 7) === date.slice(0, 7)) from = prevDay(from);
    while (nextDay(to).slice(0, 7) === date.slice(0, 7)) to = nextDay(to);
  }
  return { from, to };
}

function daysOf(range: DateRange): string[] {
  const days: string[] = [];
  for (let d = range.from; d <= range.to; d = nextDay(d)) days.push(d);
  return days;
}

/** What every number of one currency's summary must be, computed plainly. */
function bruteSummary(expenses: ExpenseLike[], currency: string, range: DateRange, previous: DateRange) {
  const mine = expenses.filter((e) => e.currency === currency && e.date >= range.from && e.date <= range.to);
  const before = expenses.filter((e) => e.currency === currency && e.date >= previous.from && e.date <= previous.to);
  const total = mine.reduce((s, e) => s + e.amount, 0);
  const previousTotal = before.reduce((s, e) => s + e.amount, 0);
  const sorted = mine.map((e) => e.amount).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const byCategory = CATEGORIES.map((category) => {
    const list = mine.filter((e) => e.category === category);
    return { category, amount: list.reduce((s, e) => s + e.amount, 0), count: list.length };
  })
    .filter((c) => c.count > 0)
    .sort((a, b) => b.amount - a.amount || a.category.localeCompare(b.category));
  const groups: Array<{ key: string; merchant: string; amount: number; count: number }> = [];
  for (const e of mine) {
    const key = merchantKeyOf(e.merchant) || e.merchant;
    const group = groups.find((g) => g.key === key);
    if (group) {
      group.amount += e.amount;
      group.count += 1;
    } else groups.push({ key, merchant: e.merchant, amount: e.amount, count: 1 });
  }
  const ranked = [...groups].sort((a, b) => b.amount - a.amount || a.merchant.localeCompare(b.merchant));
  // Top five and "Other" for the rest, unless the rest would be a single merchant: then it is named.
  const named = ranked.length === 6 ? 6 : 5;
  const rest = ranked.slice(named);
  return {
    total,
    count: mine.length,
    previousTotal,
    change: total - previousTotal,
    changePercent: previousTotal ? roundHalfEven(((total - previousTotal) / previousTotal) * 1000) / 10 : null,
    average: mine.length ? roundHalfEven(total / mine.length) : 0,
    median:
      sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid] : roundHalfEven((sorted[mid - 1] + sorted[mid]) / 2),
    largestAmount: sorted.length ? sorted[sorted.length - 1] : null,
    largestFirst: mine.find((e) => e.amount === sorted[sorted.length - 1]) ?? null,
    byCategory,
    topMerchants: ranked
      .slice(0, named)
      .map(({ merchant, amount, count }) => ({ merchant, amount, count, other: false })),
    other: rest.length
      ? {
          merchant: 'Other',
          amount: rest.reduce((s, g) => s + g.amount, 0),
          count: rest.reduce((s, g) => s + g.count, 0),
          other: true,
        }
      : null,
    byDay: daysOf(range).map((date) => {
      const list = mine.filter((e) => e.date === date);
      return { date, amount: list.reduce((s, e) => s + e.amount, 0), count: list.length };
    }),
  };
}

// "Now": anywhere from 2023 to 2027, or within a day and a half of a month start (so of year ends, and of most DST changes).
const anyInstant = fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2027, 11, 31) });
const nearMonthEdge = fc
  .tuple(
    fc.integer({ min: 2023, max: 2027 }),
    fc.integer({ min: 0, max: 11 }),
    fc.integer({ min: -36 * 60, max: 36 * 60 }),
  )
  .map(([year, month, minutes]) => Date.UTC(year, month, 1) + minutes * 60_000);
// Around the DST changes of 2026 (US, EU, southern hemisphere), by the hour.
const nearDst = fc
  .tuple(
    fc.constantFrom('2026-03-08', '2026-03-29', '2026-04-05', '2026-09-27', '2026-10-25', '2026-11-01'),
    fc.integer({ min: -48, max: 48 }),
  )
  .map(([day, hours]) => Date.parse(`${day}T00:00:00Z`) + hours * 3_600_000);
const instant = fc.oneof(anyInstant, nearMonthEdge, nearDst).map((ms) => new Date(ms));

const scenario = fc.record({
  timezone: fc.constantFrom(...TIMEZONES),
  now: instant,
  // A free range (from/to relative to today), the period containing today, or the last complete one.
  kind: fc.constantFrom('range', 'WEEKLY', 'MONTHLY', 'last WEEKLY', 'last MONTHLY'),
  startOffset: fc.integer({ min: -120, max: 0 }),
  length: fc.integer({ min: 1, max: 100 }),
  // A few merchants or many: so the top five + Other meet every case (no Other, a sixth merchant named, many).
  merchants: fc.shuffledSubarray(MERCHANTS, { minLength: 1 }),
  expenses: fc.array(
    fc.record({
      // Days around the range start: in the range, in the previous one, before and after both.
      dayOffset: fc.integer({ min: -110, max: 110 }),
      merchant: fc.nat(),
      // Small amounts repeat, so ties (in median, largest and the merchant ranking) happen.
      amount: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5_000_000 })),
      currency: fc.constantFrom(...CURRENCIES),
      category: fc.constantFrom(...CATEGORIES),
    }),
    // fast-check keeps arrays short by default: 'large' lets a range hold dozens to hundreds of expenses.
    { maxLength: 300, size: 'large' },
  ),
});

describe('summarizeExpenses (property)', () => {
  it('given random expenses, timezones, instants and ranges, when summarized, then every number matches the brute force', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const today = todayIn(s.timezone, s.now);
        expect(today).toBe(bruteToday(s.timezone, s.now));
        let range: DateRange;
        let previous: DateRange;
        if (s.kind === 'range') {
          const from = dayOf(Date.parse(`${today}T12:00:00Z`) + s.startOffset * DAY);
          range = { from, to: dayOf(Date.parse(`${from}T12:00:00Z`) + (s.length - 1) * DAY) };
          previous = previousRangeOf(range);
          expect(daysOf(previous)).toHaveLength(s.length);
          expect(nextDay(previous.to)).toBe(range.from);
        } else {
          const period = s.kind.endsWith('WEEKLY') ? 'WEEKLY' : 'MONTHLY';
          range = s.kind.startsWith('last') ? lastCompletePeriod(period, today) : reportPeriodOf(period, today);
          const containing = bruteRange(period, today);
          expect(range).toEqual(s.kind.startsWith('last') ? bruteRange(period, prevDay(containing.from)) : containing);
          previous = reportPeriodOf(period, prevDay(range.from));
          expect(previous).toEqual(bruteRange(period, prevDay(range.from)));
        }
        const expenses: ExpenseLike[] = s.expenses.map((e, i) => ({
          ...e,
          expense_id: `e${i}`,
          merchant: s.merchants[e.merchant % s.merchants.length],
          date: dayOf(Date.parse(`${range.from}T12:00:00Z`) + e.dayOffset * DAY),
        }));
        const summary = summarizeExpenses(expenses, expenses, range, previous);

        const spent = [
          ...new Set(
            expenses
              .filter(
                (e) =>
                  (e.date >= range.from && e.date <= range.to) || (e.date >= previous.from && e.date <= previous.to),
              )
              .map((e) => e.currency),
          ),
        ];
        expect(summary.currencies.map((c) => c.currency).sort()).toEqual(spent.sort());
        for (let i = 1; i < summary.currencies.length; i += 1)
          expect(summary.currencies[i - 1].total).toBeGreaterThanOrEqual(summary.currencies[i].total);
        for (const c of summary.currencies) {
          const want = bruteSummary(expenses, c.currency, range, previous);
          expect({
            total: c.total,
            count: c.count,
            previousTotal: c.previousTotal,
            change: c.change,
            changePercent: c.changePercent,
            average: c.average,
            median: c.median,
          }).toEqual({
            total: want.total,
            count: want.count,
            previousTotal: want.previousTotal,
            change: want.change,
            changePercent: want.changePercent,
            average: want.average,
            median: want.median,
          });
          expect(c.largest?.amount ?? null).toBe(want.largestAmount);
          if (want.largestFirst)
            expect(c.largest).toEqual({
              id: want.largestFirst.expense_id,
              merchant: want.largestFirst.merchant,
              amount: want.largestFirst.amount,
              date: want.largestFirst.date,
            });
          expect(c.byCategory).toEqual(want.byCategory);
          // Top five: the same merchants, in the same order, with the same sums; then Other = the sum of all the rest.
          expect(c.byMerchant.filter((m) => !m.other)).toEqual(want.topMerchants);
          expect(c.byMerchant.find((m) => m.other) ?? null).toEqual(want.other);
          expect(c.byMerchant.at(-1)?.other ?? false).toBe(want.other !== null);
          expect(c.byDay).toEqual(want.byDay);
          for (const n of [c.total, c.average, c.median, ...c.byDay.map((d) => d.amount)])
            expect(Number.isInteger(n)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('given no expenses, then no currency lines', () => {
    expect(
      summarizeExpenses([], [], { from: '2026-01-01', to: '2026-01-31' }, { from: '2025-12-01', to: '2025-12-31' })
        .currencies,
    ).toEqual([]);
  });
});

describe('report periods', () => {
  it('given days at week and month edges, then the ISO week (Mon–Sun) and the calendar month contain them', () => {
    expect(reportPeriodOf('WEEKLY', '2026-11-24')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(reportPeriodOf('WEEKLY', '2026-11-23')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(reportPeriodOf('WEEKLY', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(reportPeriodOf('WEEKLY', '2027-01-01')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(reportPeriodOf('MONTHLY', '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(reportPeriodOf('MONTHLY', '2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('given an instant, then today depends on the timezone', () => {
    const at = new Date('2026-11-30T23:30:00Z');
    expect(todayIn('UTC', at)).toBe('2026-11-30');
    expect(todayIn('Pacific/Auckland', at)).toBe('2026-12-01');
    expect(todayIn('America/Los_Angeles', at)).toBe('2026-11-30');
  });
});

describe('top merchants', () => {
  const spentAt = (merchants: string[]): ExpenseLike[] =>
    merchants.map((merchant, i) => ({
      expense_id: `e${i}`,
      merchant,
      amount: 1000 - i * 10,
      currency: 'EUR',
      date: '2026-11-10',
      category: 'OTHER',
    }));
  const merchantsOf = (expenses: ExpenseLike[]) =>
    summarizeExpenses(
      expenses,
      [],
      { from: '2026-11-01', to: '2026-11-30' },
      { from: '2026-10-01', to: '2026-10-31' },
    ).currencies[0].byMerchant.map((m) => m.merchant);

  it('given six merchants, then the sixth is named: no "Other" standing for one merchant', () => {
    expect(merchantsOf(spentAt(['A', 'B', 'C', 'D', 'E', 'Kiosk']))).toEqual(['A', 'B', 'C', 'D', 'E', 'Kiosk']);
  });

  it('given seven merchants, then the top five and "Other" for the two others', () => {
    expect(merchantsOf(spentAt(['A', 'B', 'C', 'D', 'E', 'F', 'G']))).toEqual(['A', 'B', 'C', 'D', 'E', 'Other']);
  });
});

describe('a split expense in a summary', () => {
  const range = { from: '2026-11-01', to: '2026-11-30' };
  const split: ExpenseLike = {
    expense_id: 's1',
    merchant: 'Hypermarket',
    amount: 10001,
    currency: 'EUR',
    date: '2026-11-10',
    category: 'GROCERIES',
    converted: null,
    splits: [
      { amount: 6001, category: 'GROCERIES' },
      { amount: 2000, category: 'HOUSEHOLD' },
      { amount: 2000, category: 'HOUSEHOLD', customCategoryId: 'cleaning' },
    ],
  };
  const plain: ExpenseLike = { ...split, expense_id: 'p1', amount: 500, category: 'HOUSEHOLD', splits: null };

  it('given parts in two categories, then each counts in its own, once per expense; the total and count are the whole', () => {
    const [eur] = summarizeExpenses([split, plain], [], range, previousRangeOf(range)).currencies;
    expect(eur.total).toBe(10501);
    expect(eur.count).toBe(2);
    expect(eur.byCategory).toEqual([
      { category: 'GROCERIES', amount: 6001, count: 1 },
      { category: 'HOUSEHOLD', amount: 4500, count: 2 },
    ]);
    expect(customCategoryTotalsOf([split, plain])).toEqual([{ customCategoryId: 'cleaning', amount: 2000, count: 1 }]);
  });
});
