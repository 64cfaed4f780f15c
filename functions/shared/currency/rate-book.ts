import type { Conversion, EcbMonthItem, UserRateItem } from '../../../model/rates.ts';
import { conversionOf, EURO_QUOTE, multiplyDecimals, parseDecimal, type Quote } from './conversion.ts';

/**
 * Which rate converts an expense: the rate of the expense's own day. For a currency the user set
 * a rate for, their rate (from its day on) wins; otherwise the ECB's reference rate of the newest
 * published day on or before the expense's day (weekends and TARGET holidays use the day before;
 * a day past the newest rates known uses the newest, and the conversion says how old it is).
 * A currency with neither is unconvertible: the expense is flagged `needsRate`, never guessed.
 */
export interface RateStore {
  /** The ECB month items of `month` (YYYY-MM) and the month before it, newest first: one Query. */
  ecbMonths(month: string): Promise<EcbMonthItem[]>;
  /** The owner's newest rate for `currency` applying on `date`, or null: one Query. */
  userRate(owner: string, currency: string, date: string): Promise<UserRateItem | null>;
}

export interface RateBook {
  /** Units of `currency` per 1 EUR on `date` for `owner`, or null when nobody publishes one. */
  quote(owner: string, currency: string, date: string): Promise<Quote | null>;
  /** The expense in `home`, or null when a rate is missing. */
  convert(
    owner: string,
    expense: { amount: number; currency: string; date: string },
    home: string,
  ): Promise<Conversion | null>;
}

/** Reads are memoized for the book's life (one invocation): a report of 10,000 expenses reads each month once. */
export function createRateBook(store: RateStore): RateBook {
  const months = new Map<string, Promise<EcbMonthItem[]>>();
  const userRates = new Map<string, Promise<UserRateItem | null>>();

  async function ecbQuote(currency: string, date: string): Promise<Quote | null> {
    if (currency === 'EUR') return EURO_QUOTE(date);
    const month = date.slice(0, 7);
    if (!months.has(month)) months.set(month, store.ecbMonths(month));
    for (const item of await months.get(month)!) {
      const days = Object.keys(item.days)
        .filter((day) => day <= date)
        .sort()
        .reverse();
      // The newest published day on or before `date`: a currency missing from it is not published then.
      if (days.length === 0) continue;
      const text = item.days[days[0]][currency];
      const perEuro = text ? parseDecimal(text) : null;
      return perEuro ? { perEuro, source: 'ECB', date: days[0] } : null;
    }
    return null;
  }

  async function quote(owner: string, currency: string, date: string): Promise<Quote | null> {
    const key = `${owner}\u0000${currency}\u0000${date}`;
    if (!userRates.has(key)) userRates.set(key, store.userRate(owner, currency, date));
    const own = currency === 'EUR' ? null : await userRates.get(key)!;
    if (own) {
      const rate = parseDecimal(own.rate);
      // 1 base = rate units of the currency, so per euro it is rate × the base's ECB quote on the day.
      const base = own.base === currency ? null : await ecbQuote(own.base, date);
      if (!rate || !base) return null;
      return { perEuro: multiplyDecimals(rate, base.perEuro), source: 'USER', date: own.from };
    }
    return ecbQuote(currency, date);
  }

  return {
    quote,
    async convert(owner, expense, home) {
      if (expense.currency === home) return conversionOf(expense, home, null);
      const [from, to] = await Promise.all([
        quote(owner, expense.currency, expense.date),
        quote(owner, home, expense.date),
      ]);
      return conversionOf(expense, home, from && to ? { from, to } : null);
    },
  };
}
