import { merchantKeyOf } from '../../model/merchant-key.ts';
import {
  daysFrom,
  graceDaysOf,
  stepFrom,
  type CadenceAnchor,
  type RecurringCadence,
  type RecurringRuleItem,
} from '../../model/recurring.ts';

/**
 * What a confirmed recurring rule expects: which expenses are its charges and when the next ones
 * come. Pure; shared by RecurringFn (functions/recurring) and the budgets' forecast
 * (functions/shared/budgets), since a Lambda never imports another Lambda's folder.
 */

/**
 * The merchant key (model/merchant-key.ts) of a name without its reference numbers: card
 * statements print one merchant as "NETFLIX.COM 866-579-7172" one month and "Netflix.com" the
 * next, so words of three digits or more (phone numbers, store and order numbers) are left out
 * when something else is left.
 */
export function seriesMerchantKeyOf(merchant: string): string {
  const words = merchant.split(' ').filter((word) => word.split('').filter((c) => c >= '0' && c <= '9').length < 3);
  return merchantKeyOf(words.join(' ')) || merchantKeyOf(merchant);
}

/** Whether `amount` is within `tolerance` (a share, 0.1 = 10 %) of `expected`. */
export function withinTolerance(amount: number, expected: number, tolerance: number): boolean {
  return Math.abs(amount - expected) <= Math.abs(expected) * tolerance;
}

/**
 * The anchor date a charge stands for: the nearest anchor to it (a charge two days late for the
 * 31st, on 2 March, stands for 28 February's), so lateness never accumulates.
 */
export function nominalDateOf(date: string, cadence: RecurringCadence, anchor: CadenceAnchor): string {
  if (cadence === 'WEEKLY') return stepFrom(date, cadence, anchor, 0);
  let nearest = stepFrom(date, cadence, anchor, 0);
  for (const steps of [-1, 1]) {
    const candidate = stepFrom(date, cadence, anchor, steps);
    if (Math.abs(daysFrom(date, candidate)) < Math.abs(daysFrom(date, nearest))) nearest = candidate;
  }
  return nearest;
}

/** The charge expected after one on `lastDate`: one cadence step after the anchor date it stands for. */
export function nextChargeAfter(lastDate: string, cadence: RecurringCadence, anchor: CadenceAnchor): string {
  return stepFrom(nominalDateOf(lastDate, cadence, anchor), cadence, anchor, 1);
}

/** An expense as a rule's matching reads it. */
export interface ChargeLike {
  merchant: string;
  amount: number;
  currency: string;
}

/** Whether an expense is one of the rule's charges: its merchant, its currency, an amount within its tolerance. */
export function isChargeOf(
  rule: Pick<RecurringRuleItem, 'currency' | 'merchantKey' | 'amount' | 'tolerancePercent'>,
  charge: ChargeLike,
): boolean {
  return (
    charge.currency === rule.currency &&
    seriesMerchantKeyOf(charge.merchant) === rule.merchantKey &&
    withinTolerance(charge.amount, rule.amount, rule.tolerancePercent / 100)
  );
}

/**
 * The charges a rule expects from its next one through `end`: one that is more than the grace
 * days past `today` is overdue, and only the earliest overdue one is listed.
 */
export function expectedCharges(
  rule: Pick<RecurringRuleItem, 'cadence' | 'anchorDay' | 'anchorMonth'>,
  lastDate: string,
  today: string,
  end: string,
) {
  const anchor = { day: rule.anchorDay, month: rule.anchorMonth };
  const grace = graceDaysOf(rule.cadence);
  const out: Array<{ date: string; overdue: boolean }> = [];
  const first = nextChargeAfter(lastDate, rule.cadence, anchor);
  // At most a year of weekly charges past a long-missed one: the loop always ends.
  for (
    let step = 0, date = first;
    date <= end && step < 2000;
    step++, date = stepFrom(first, rule.cadence, anchor, step)
  ) {
    const overdue = daysFrom(date, today) > grace;
    if (!overdue || out.length === 0) out.push({ date, overdue });
  }
  return out;
}
