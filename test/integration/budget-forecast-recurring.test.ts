import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetHandler } from '../../functions/budgets/handler.ts';
import { budgetDeps } from '../../functions/shared/budgets/deps.ts';
import { periodOf } from '../../functions/shared/periods.ts';
import type { Handler } from '../../local/lambda.ts';
import { PROJECT_ROOT, type LocalStack } from '../../local/stack.ts';
import { daysFrom, stepFrom } from '../../model/recurring.ts';
import { givenRunningStack, givenSignedInUser, graphql, type SignedInUser } from '../e2e/steps.ts';

/**
 * A budget's forecast with a confirmed subscription, through the running local stack: expenses
 * typed in through the API, the series RecurringFn detects in them confirmed, and the budgets'
 * status from BudgetFn, which reads the rules from the Recurring table. BudgetFn's clock is set
 * to the first of this month (noon UTC, the new user's timezone), so the subscription's next
 * charge, on the month's last day, is always still to come; everything else runs on real time.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let user: SignedInUser;
const clock = { now: new Date() };
const realToday = new Date().toISOString().slice(0, 10);
const month = periodOf('MONTHLY', realToday);
const daysInThisMonth = daysFrom(month.start, month.end) + 1;
/** Six monthly charges on the 31st (a shorter month's last day), the latest in the month before this one. */
const netflixDates = Array.from({ length: 6 }, (_, i) => stepFrom(realToday, 'MONTHLY', { day: 31, month: 1 }, i - 6));
const NETFLIX = 'MONTHLY#EUR#netflixcom';

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('budget-forecast', {
    loadHandler: async (fn) =>
      fn.name === 'BudgetFn'
        ? (budgetHandler(() => ({ ...budgetDeps(), now: () => clock.now })) as Handler)
        : ((await import(pathToFileURL(path.resolve(PROJECT_ROOT, fn.entry)).href)) as { handler: Handler }).handler,
  }));
  user = await givenSignedInUser(stack, 'ada@example.com');
}, 60_000);

afterAll(async () => {
  await stopStack?.();
});

const call = async (query: string, variables: Record<string, unknown> = {}) => {
  const answer = await graphql(stack.urls.graphql, query, variables, user.accessToken);
  expect(answer.body.errors).toBeUndefined();
  await stack.lambda.drain(); // the budget evaluations a mutation asked for
  return answer.body.data;
};
const spend = (merchant: string, amount: number, date: string, category: string) =>
  call('mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }', {
    input: { merchant, amount, currency: 'EUR', date, category },
  });
const forecasts = async () => {
  const data = await call('query { listBudgets { items { id status { periodStart periodEnd spent forecast } } } }');
  return Object.fromEntries(
    (data.listBudgets.items as Array<{ id: string; status: Record<string, unknown> }>).map((b) => [b.id, b.status]),
  );
};

describe('budget forecasts with confirmed recurring charges', () => {
  it('given a monthly streaming subscription charged on the last day of each month, when it is confirmed, then the forecasts of the all-spending budget and of its category count its charge still to come this month, and others do not', async () => {
    await call('mutation { updateProfile(input: { homeCurrency: "EUR" }) { id } }');
    for (const date of netflixDates) await spend('Netflix.com', 1799, date, 'ENTERTAINMENT');
    await spend('REWE Markt', 1000, month.start, 'GROCERIES');
    for (const category of ['ENTERTAINMENT', 'DINING', null])
      await call(
        `mutation { createBudget(input: { ${category ? `category: ${category}, ` : ''}period: MONTHLY, amount: 100000, currency: "EUR" }) { id } }`,
      );
    clock.now = new Date(`${month.start}T12:00:00Z`);

    // Before: the groceries of the 1st at their rate over the month, nothing for Netflix.
    const period = { periodStart: month.start, periodEnd: month.end };
    expect(await forecasts()).toEqual({
      'ENTERTAINMENT-MONTHLY': { ...period, spent: 0, forecast: 0 },
      'DINING-MONTHLY': { ...period, spent: 0, forecast: 0 },
      'ALL-MONTHLY': { ...period, spent: 1000, forecast: 1000 * daysInThisMonth },
    });

    const candidates = await call('query { recurringCandidates { id nextDate } }');
    expect(candidates.recurringCandidates).toEqual([{ id: NETFLIX, nextDate: month.end }]);
    await call('mutation ($input: ConfirmRecurringInput!) { confirmRecurring(input: $input) { id } }', {
      input: { id: NETFLIX, name: 'Netflix' },
    });

    // After: the subscription's charge on the month's last day is in the forecast of ENTERTAINMENT
    // (the category of its charges) and of all spending; DINING is left alone.
    expect(await forecasts()).toEqual({
      'ENTERTAINMENT-MONTHLY': { ...period, spent: 0, forecast: 1799 },
      'DINING-MONTHLY': { ...period, spent: 0, forecast: 0 },
      'ALL-MONTHLY': { ...period, spent: 1000, forecast: 1000 * daysInThisMonth + 1799 },
    });
  }, 60_000);

  it("given the confirmed subscription, when this month's report is read today, then its budgets' forecasts count the charge too (unless today is its day)", async () => {
    const data = await call(
      `query { report(period: MONTHLY, date: "${realToday}") { summary { budgetsAsOf budgets { name category status { spent forecast } } } } }`,
    );
    const { budgetsAsOf, budgets } = data.report.summary;
    expect(budgetsAsOf).toBe(realToday);
    const entertainment = budgets.find((b: { category: string | null }) => b.category === 'ENTERTAINMENT');
    // ReportFn runs on real time: the charge on the month's last day is still to come unless that is today.
    expect(entertainment.status).toEqual({ spent: 0, forecast: month.end > realToday ? 1799 : 0 });
  }, 30_000);
});
