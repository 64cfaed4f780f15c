import { createHash } from 'node:crypto';
import { addDaysTo, graceDaysOf, type RecurringRuleItem } from '../../model/recurring.ts';
import { decimalAmount } from '../shared/money.ts';
import { checkRule, dueOnOf, occurrenceToCheck, type RuleCheck } from './check.ts';
import type { Charge } from './detection.ts';

/**
 * The daily run over confirmed rules: the rules due (sparse index, by day, across users), each
 * judged (functions/recurring/check.ts), and its owner emailed when the charge was missed or
 * repriced. An alert is leased on the rule before its email and the rule moves on (`due_on` to the
 * next occurrence, `checkedThrough`) only after it: a retried or overlapping run finds the lease
 * or the rule moved on and sends nothing; a run that dies between the two leaves the rule due with
 * a lease that runs out, so a later run sends it (with the same Message-ID, so a mail client shows
 * one message even if the first one went out). Nothing is lost, nothing is sent twice knowingly.
 */
export interface DailyCheckPorts {
  /** Rules whose `due_on` is `day` (a Query on the due index, page by page). */
  dueRules(day: string): Promise<RecurringRuleItem[]>;
  chargesSince(owner: string, from: string): Promise<Charge[]>;
  /** The owner's address and timezone; null for an owner with no profile. */
  owner(owner: string): Promise<{ email: string; today: string } | null>;
  /** Take the alert of this occurrence for ALERT_LEASE_MS, only if the rule is still due on `due` and no live lease holds it. */
  lease(rule: RecurringRuleItem, due: string, occurrence: string): Promise<boolean>;
  /** Give a lease back (its email failed). */
  unlease(rule: RecurringRuleItem, due: string): Promise<void>;
  /** Move the rule from `due` to `next` (checkedThrough = occurrence, the lease gone), only if it is still due on `due`. */
  advance(rule: RecurringRuleItem, due: string, next: string, occurrence: string): Promise<boolean>;
  sendEmail(to: string, subject: string, text: string, messageId: string): Promise<void>;
}

/** How long an alert's lease holds: well past the function's timeout (5 minutes). */
export const ALERT_LEASE_MS = 15 * 60_000;

/**
 * One Message-ID per rule and occurrence, so a resend after a crash is the same message. Rule ids
 * are per user (cadence, currency, merchant), so the owner is in the hash too.
 */
export const alertMessageId = (rule: RecurringRuleItem, occurrence: string) =>
  `<recurring-${createHash('sha256').update(`${rule.user_id}\n${rule.rule_id}`).digest('hex').slice(0, 24)}-${occurrence}@expense-tracker>`;

/** Days back the run reads, so a run missed for up to a week still judges the rules due then. */
export const CHECK_DAYS_BACK = 7;
/** Occurrences judged per rule in one run at the most (a rule behind by more waits for the next run). */
const MAX_OCCURRENCES_PER_RUN = 3;

export function alertText(rule: RecurringRuleItem, verdict: Exclude<RuleCheck, { kind: 'paid' }>) {
  const expected = decimalAmount(rule.amount, rule.currency);
  if (verdict.kind === 'missed')
    return {
      subject: `${rule.name}: the charge expected on ${verdict.occurrence} has not come`,
      text: `Your recurring charge "${rule.name}" (${expected} ${rule.currency}, ${rule.cadence.toLowerCase()}) was expected on ${verdict.occurrence} and no charge of ${rule.merchant} has been recorded around that day. If you cancelled it, delete the rule (deleteRecurring).`,
    };
  const charged = decimalAmount(verdict.amount, rule.currency);
  return {
    subject: `${rule.name}: charged ${charged} ${rule.currency} instead of ${expected}`,
    text: `Your recurring charge "${rule.name}" was ${charged} ${rule.currency} on ${verdict.chargeDate}, not the ${expected} ${rule.currency} expected (more than ${rule.tolerancePercent} % off). If the price changed, confirm the charge again at its new price.`,
  };
}

export interface DailyCheckResult {
  judged: number;
  alerted: number;
}

export async function runDailyCheck(ports: DailyCheckPorts, now: Date): Promise<DailyCheckResult> {
  const utcToday = now.toISOString().slice(0, 10);
  const result: DailyCheckResult = { judged: 0, alerted: 0 };
  for (let back = CHECK_DAYS_BACK - 1; back >= 0; back--) {
    const day = addDaysTo(utcToday, -back);
    for (const rule of await ports.dueRules(day)) await checkOne(ports, rule, day, result);
  }
  return result;
}

async function checkOne(ports: DailyCheckPorts, stored: RecurringRuleItem, day: string, result: DailyCheckResult) {
  const owner = await ports.owner(stored.user_id);
  if (!owner) return;
  let rule = stored;
  let due = day;
  for (let i = 0; i < MAX_OCCURRENCES_PER_RUN; i++) {
    const grace = graceDaysOf(rule.cadence);
    // The occurrence is `due` − grace − 1; its window reaches grace days either side.
    const charges = await ports.chargesSince(rule.user_id, addDaysTo(due, -2 * grace - 1));
    const verdict = checkRule(rule, charges, owner.today);
    // Not over in the owner's timezone yet: the rule stays due and is read again tomorrow.
    if (!verdict) return;
    const judged: RecurringRuleItem = { ...rule, checkedThrough: verdict.occurrence };
    const next = dueOnOf(occurrenceToCheck(judged), judged);
    if (verdict.kind !== 'paid') {
      if (!(await ports.lease(rule, due, verdict.occurrence))) return;
      const { subject, text } = alertText(rule, verdict);
      try {
        await ports.sendEmail(owner.email, subject, text, alertMessageId(rule, verdict.occurrence));
      } catch (error) {
        await ports.unlease(rule, due);
        throw error;
      }
    }
    if (!(await ports.advance(rule, due, next, verdict.occurrence))) return;
    result.judged += 1;
    if (verdict.kind !== 'paid') result.alerted += 1;
    rule = { ...judged, due_on: next };
    due = next;
  }
}
