import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  currentBudgetStatus,
  type BudgetExpense,
  type ForecastRule,
} from '../../../../../functions/shared/budgets/core.ts';
import { createRateBook } from '../../../../../functions/shared/currency/rate-book.ts';
import { scaleMinor } from '../../../../../functions/shared/money.ts';
import { periodOf } from '../../../../../functions/shared/periods.ts';
import { seriesMerchantKeyOf } from '../../../../../functions/shared/recurring-rules.ts';
import type { Category } from '../../../../../generated/graphql.ts';
import type { BudgetItem } from '../../../../../model/budgets.ts';
import {
  addDaysTo,
  dateOfDayNumber,
  dayNumberOf,
  daysFrom,
  type RecurringCadence,
} from '../../../../../model/recurring.ts';
import { memoryDeps, memoryWorld } from '../../../../support/memory-budget-deps.ts';
import { memoryRateStore } from '../../../../support/memory-rates.ts';
import { budgetItem } from '../../../../support/budget-items.ts';

/**
 * The forecast with the owner's confirmed recurring rules: spent, the other spending at its rate
 * so far, and the rules' charges still to come in the period (functions/shared/budgets/core.ts).
 */
const budget = (over: Partial<BudgetItem> = {}): BudgetItem =>
  budgetItem({ budget_id: 'ALL-MONTHLY', name: 'Everything', category: null, amount: 11900, ...over });
const spend = (
  id: string,
  merchant: string,
  date: string,
  amount: number,
  over: Partial<BudgetExpense> = {},
): BudgetExpense => ({ expense_id: id, merchant, date, category: 'OTHER', amount, currency: 'EUR', ...over });
const rule = (merchant: string, over: Partial<ForecastRule> = {}): ForecastRule => ({
  id: `MONTHLY#EUR#${seriesMerchantKeyOf(merchant)}`,
  merchantKey: seriesMerchantKeyOf(merchant),
  currency: 'EUR',
  cadence: 'MONTHLY',
  amount: 1799,
  tolerancePercent: 10,
  anchorDay: 25,
  anchorMonth: 1,
  lastDate: '2026-10-25',
  ...over,
});

/** The status on `today` (UTC) of `b`, with these expenses and rules. */
async function statusOf(b: BudgetItem, today: string, expenses: BudgetExpense[], rules: ForecastRule[], rates?: any) {
  const world = memoryWorld([b], new Date(`${today}T12:00:00Z`));
  world.index.push(...expenses);
  world.rules.push(...rules);
  const { deps } = memoryDeps(world, 'UTC');
  return currentBudgetStatus(rates ? { ...deps, rates } : deps, 'u', b);
}

