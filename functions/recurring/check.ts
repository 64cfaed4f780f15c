import { addDaysTo, daysFrom, graceDaysOf, type RecurringRuleItem } from '../../model/recurring.ts';
import { nextChargeAfter, seriesMerchantKeyOf, withinTolerance } from '../shared/recurring-rules.ts';
import type { Charge } from './detection.ts';

/**
 * The daily check of a confirmed rule: once the grace days after its next expected charge are
 * over, that occurrence was paid, paid at another price (beyond the rule's tolerance), or missed.
 * Pure: the rule, the owner's charges around the occurrence and their today in, the verdict out.
 */
export type RuleCheck =
  | { kind: 'paid'; occurrence: string; chargeDate: string }
  | { kind: 'priceChanged'; occurrence: string; chargeDate: string; amount: number }
  | { kind: 'missed'; occurrence: string };

/** The occurrence the check judges next: the one after the rule's last charge or the last one judged. */
export function occurrenceToCheck(rule: RecurringRuleItem): string {
  const after = rule.checkedThrough && rule.checkedThrough > rule.lastDate ? rule.checkedThrough : rule.lastDate;
  return nextChargeAfter(after, rule.cadence, { day: rule.anchorDay, month: rule.anchorMonth });
}

/** The first day the occurrence can be judged (its grace days over): the rule's `due_on`. */
export function dueOnOf(occurrence: string, rule: Pick<RecurringRuleItem, 'cadence'>): string {
  return addDaysTo(occurrence, graceDaysOf(rule.cadence) + 1);
}

/** The verdict on the rule's next occurrence, or null while its grace days are not over on `today`. */
export function checkRule(rule: RecurringRuleItem, charges: readonly Charge[], today: string): RuleCheck | null {
  const occurrence = occurrenceToCheck(rule);
  const grace = graceDaysOf(rule.cadence);
  if (daysFrom(occurrence, today) <= grace) return null;
  // The merchant's charges in the occurrence's window, nearest first.
  const near = charges
    .filter(
      (c) =>
        c.currency === rule.currency &&
        seriesMerchantKeyOf(c.merchant) === rule.merchantKey &&
        Math.abs(daysFrom(occurrence, c.date)) <= grace,
    )
    .sort((a, b) => Math.abs(daysFrom(occurrence, a.date)) - Math.abs(daysFrom(occurrence, b.date)));
  const paid = near.find((c) => withinTolerance(c.amount, rule.amount, rule.tolerancePercent / 100));
  if (paid) return { kind: 'paid', occurrence, chargeDate: paid.date };
  if (near.length > 0) return { kind: 'priceChanged', occurrence, chargeDate: near[0].date, amount: near[0].amount };
  return { kind: 'missed', occurrence };
}
