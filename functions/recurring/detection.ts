import type { Category } from '../../generated/graphql.ts';
import {
  daysFrom,
  daysInMonth,
  graceDaysOf,
  partsOfDate,
  stepFrom,
  type CadenceAnchor,
  type RecurringCadence,
  weekdayOf,
} from '../../model/recurring.ts';
import { nextChargeAfter, seriesMerchantKeyOf } from '../shared/recurring-rules.ts';

// Re-exported: the series' next date is part of what detection answers.
export { nextChargeAfter } from '../shared/recurring-rules.ts';

/**
 * Recurring series found in a user's expenses: the same merchant (its merchant key), the same
 * currency, amounts within a tolerance of each other, at a regular weekly, monthly or yearly
 * interval (calendar-aware: a charge on the 31st is expected on the last day of shorter months).
 * Pure: expenses in, series out.
 */

/** An expense as detection reads it. */
export interface Charge {
  expenseId: string;
  merchant: string;
  amount: number;
  currency: string;
  date: string;
  /** The expense's category: a confirmed rule keeps its latest charge's (model/recurring.ts). */
  category?: Category;
}

export interface RecurringSeries {
  /** Stable while the series goes on: `<cadence>#<currency>#<merchant key>`. */
  id: string;
  merchant: string;
  merchantKey: string;
  currency: string;
  cadence: RecurringCadence;
  anchor: CadenceAnchor;
  /** The category of the latest charge, when the charges carry one. */
  category?: Category;
  /** Median amount of the series' charges, integer minor units. */
  typicalAmount: number;
  occurrences: number;
  firstDate: string;
  lastDate: string;
  /** The next charge expected after `lastDate`. */
  nextDate: string;
  /** 0..1: how regular the intervals are, how many charges there are, how alike their amounts. */
  confidence: number;
  expenseIds: string[];
}

/** Amounts within this share of each other's median are one series (a small price change stays in). */
export const AMOUNT_TOLERANCE = 0.1;
/** Fewer charges than this are no series. */
export const MIN_OCCURRENCES = 3;
/** Share of a series' intervals that must be one cadence step (within the cadence's grace). */
const MIN_REGULARITY = 0.8;
/** Charges at which a cadence's series counts as fully established. */
const ESTABLISHED: Record<RecurringCadence, number> = { WEEKLY: 8, MONTHLY: 6, YEARLY: 3 };
const CADENCES: readonly RecurringCadence[] = ['WEEKLY', 'MONTHLY', 'YEARLY'];

export function seriesIdOf(cadence: RecurringCadence, currency: string, merchantKey: string): string {
  return `${cadence}#${currency}#${merchantKey}`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** The most frequent value (ties: the larger, so a 31st-of-the-month series anchors on 31). */
function modeOf(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0];
  for (const [value, n] of counts) {
    const bestCount = counts.get(best) ?? 0;
    if (n > bestCount || (n === bestCount && value > best)) best = value;
  }
  return best;
}

/**
 * The day of the month most dates stand for. A month's last day stands for any later anchor day
 * too (a charge on the 29th of February falls on the 28th in other years; one on the 31st, on the
 * 30th in April): the day kept is the one the most dates agree with, the later on a tie.
 */
function anchorDayOf(parts: readonly { year: number; month: number; day: number }[]): number {
  let best = 0;
  let bestAgreeing = 0;
  for (const candidate of new Set(parts.map((p) => p.day))) {
    const agreeing = parts.filter(
      (p) => p.day === candidate || (p.day < candidate && p.day === daysInMonth(p.year, p.month)),
    ).length;
    if (agreeing > bestAgreeing || (agreeing === bestAgreeing && candidate > best)) {
      best = candidate;
      bestAgreeing = agreeing;
    }
  }
  return best;
}

/** The anchor a cadence's series of dates falls on. */
export function anchorOf(cadence: RecurringCadence, dates: readonly string[]): CadenceAnchor {
  const parts = dates.map(partsOfDate);
  if (cadence === 'YEARLY') {
    const month = modeOf(parts.map((p) => p.month));
    return { month, day: anchorDayOf(parts.filter((p) => p.month === month)) };
  }
  if (cadence === 'WEEKLY') return { month: 1, day: modeOf(dates.map(weekdayOf)) };
  return { month: 1, day: anchorDayOf(parts) };
}

/** Whether `next` is the charge one cadence step after `previous`, within the cadence's grace days. */
export function isOneStepAfter(
  previous: string,
  next: string,
  cadence: RecurringCadence,
  anchor: CadenceAnchor,
): boolean {
  return Math.abs(daysFrom(nextChargeAfter(previous, cadence, anchor), next)) <= graceDaysOf(cadence);
}

/**
 * Split charges (one merchant and currency) into groups of alike amounts: a group spans at most
 * twice the tolerance above its smallest amount (about ± the tolerance around its middle).
 */