describe('a worked example: 10 November, a monthly rule due on the 25th', () => {
  // 30 Euro of groceries so far, and Spotify's 9.99 charged on the 2nd (a rule: next due 2 December).
  const november = [
    spend('e1', 'REWE Markt', '2026-11-04', 3000, { category: 'GROCERIES' }),
    spend('e2', 'Spotify', '2026-11-02', 999, { category: 'ENTERTAINMENT' }),
  ];
  const netflix = rule('Netflix.com', { category: 'ENTERTAINMENT' });
  const spotify = rule('Spotify', { amount: 999, anchorDay: 2, lastDate: '2026-10-02', category: 'ENTERTAINMENT' });

  it('given no rules, then the forecast is the run rate of everything spent: 39.99 × 30 / 10', async () => {
    const status = await statusOf(budget(), '2026-11-10', november, []);
    expect(status).toMatchObject({ spent: 3999, forecast: 11997, state: 'AT_RISK' });
  });

  it('given Netflix and Spotify confirmed, then spent + groceries at their rate + Netflix on the 25th: 9.99 + 90 + 17.99', async () => {
    const status = await statusOf(budget(), '2026-11-10', november, [netflix, spotify]);
    // Spotify's charge is counted once, as made (not tripled by the run rate, not expected again this month).
    expect(status).toMatchObject({ spent: 3999, forecast: 999 + 9000 + 1799, state: 'ON_TRACK' });
  });

  it('given Netflix charged early, on the 10th itself, then it is spent and not expected again on the 25th', async () => {
    const charged = [...november, spend('e3', 'NETFLIX.COM 866-579-7172', '2026-11-10', 1799)];
    const status = await statusOf(budget(), '2026-11-10', charged, [netflix, spotify]);
    expect(status).toMatchObject({ spent: 5798, forecast: 999 + 1799 + 9000 });
  });

  it('given the 25th itself, then a charge due today is not one to come (today is exclusive)', async () => {
    const status = await statusOf(budget(), '2026-11-25', november, [netflix]);
    expect(status.forecast).toBe(scaleMinor(3999, 30, 25));
  });

  it('given a weekly rule, then each of its charges after today through the period end counts', async () => {
    const gym = rule('FitGym Berlin', { cadence: 'WEEKLY', anchorDay: 0, amount: 2500, lastDate: '2026-11-09' });
    // Mondays after Tuesday 10 November: the 16th, 23rd and 30th.
    const status = await statusOf(budget(), '2026-11-10', [], [gym]);
    expect(status.forecast).toBe(3 * 2500);
  });

  it('given a category budget, then it counts the rules of its category only; rules without a category count for all spending', async () => {
    const entertainment = budget({ budget_id: 'ENTERTAINMENT-MONTHLY', category: 'ENTERTAINMENT', amount: 5000 });
    const bills = rule('Stadtwerke', { anchorDay: 20, amount: 6000, lastDate: '2026-10-20', category: 'UTILITIES' });
    const unknown = rule('Old Gym', { anchorDay: 15, amount: 3000, lastDate: '2026-10-15' });
    const rules = [netflix, spotify, bills, unknown];
    expect((await statusOf(entertainment, '2026-11-10', november, rules)).forecast).toBe(999 + 1799);
    expect((await statusOf(budget(), '2026-11-10', november, rules)).forecast).toBe(999 + 9000 + 1799 + 6000 + 3000);
  });

  it('given a rule whose charges to come no rate converts, then it is left out: its charge made goes on at the rate, as before', async () => {
    // A weekly fee in USD, charged on Monday the 9th (stored converted: 9.99 EUR); due again on the 16th, 23rd and 30th.
    const converted = { amount: 999, currency: 'EUR', rate: '1', rateDate: '2026-11-09', source: 'ECB' };
    const fee = spend('e3', 'Coworking Space', '2026-11-09', 1200, { currency: 'USD', converted } as BudgetExpense);
    const weekly = rule('Coworking Space', { cadence: 'WEEKLY', anchorDay: 0, currency: 'USD', amount: 1200 });
    const status = await statusOf(budget(), '2026-11-10', [november[0], fee], [{ ...weekly, lastDate: '2026-11-02' }]);
    expect(status).toMatchObject({ spent: 3999, forecast: 11997 });
  });

  it('given a rule in another currency with no charge to come this period, then its charge made counts as made', async () => {
    const converted = { amount: 999, currency: 'EUR', rate: '1', rateDate: '2026-11-02', source: 'ECB' };
    const expenses = [november[0], { ...november[1], currency: 'USD', converted } as BudgetExpense];
    const status = await statusOf(budget(), '2026-11-10', expenses, [{ ...spotify, currency: 'USD' }]);
    expect(status).toMatchObject({ spent: 3999, forecast: 999 + 9000 });
  });

  it('given a rule in another currency a rate converts, then its charge to come counts at the rate of its day', async () => {
    const rates = createRateBook(memoryRateStore({ '2026-11-09': { USD: '1.25' } }));
    const hosting = rule('Hetzner', { currency: 'USD', amount: 2500, anchorDay: 28, lastDate: '2026-10-28' });
    // 25.00 USD / 1.25 = 20.00 EUR on the 28th (the newest rate on or before it).
    expect((await statusOf(budget(), '2026-11-10', [], [hosting], rates)).forecast).toBe(2000);
  });
});

