import { ecbMonthItems, type EcbDays } from '../../functions/shared/currency/ecb-rates.ts';
import { createRateBook, type RateBook, type RateStore } from '../../functions/shared/currency/rate-book.ts';
import type { EcbMonthItem, UserRateItem } from '../../model/rates.ts';

/**
 * Rates in memory with the Rates table's key semantics (model/rates.ts): ECB months by period,
 * user rates by currency and first day. Tests give their own rates: they are made up for the
 * test (round numbers), not the ECB's.
 */
export function memoryRateStore(days: EcbDays = {}, userRates: UserRateItem[] = []): RateStore {
  const months: EcbMonthItem[] = ecbMonthItems(days, 'test', new Date('2026-01-01T00:00:00Z'));
  return {
    ecbMonths: async (month) =>
      months
        .filter((m) => m.period <= month)
        .sort((a, b) => b.period.localeCompare(a.period))
        .slice(0, 2),
    userRate: async (owner, currency, date) =>
      userRates
        .filter((r) => r.series === `USER#${owner}` && r.currency === currency && r.from <= date)
        .sort((a, b) => b.from.localeCompare(a.from))[0] ?? null,
  };
}

/** A rate book that knows no rate: every expense in another currency stays unconverted. */
export const NO_RATES: RateBook = createRateBook(memoryRateStore());
