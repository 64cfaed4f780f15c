import { describe, expect, it } from 'vitest';
import {
  amountIn,
  evaluateBudgetsForChange,
  evaluateBudgetsOnceSettled,
  rulesOfBudget,
  spendingOf,
  statusPeriodsOf,
  touches,
  type ExpenseSnapshot,
  type ForecastRule,
} from '../../../../../functions/shared/budgets/core.ts';
import { createRateBook } from '../../../../../functions/shared/currency/rate-book.ts';
import { budgetIdOf, defaultBudgetName, inBudgetScope, type BudgetItem } from '../../../../../model/budgets.ts';
import { memoryDeps, memoryWorld } from '../../../../support/memory-budget-deps.ts';
import { memoryRateStore } from '../../../../support/memory-rates.ts';
import { budgetItem } from '../../../../support/budget-items.ts';

/** Budgets scoped to a tag or a custom category: which expenses count, and which changes re-evaluate them. */
const budget = (over: Partial<BudgetItem> = {}): BudgetItem =>
  budgetItem({ budget_id: 'X', name: 'Scoped', category: null, fired: {}, ...over });
const tagBudget = budget({ budget_id: 'TAG#holiday-MONTHLY', tag: 'holiday' });
const customBudget = budget({ budget_id: 'CUSTOM#c1-MONTHLY', category: 'DINING', customCategoryId: 'c1' });
const expense = (id: string, amount: number, over: Partial<ExpenseSnapshot> = {}): ExpenseSnapshot => ({
  expense_id: id,
  date: '2026-11-10',
  category: 'DINING',
  amount,
  currency: 'EUR',
  ...over,
});
async function* pagesOf(...pages: ExpenseSnapshot[][]) {
  yield* pages;
}
const rates = createRateBook(memoryRateStore({}));
const today = '2026-11-20';
const spentOf = async (b: BudgetItem, expenses: ExpenseSnapshot[]) =>
  (await spendingOf(pagesOf(expenses), b, statusPeriodsOf(b, today, null), null, amountIn(rates, 'u', 'EUR'))).byPeriod[
    '2026-11-01'
  ] ?? 0;

describe('the scope of a budget', () => {
  it('given a tag budget, then only expenses carrying the tag count, in any category', async () => {
    const spent = await spentOf(tagBudget, [
      expense('a', 1000, { tags: ['holiday', 'food'] }),
      expense('b', 200, { tags: ['holiday'], category: 'TRAVEL' }),
      expense('c', 5000, { tags: ['work'] }),
      expense('d', 7000),
      expense('e', 9000, { tags: null }),
    ]);
    expect(spent).toBe(1200);
  });

  it('given a custom-category budget, then only expenses filed under that custom category count', async () => {
    const spent = await spentOf(customBudget, [
      expense('a', 1000, { customCategoryId: 'c1' }),
      expense('b', 300, { customCategoryId: 'c2' }),
      expense('c', 5000),
      // A damaged or foreign row of another category is not counted even with the id.
      expense('d', 700, { customCategoryId: 'c1', category: 'FUEL' }),
    ]);
    expect(spent).toBe(1000);
  });

  it('given a category or all-spending budget, then tags and custom categories do not narrow it', () => {
    const tagged = { category: 'DINING', tags: ['holiday'], customCategoryId: 'c1' };
    expect(inBudgetScope({ category: 'DINING' }, tagged)).toBe(true);
    expect(inBudgetScope({ category: null }, tagged)).toBe(true);
    expect(inBudgetScope({ category: 'FUEL' }, tagged)).toBe(false);
    expect(inBudgetScope({ tag: 'work' }, tagged)).toBe(false);
  });

  it('given scopes, then ids and default names tell them apart', () => {
    expect(budgetIdOf({ category: 'DINING' }, 'MONTHLY')).toBe('DINING-MONTHLY');
    expect(budgetIdOf({}, 'WEEKLY')).toBe('ALL-WEEKLY');
    expect(budgetIdOf({ tag: 'holiday' }, 'MONTHLY')).toBe('TAG#holiday-MONTHLY');
    expect(budgetIdOf({ category: 'DINING', customCategoryId: '01J' }, 'YEARLY')).toBe('CUSTOM#01J-YEARLY');
    expect(defaultBudgetName({ tag: 'holiday' }, 'MONTHLY')).toBe('Monthly #holiday');
    expect(defaultBudgetName({ category: 'DINING', customCategoryId: '01J' }, 'WEEKLY', 'Coffee')).toBe(
      'Weekly Coffee',
    );
  });

  it('given recurring rules, then a scoped budget forecasts at its rate without them (a rule does not know its charges’ tags)', () => {
    const rule = { id: 'r', category: 'DINING' } as ForecastRule;
    expect(rulesOfBudget(budget({ category: 'DINING' }), [rule])).toEqual([rule]);
    expect(rulesOfBudget(tagBudget, [rule])).toEqual([]);
    expect(rulesOfBudget(customBudget, [rule])).toEqual([]);
  });
});