function amountClusters(charges: readonly Charge[]): Charge[][] {
  const byAmount = [...charges].sort((a, b) => a.amount - b.amount);
  const clusters: Charge[][] = [];
  for (const charge of byAmount) {
    const last = clusters[clusters.length - 1];
    if (last && charge.amount <= last[0].amount * (1 + 2 * AMOUNT_TOLERANCE)) last.push(charge);
    else clusters.push([charge]);
  }
  return clusters;
}

interface Fit {
  cadence: RecurringCadence;
  anchor: CadenceAnchor;
  regularity: number;
}

/** The cadence a run of distinct, ascending dates keeps, if any. */
function cadenceOf(dates: readonly string[]): Fit | null {
  let best: Fit | null = null;
  for (const cadence of CADENCES) {
    const anchor = anchorOf(cadence, dates);
    let steps = 0;
    for (let i = 1; i < dates.length; i++) if (isOneStepAfter(dates[i - 1], dates[i], cadence, anchor)) steps += 1;
    const regularity = steps / (dates.length - 1);
    if (steps >= MIN_OCCURRENCES - 1 && regularity >= MIN_REGULARITY && (!best || regularity > best.regularity))
      best = { cadence, anchor, regularity };
  }
  return best;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** One series of one amount cluster, if its dates keep a cadence. */
function seriesOf(cluster: readonly Charge[], merchantKey: string): RecurringSeries | null {
  // One charge a day: a refund-and-recharge or a duplicate import is not a second occurrence.
  const byDate = new Map<string, Charge>();
  for (const charge of [...cluster].sort(
    (a, b) => a.date.localeCompare(b.date) || a.expenseId.localeCompare(b.expenseId),
  ))
    if (!byDate.has(charge.date)) byDate.set(charge.date, charge);
  const charges = [...byDate.values()];
  if (charges.length < MIN_OCCURRENCES) return null;
  const dates = charges.map((c) => c.date);
  const fit = cadenceOf(dates);
  if (!fit) return null;
  const amounts = charges.map((c) => c.amount);
  const typicalAmount = median(amounts);
  const spread = typicalAmount === 0 ? 0 : (Math.max(...amounts) - Math.min(...amounts)) / typicalAmount;
  const established = Math.min(1, charges.length / ESTABLISHED[fit.cadence]);
  const alike = 1 - Math.min(1, spread / (2 * AMOUNT_TOLERANCE));
  const last = charges[charges.length - 1];
  return {
    id: seriesIdOf(fit.cadence, last.currency, merchantKey),
    merchant: last.merchant,
    merchantKey,
    currency: last.currency,
    cadence: fit.cadence,
    anchor: fit.anchor,
    ...(last.category ? { category: last.category } : {}),
    typicalAmount,
    occurrences: charges.length,
    firstDate: dates[0],
    lastDate: last.date,
    nextDate: nextChargeAfter(last.date, fit.cadence, fit.anchor),
    confidence: round2(fit.regularity * (0.6 + 0.4 * established) * (0.8 + 0.2 * alike)),
    expenseIds: charges.map((c) => c.expenseId),
  };
}

/**
 * The recurring series in `charges` that are still going on `today` (a series whose next charge
 * is more than a step overdue has stopped), most confident first. One series per id: two amount
 * groups of one merchant with the same cadence keep the more confident.
 */
export function detectRecurring(charges: readonly Charge[], today: string): RecurringSeries[] {
  const groups = new Map<string, { key: string; charges: Charge[] }>();
  for (const charge of charges) {
    if (!(charge.amount > 0)) continue;
    const key = seriesMerchantKeyOf(charge.merchant);
    if (!key) continue;
    const groupKey = `${charge.currency}#${key}`;
    const group = groups.get(groupKey) ?? { key, charges: [] };
    group.charges.push(charge);
    groups.set(groupKey, group);
  }
  const found = new Map<string, RecurringSeries>();
  for (const { key, charges: group } of groups.values()) {
    for (const cluster of amountClusters(group)) {
      const series = seriesOf(cluster, key);
      if (!series || isStopped(series, today)) continue;
      const other = found.get(series.id);
      if (!other || series.confidence > other.confidence) found.set(series.id, series);
    }
  }
  return [...found.values()].sort(
    (a, b) => b.confidence - a.confidence || a.nextDate.localeCompare(b.nextDate) || a.id.localeCompare(b.id),
  );
}

/** A series whose expected next charge is more than a whole step (plus grace) before `today` has stopped. */
export function isStopped(series: Pick<RecurringSeries, 'nextDate' | 'cadence' | 'anchor'>, today: string): boolean {
  const oneStepLater = stepFrom(series.nextDate, series.cadence, series.anchor, 1);
  return daysFrom(oneStepLater, today) > graceDaysOf(series.cadence);
}
