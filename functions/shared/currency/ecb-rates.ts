import { XMLParser } from 'fast-xml-parser';
import { ECB_SERIES, type EcbMonthItem } from '../../../model/rates.ts';
import { parseDecimal } from './conversion.ts';

/**
 * The ECB's euro foreign exchange reference rates in the two forms it publishes them:
 * the historical CSV (`eurofxref-hist.csv`: `Date,USD,JPY,…,` then one row per day, newest
 * first, `N/A` where a currency was not published) and the XML feeds (`eurofxref-daily.xml`,
 * `eurofxref-hist-90d.xml`: `<Cube time="…"><Cube currency="USD" rate="1.1684"/>…`).
 * Both become days → currency → rate, the decimal strings kept as written.
 */
export type EcbDays = Record<string, Record<string, string>>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Z]{3}$/;

function keep(days: EcbDays, day: string, currency: string, rate: string): void {
  if (!DAY.test(day) || !CODE.test(currency) || !parseDecimal(rate)) return;
  (days[day] ??= {})[currency] = rate.trim();
}

export function parseEcbCsv(text: string): EcbDays {
  const [header, ...rows] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const currencies = (header ?? '').split(',').map((cell) => cell.trim());
  if (currencies[0] !== 'Date') throw new Error('not the ECB reference rates CSV (no Date column)');
  const days: EcbDays = {};
  for (const row of rows) {
    const cells = row.split(',');
    for (let i = 1; i < cells.length; i += 1) if (currencies[i]) keep(days, cells[0].trim(), currencies[i], cells[i]);
  }
  return days;
}

export function parseEcbXml(xml: string): EcbDays {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true }).parse(xml);
  const asList = <T>(value: T | T[] | undefined): T[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];
  const days: EcbDays = {};
  type DayCube = {
    time?: string;
    Cube?: { currency?: string; rate?: string } | Array<{ currency?: string; rate?: string }>;
  };
  for (const day of asList<DayCube>(parsed?.Envelope?.Cube?.Cube)) {
    for (const cube of asList(day.Cube))
      if (day.time && cube.currency && cube.rate) keep(days, day.time, cube.currency, String(cube.rate));
  }
  return days;
}

/** Days grouped into month items (model/rates.ts), oldest first. */
export function ecbMonthItems(days: EcbDays, source: string, now: Date): EcbMonthItem[] {
  const byMonth = new Map<string, EcbMonthItem>();
  for (const day of Object.keys(days).sort()) {
    const month = day.slice(0, 7);
    if (!byMonth.has(month))
      byMonth.set(month, { series: ECB_SERIES, period: month, days: {}, source, updatedAt: now.toISOString() });
    byMonth.get(month)!.days[day] = days[day];
  }
  return [...byMonth.values()];
}

/** The newest day of a set of days, or null. */
export function newestDayOf(days: EcbDays): string | null {
  return Object.keys(days).sort().at(-1) ?? null;
}
