import type { Category } from '../../generated/graphql.ts';
import type { ExpenseItem } from '../../model/expenses.ts';
import { merchantKeyOf } from '../../model/merchant-key.ts';
import { portionsOf } from '../../model/splits.ts';
import { addMinor, divideHalfEven, percentOf, scaleMinor, sumMinor, toMinor } from '../shared/money.ts';
import { addDays, daysBetween } from '../shared/periods.ts';

/**
 * Spending summaries, per currency (amounts in different currencies are never added), in
 * integer minor units: totals by category, by merchant (top N, the rest as one "Other"
 * line when the rest is two merchants or more) and by day; count, average, median and largest; change against a previous range.
 * Expense dates are the user's local calendar days, so day buckets need no timezone here.
 */
export type ExpenseLike = Pick<
  ExpenseItem,
  'expense_id' | 'merchant' | 'amount' | 'currency' | 'date' | 'category' | 'converted'
> &
  Partial<Pick<ExpenseItem, 'customCategoryId' | 'tags' | 'splits'>>;

/** Spending with one tag, or filed under one custom category (the schema's TagTotal, CustomCategoryTotal). */
export type TagTotal = { tag: string; amount: number; count: number };
export type CustomCategoryTotal = { customCategoryId: string; amount: number; count: number };

export interface CurrencySummary {
  currency: string;
  total: number;
  count: number;
  average: number;
  median: number;
  largest: { id: string; merchant: string; amount: number; date: string } | null;
  byCategory: Array<{ category: Category; amount: number; count: number }>;
  byMerchant: Array<{ merchant: string; amount: number; count: number; other: boolean }>;
  byDay: Array<{ date: string; amount: number; count: number }>;
  previousTotal: number;
  change: number;
  /** null when there was nothing to compare with. */
  changePercent: number | null;
}

export interface ExpenseSummary {
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
  currencies: CurrencySummary[];
}

export interface DateRange {
  from: string;
  to: string;
}

/** The range of the same length right before `range` (what a free range is compared with). */
export function previousRangeOf(range: DateRange): DateRange {
  const length = daysBetween(range.from, range.to) + 1;
  return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
}

function medianOf(sorted: number[]): number {
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : toMinor(divideHalfEven(BigInt(sorted[middle - 1]) + BigInt(sorted[middle]), 2n));
}

export function summarizeCurrency(
  currency: string,
  expenses: ExpenseLike[],
  previousTotal: number,
  range: DateRange,
  topMerchants: number,
): CurrencySummary {
  const total = sumMinor(
    expenses.map((e) => e.amount),
    'A total',
  );
  const amounts = expenses.map((e) => e.amount).sort((a, b) => a - b);
  const largest = expenses.reduce<ExpenseLike | null>((best, e) => (!best || e.amount > best.amount ? e : best), null);

  const categories = new Map<Category, { amount: number; count: number }>();
  const merchants = new Map<string, { merchant: string; amount: number; count: number }>();
  const days = new Map<string, { amount: number; count: number }>();
  for (const e of expenses) {
    // A split expense counts each part in its own category (model/splits.ts), once per category.
    for (const portion of portionsByCategoryOf(e)) {
      const c = categories.get(portion.category) ?? { amount: 0, count: 0 };
      categories.set(portion.category, { amount: addMinor(c.amount, portion.amount), count: c.count + 1 });
    }
    const key = merchantKeyOf(e.merchant) || e.merchant;
    const m = merchants.get(key) ?? { merchant: e.merchant, amount: 0, count: 0 };
    merchants.set(key, { merchant: m.merchant, amount: addMinor(m.amount, e.amount), count: m.count + 1 });
    const d = days.get(e.date) ?? { amount: 0, count: 0 };
    days.set(e.date, { amount: addMinor(d.amount, e.amount), count: d.count + 1 });
  }
  const byAmount = <T extends { amount: number }>(a: T, b: T) => b.amount - a.amount;
  const rankedMerchants = [...merchants.values()].sort(
    (a, b) => byAmount(a, b) || a.merchant.localeCompare(b.merchant),
  );
  // "Other" sums two or more merchants: a single one past the top is named instead.
  const named = rankedMerchants.length === topMerchants + 1 ? rankedMerchants.length : topMerchants;
  const rest = rankedMerchants.slice(named);
  const byMerchant = rankedMerchants.slice(0, named).map((m) => ({ ...m, other: false }));
  if (rest.length)
    byMerchant.push({
      merchant: 'Other',
      amount: sumMinor(rest.map((m) => m.amount)),
      count: rest.reduce((s, m) => s + m.count, 0),
      other: true,
    });

  const byDay: CurrencySummary['byDay'] = [];
  for (let date = range.from; date <= range.to; date = addDays(date, 1))
    byDay.push({ date, ...(days.get(date) ?? { amount: 0, count: 0 }) });

  const change = addMinor(total, -previousTotal);
  return {
    currency,
    total,
    count: expenses.length,
    average: expenses.length ? scaleMinor(total, 1, expenses.length) : 0,
    median: medianOf(amounts),
    largest: largest
      ? { id: largest.expense_id, merchant: largest.merchant, amount: largest.amount, date: largest.date }
      : null,
    byCategory: [...categories.entries()]
      .map(([category, v]) => ({ category, ...v }))
      .sort((a, b) => byAmount(a, b) || a.category.localeCompare(b.category)),
    byMerchant,
    byDay,
    previousTotal,
    change,
    changePercent: previousTotal ? percentOf(change, previousTotal) : null,
  };
}