describe('which scoped budgets an expense change re-evaluates', () => {
  const periods = statusPeriodsOf(tagBudget, today, null);

  it('given a tag budget, then a change to an expense with the tag, before or after, touches it; others do not', () => {
    const tagged = expense('a', 1, { tags: ['holiday'] });
    const untagged = expense('a', 1, { tags: ['work'] });
    expect(touches(tagBudget, { before: null, after: tagged }, periods)).toBe(true);
    // The tag removed: the expense leaves the budget, which must be re-evaluated too.
    expect(touches(tagBudget, { before: tagged, after: untagged }, periods)).toBe(true);
    expect(touches(tagBudget, { before: null, after: untagged }, periods)).toBe(false);
    expect(touches(tagBudget, { before: untagged, after: null }, periods)).toBe(false);
  });

  it('given a custom-category budget, then only changes of expenses filed under it touch it', () => {
    const filed = expense('a', 1, { customCategoryId: 'c1' });
    expect(touches(customBudget, { before: null, after: filed }, periods)).toBe(true);
    expect(touches(customBudget, { before: filed, after: { ...filed, customCategoryId: null } }, periods)).toBe(true);
    expect(touches(customBudget, { before: null, after: expense('b', 1) }, periods)).toBe(false);
  });

  it('given the days-and-categories form with the items, then scoped budgets are picked by them; without, by category', () => {
    const change = { dates: ['2026-11-10'], categories: ['DINING'] };
    const item = { date: '2026-11-10', category: 'DINING' as const };
    expect(touches(tagBudget, { ...change, items: [{ ...item, tags: ['holiday'] }] }, periods)).toBe(true);
    expect(touches(tagBudget, { ...change, items: [{ ...item, tags: ['work'] }] }, periods)).toBe(false);
    expect(touches(customBudget, { ...change, items: [{ ...item, customCategoryId: 'c2' }] }, periods)).toBe(false);
    expect(touches(tagBudget, change, periods)).toBe(true);
  });
});

describe('alerts of a scoped budget', () => {
  const ids = (alerts: Array<{ id: string }>) => alerts.map((a) => a.id);
  const dated = (id: string, amount: number, over: Partial<ExpenseSnapshot> = {}) =>
    expense(id, amount, { date: '2026-11-19', ...over });

  it('given a tag budget beside an all-spending one, then untagged spending alerts only the latter, and tagged spending crossing 80 % alerts the tag budget', async () => {
    const world = memoryWorld([
      budget({ budget_id: 'TAG#holiday-MONTHLY', tag: 'holiday', name: 'Trip', thresholds: [80] }),
      budget({ budget_id: 'ALL-MONTHLY', name: 'Everything', thresholds: [80], amount: 100000 }),
    ]);
    const untagged = dated('e1', 9000);
    world.index.push(untagged);
    expect(ids(await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', { before: null, after: untagged }))).toEqual(
      [],
    );
    const tagged = [dated('e2', 7000, { tags: ['holiday'] }), dated('e3', 1000, { tags: ['kids', 'holiday'] })];
    for (const after of tagged) {
      world.index.push(after);
      await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', { before: null, after });
    }
    expect(world.pushed).toEqual([
      expect.objectContaining({ id: 'TAG#holiday-MONTHLY:2026-11-01:80', spent: 8000, limit: 10000 }),
    ]);
  });

  it('given two tagged expenses written at once, then the second look, picked by their tags, alerts their sum', async () => {
    const world = memoryWorld([budget({ budget_id: 'TAG#holiday-MONTHLY', tag: 'holiday', thresholds: [80] })]);
    world.index.push(dated('e0', 7000, { tags: ['holiday'] }));
    const changes = [dated('e1', 500, { tags: ['holiday'] }), dated('e2', 500, { tags: ['holiday'] })].map((after) => ({
      before: null,
      after,
    }));
    for (const change of changes)
      expect(await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change)).toEqual([]);
    const indexCatchesUp = async () => void world.index.push(...changes.map((c) => c.after));
    const alerts = await evaluateBudgetsOnceSettled(memoryDeps(world).deps, 'u', changes[0], indexCatchesUp);
    expect(ids(alerts)).toEqual(['TAG#holiday-MONTHLY:2026-11-01:80']);
  });
});
