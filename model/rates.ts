/**
 * Exchange rates (model/tables.ts `Rates`). One table, two kinds of series, each read with one
 * Query:
 *
 * - `ECB`: the European Central Bank's euro reference rates, one item per calendar month
 *   (`period` = YYYY-MM) holding every published day of it: `days[date][currency]` = units of
 *   the currency per 1 EUR, as the ECB's decimal string. "The rate of day D" is the newest
 *   published day on or before D: one Query for the month of D and the one before it
 *   (`period <= month(D)`, newest first, limit 2), which always holds it (the ECB never pauses
 *   for a month). The whole history since 1999 is ~330 items.
 * - `USER#<sub>`: rates a user set for a currency (`period` = `<CURRENCY>#<from date>`): 1 unit
 *   of `base` (their home currency when they set it) = `rate` units of the currency, from that
 *   day on. "The user's rate on D" is one Query (`period` between `<CUR>#` and `<CUR>#<D>`,
 *   newest first, limit 1). The key starts with the caller's id, as every other table's does.
 */
export const ECB_SERIES = 'ECB';

/** An ECB month item: published days → currency → units per 1 EUR (decimal string, e.g. "1.1684"). */
export interface EcbMonthItem {
  series: typeof ECB_SERIES;
  /** YYYY-MM. */
  period: string;
  days: Record<string, Record<string, string>>;
  /** Where the month's rates came from: the snapshot shipped with the code, or the ECB's feed. */
  source: string;
  updatedAt: string;
}

/** A rate the user set: 1 `base` = `rate` units of `currency`, from `from` on. */
export interface UserRateItem {
  series: string;
  /** `<currency>#<from>`. */
  period: string;
  currency: string;
  from: string;
  base: string;
  rate: string;
  setAt: string;
}

export function userRateSeriesOf(owner: string): string {
  return `USER#${owner}`;
}

export function userRatePeriodOf(currency: string, from: string): string {
  return `${currency}#${from}`;
}

/** How an expense's amount became an amount in another currency. */
export type RateSource = 'SAME' | 'ECB' | 'USER';

/**
 * An amount converted into the owner's home currency, as stored on the expense (and exposed as
 * `Expense.converted`): exact integer minor units, the rate shown for people, and the day the
 * rate is from.
 */
export interface Conversion {
  /** Integer minor units of `currency`. */
  amount: number;
  currency: string;
  /** Units of `currency` per 1 unit of the expense's currency, 10 significant digits (the amount is computed from the exact quotes). */
  rate: string;
  /** The day of the ECB rates used (the expense's day, or the last published day before it); for a user's own rate, the day it applies from. */
  rateDate: string;
  source: RateSource;
  /** The ECB day used is more than 4 days before the expense's (longer than any ECB closing): the rate is as of `rateDate`. */
  stale: boolean;
}