/**
 * One currency's summary of expenses already in it (the home summary: every expense converted),
 * `current` in `range` and `previous` in `previousRange`.
 */
export function summarizeInCurrency(
  currency: string,
  current: ExpenseLike[],
  previous: ExpenseLike[],
  range: DateRange,
  previousRange: DateRange,
  topMerchants = 5,
): CurrencySummary {
  const inRange = current.filter((e) => e.date >= range.from && e.date <= range.to);
  const before = previous.filter((e) => e.date >= previousRange.from && e.date <= previousRange.to);
  return summarizeCurrency(currency, inRange, sumMinor(before.map((e) => e.amount)), range, topMerchants);
}

/** `current` are the expenses in `range`, `previous` those in `previousRange`. */
export function summarizeExpenses(
  current: ExpenseLike[],
  previous: ExpenseLike[],
  range: DateRange,
  previousRange: DateRange,
  topMerchants = 5,
): ExpenseSummary {
  const inRange = current.filter((e) => e.date >= range.from && e.date <= range.to);
  const before = previous.filter((e) => e.date >= previousRange.from && e.date <= previousRange.to);
  const currencies = [...new Set([...inRange, ...before].map((e) => e.currency))].sort();
  return {
    from: range.from,
    to: range.to,
    previousFrom: previousRange.from,
    previousTo: previousRange.to,
    currencies: currencies
      .map((currency) =>
        summarizeCurrency(
          currency,
          inRange.filter((e) => e.currency === currency),
          sumMinor(before.filter((e) => e.currency === currency).map((e) => e.amount)),
          range,
          topMerchants,
        ),
      )
      // The currency spent most in first: the one a report leads with.
      .sort((a, b) => b.total - a.total || a.currency.localeCompare(b.currency)),
  };
}

/** A split expense's portions merged by default category (parts of several custom categories of one category count once there). */
function portionsByCategoryOf(expense: ExpenseLike): Array<{ category: Category; amount: number }> {
  const totals = new Map<Category, number>();
  for (const p of portionsOf(expense)) totals.set(p.category, addMinor(totals.get(p.category) ?? 0, p.amount));
  return [...totals].map(([category, amount]) => ({ category, amount }));
}

/** Totals by key, the largest amount first (then by key, so the order is stable). */
function totalsBy(expenses: readonly ExpenseLike[], keysOf: (e: ExpenseLike) => readonly string[]) {
  const totals = new Map<string, { amount: number; count: number }>();
  for (const e of expenses)
    for (const key of new Set(keysOf(e))) {
      const t = totals.get(key) ?? { amount: 0, count: 0 };
      totals.set(key, { amount: addMinor(t.amount, e.amount, 'A total'), count: t.count + 1 });
    }
  return [...totals.entries()]
    .map(([key, total]) => ({ key, ...total }))
    .sort((a, b) => b.amount - a.amount || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Spending by tag of expenses in one currency: an expense with several tags counts in each (so
 * the lines can sum to more than the spending); expenses without tags are in none.
 */
export function tagTotalsOf(expenses: readonly ExpenseLike[]): TagTotal[] {
  return totalsBy(expenses, (e) => e.tags ?? []).map(({ key, amount, count }) => ({ tag: key, amount, count }));
}

/** Spending by the custom category expenses in one currency were filed under (a split one: its parts'); expenses without one are in none. */
export function customCategoryTotalsOf(expenses: readonly ExpenseLike[]): CustomCategoryTotal[] {
  return totalsBy(expenses.flatMap(portionsOf), (e) => (e.customCategoryId ? [e.customCategoryId] : [])).map(
    ({ key, amount, count }) => ({
      customCategoryId: key,
      amount,
      count,
    }),
  );
}