const MERCHANTS = ['Netflix.com', 'Spotify', 'REWE Markt', 'Bistro'];
const CATEGORIES: Category[] = ['DINING', 'ENTERTAINMENT'];
const CADENCES: RecurringCadence[] = ['WEEKLY', 'MONTHLY', 'YEARLY'];
const anyToday = fc
  .integer({ min: dayNumberOf('2025-01-01'), max: dayNumberOf('2027-12-31') })
  .map((n) => dateOfDayNumber(n));
const anyBudget = fc.record({
  period: fc.constantFrom<BudgetItem['period'][]>('WEEKLY', 'MONTHLY', 'YEARLY'),
  category: fc.constantFrom<Array<Category | null>>(null, ...CATEGORIES),
});
const anyExpenses = fc.array(
  fc.record({
    merchant: fc.constantFrom(...MERCHANTS),
    amount: fc.integer({ min: 0, max: 100_000 }),
    daysBack: fc.integer({ min: -20, max: 400 }),
    category: fc.constantFrom(...CATEGORIES),
    currency: fc.constantFrom('EUR', 'EUR', 'USD'),
  }),
  { maxLength: 25 },
);
const anyRules = fc.array(
  fc.record({
    merchant: fc.constantFrom(...MERCHANTS),
    cadence: fc.constantFrom(...CADENCES),
    anchorDay: fc.integer({ min: 1, max: 31 }),
    anchorMonth: fc.integer({ min: 1, max: 12 }),
    amount: fc.integer({ min: 1, max: 50_000 }),
    tolerancePercent: fc.integer({ min: 0, max: 100 }),
    daysBack: fc.integer({ min: 0, max: 800 }),
    category: fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
    currency: fc.constantFrom('EUR', 'EUR', 'USD'),
  }),
  { minLength: 1, maxLength: 4 },
);

describe('the forecast with rules, for any spending', () => {
  it('given any budget, expenses of zero or more and rules, then the forecast is at least what is spent; without rules (or with rules no rate converts) it is the run rate, spent × period days / days so far', async () => {
    await fc.assert(
      fc.asyncProperty(anyToday, anyBudget, anyExpenses, anyRules, async (today, shape, drawn, drawnRules) => {
        const b = budget({ ...shape, budget_id: `${shape.category ?? 'ALL'}-${shape.period}` });
        const expenses = drawn.map((e, i) =>
          spend(`e${i}`, e.merchant, addDaysTo(today, -e.daysBack), e.amount, {
            category: e.category,
            currency: e.currency,
          }),
        );
        const rules = drawnRules.map(({ merchant, daysBack, cadence, anchorDay, ...r }, i) => ({
          ...rule(merchant, { ...r, cadence }),
          id: `rule-${i}`,
          anchorDay: cadence === 'WEEKLY' ? anchorDay % 7 : anchorDay,
          lastDate: addDaysTo(today, -daysBack),
        }));
        const { start, end } = periodOf(b.period, today);
        const runRate = (spent: number) => scaleMinor(spent, daysFrom(start, end) + 1, daysFrom(start, today) + 1);

        const withRules = await statusOf(b, today, expenses, rules);
        expect(withRules.forecast).toBeGreaterThanOrEqual(withRules.spent);

        const without = await statusOf(b, today, expenses, []);
        expect(without.spent).toBe(withRules.spent);
        expect(without.forecast).toBe(runRate(without.spent));

        // NO_RATES converts no USD: rules in USD are all left out.
        const unconvertible = await statusOf(
          b,
          today,
          expenses,
          rules.map((r) => ({ ...r, currency: 'USD' })),
        );
        expect(unconvertible.forecast).toBe(runRate(unconvertible.spent));
      }),
      { numRuns: 150 },
    );
  });
});
