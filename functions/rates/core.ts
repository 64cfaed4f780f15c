import type { ExpenseItem } from '../../model/expenses.ts';
import type { Conversion, EcbMonthItem } from '../../model/rates.ts';
import { isStaleRate } from '../shared/currency/conversion.ts';
import { ecbMonthItems, newestDayOf, type EcbDays } from '../shared/currency/ecb-rates.ts';
import type { RateBook } from '../shared/currency/rate-book.ts';
import type { EcbMonthWriter } from '../shared/currency/dynamo-rates.ts';
import { todayIn } from '../shared/periods.ts';

/**
 * RatesFn's use cases over ports: keeping the ECB reference rates current, converting an
 * expense for the expense resolvers, and converting a user's stored expenses again after they
 * set a rate or change their home currency.
 */
export interface RefreshDeps {
  store: EcbMonthWriter & { ecbMonths(month: string): Promise<EcbMonthItem[]> };
  /** The dated history shipped with the code (null when there is none). */
  snapshot(): Promise<EcbDays | null>;
  /** The ECB's feed (the last 90 days); throws when it cannot be reached. */
  feed: (() => Promise<EcbDays>) | null;
  now(): Date;
  log(message: string, extra?: Record<string, unknown>): void;
}

export interface RefreshOutcome {
  /** The newest day with ECB rates stored after the refresh. */
  newestDay: string | null;
  /** Whether that day is older than a TARGET closing explains, as of today (UTC). */
  stale: boolean;
  monthsWritten: number;
  feed: 'read' | 'unreachable' | 'off';
}

/** Days of `add` merged into the stored month items (published rates never change; the newer copy wins). */
async function mergeMonths(deps: RefreshDeps, days: EcbDays, source: string): Promise<EcbMonthItem[]> {
  const items = ecbMonthItems(days, source, deps.now());
  for (const item of items) {
    const stored = (await deps.store.ecbMonths(item.period)).find((m) => m.period === item.period);
    if (stored) item.days = { ...stored.days, ...item.days };
  }
  return items;
}

/**
 * Stores what the snapshot has past the newest stored month (all of it on the first run: ~330
 * month items, written in batches), then the ECB's last 90 days when the feed answers. Runs on a
 * schedule on AWS and at every `npm start` (and on the same schedule) locally; idempotent.
 */
export async function refreshRates(deps: RefreshDeps): Promise<RefreshOutcome> {
  let monthsWritten = 0;
  const newestStored = await deps.store.newestEcbMonth();
  const snapshot = await deps.snapshot();
  if (snapshot) {
    const fromMonth = newestStored?.period ?? '';
    const newer: EcbDays = {};
    for (const [day, rates] of Object.entries(snapshot)) if (day.slice(0, 7) >= fromMonth) newer[day] = rates;
    const items = newestStored
      ? await mergeMonths(deps, newer, 'ECB snapshot')
      : ecbMonthItems(newer, 'ECB snapshot', deps.now());
    // Unchanged months (a restart with the same snapshot) are not written again.
    const changed = items.filter(
      (item) =>
        item.period !== newestStored?.period || Object.keys(item.days).length !== Object.keys(newestStored.days).length,
    );
    await deps.store.putEcbMonths(changed);
    monthsWritten += changed.length;
  }
  let feed: RefreshOutcome['feed'] = 'off';
  if (deps.feed) {
    try {
      const days = await deps.feed();
      const items = await mergeMonths(deps, days, 'ECB feed');
      await deps.store.putEcbMonths(items);
      monthsWritten += items.length;
      feed = 'read';
    } catch (error) {
      feed = 'unreachable';
      deps.log('ECB rates feed unreachable; keeping the rates stored', { error: (error as Error).message });
    }
  }
  const newest = await deps.store.newestEcbMonth();
  const newestDay = newest ? newestDayOf(newest.days) : null;
  const today = todayIn('UTC', deps.now());
  return { newestDay, stale: newestDay === null || isStaleRate(newestDay, today), monthsWritten, feed };
}

/** The conversion fields an expense item carries (model/expenses.ts). */
export function conversionFields(conversion: Conversion | null): Pick<ExpenseItem, 'converted' | 'needsRate'> {
  return { converted: conversion, needsRate: conversion === null };
}

export interface ReconvertDeps {
  rates: RateBook;
  /** The owner's expenses, page by page (one Query per page on user-date-index). */
  expensePages(owner: string): AsyncIterable<ExpenseItem[]>;
  /** Writes an expense's conversion if it is still at `version`; false when it changed meanwhile. */
  saveConversion(owner: string, expenseId: string, version: number, conversion: Conversion | null): Promise<boolean>;
  homeCurrency(owner: string): Promise<string | null>;
}

/**
 * Converts the owner's stored expenses again into their current home currency: after they set
 * a rate (`currency` given: only expenses in it) or change their home currency (all of them).
 * Only expenses whose stored conversion differs are written, each conditionally on its version
 * (an edit made meanwhile converted it already), so a retry or a second run changes nothing.
 * Reads the owner's partition of the date index once, page by page: O(their expenses), run
 * asynchronously after one explicit action, never on a read path.
 */
export async function reconvertExpenses(
  deps: ReconvertDeps,
  owner: string,
  currency: string | null,
): Promise<{ examined: number; converted: number; needsRate: number }> {
  const home = await deps.homeCurrency(owner);
  const outcome = { examined: 0, converted: 0, needsRate: 0 };
  if (!home) return outcome;
  for await (const page of deps.expensePages(owner)) {
    for (const expense of page) {
      if (currency && expense.currency !== currency) continue;
      outcome.examined += 1;
      const conversion = await deps.rates.convert(owner, expense, home);
      if (!conversion) outcome.needsRate += 1;
      if (
        JSON.stringify(conversion) === JSON.stringify(expense.converted ?? null) &&
        !!expense.needsRate === !conversion
      )
        continue;
      if (await deps.saveConversion(owner, expense.expense_id, expense.version, conversion)) outcome.converted += 1;
    }
  }
  return outcome;
}
