import type {
  ConfirmRecurringInput,
  RecurringCandidate,
  RecurringRule,
  UpcomingCharge,
} from '../../generated/graphql.ts';
import { isMinorUnits } from '../../model/money.ts';
import { isItemId } from '../../model/item-ids.ts';
import {
  addDaysTo,
  daysFrom,
  DISMISSED_PREFIX,
  MAX_RULES,
  RULE_PREFIX,
  type DismissedCandidateItem,
  type RecurringRuleItem,
} from '../../model/recurring.ts';
import { FieldError } from '../shared/field-call.ts';
import { expectedCharges, isChargeOf, nextChargeAfter } from '../shared/recurring-rules.ts';
import { dueOnOf, occurrenceToCheck } from './check.ts';
import { AMOUNT_TOLERANCE, detectRecurring, type Charge, type RecurringSeries } from './detection.ts';

/**
 * The recurring-charge fields (RecurringFn): candidates detected from the caller's expenses and
 * not yet decided, the rules they confirm, and the charges those rules expect. Every read and
 * write is keyed on the caller; ports do the I/O.
 */

export interface RecurringPorts {
  /** The owner's expenses dated on or after `from` (a Query on their partition, page by page). */
  chargesSince(owner: string, from: string): Promise<Charge[]>;
  /** The owner's Recurring items: rules and dismissals (a Query on their partition). */
  decisions(owner: string): Promise<Array<RecurringRuleItem | DismissedCandidateItem>>;
  /** Put a rule unless the owner has one of that id; false when they have. */
  putRule(rule: RecurringRuleItem): Promise<boolean>;
  putDismissed(item: DismissedCandidateItem): Promise<void>;
  /** Delete the owner's rule; the rule as it was, or null when there was none. */
  deleteRule(owner: string, id: string): Promise<RecurringRuleItem | null>;
  /** Today in the owner's timezone. */
  today(owner: string): Promise<string>;
  now(): Date;
}

/** Detection reads three years of expenses (a yearly charge needs three). */
export const DETECTION_DAYS = 3 * 366;
/** A rule's latest charge is looked for in the last 400 days (more than a yearly step and its grace). */
export const RULE_HISTORY_DAYS = 400;
export const MAX_CANDIDATES = 100;
const DEFAULT_TOLERANCE_PERCENT = Math.round(AMOUNT_TOLERANCE * 100);
const DEFAULT_UPCOMING_DAYS = 30;

function isRule(item: RecurringRuleItem | DismissedCandidateItem): item is RecurringRuleItem {
  return item.rule_id.startsWith(RULE_PREFIX);
}

function candidateOf(series: RecurringSeries): RecurringCandidate {
  return {
    id: series.id,
    merchant: series.merchant,
    cadence: series.cadence,
    amount: series.typicalAmount,
    currency: series.currency,
    occurrences: series.occurrences,
    lastDate: series.lastDate,
    nextDate: series.nextDate,
    confidence: series.confidence,
  };
}

/** Detected series the owner has neither confirmed nor dismissed. */
async function openCandidates(ports: RecurringPorts, owner: string): Promise<RecurringSeries[]> {
  const today = await ports.today(owner);
  const [charges, decided] = await Promise.all([
    ports.chargesSince(owner, addDaysTo(today, -DETECTION_DAYS)),
    ports.decisions(owner),
  ]);
  const taken = new Set(decided.map((item) => item.id));
  return detectRecurring(charges, today).filter((series) => !taken.has(series.id));
}

export async function recurringCandidates(ports: RecurringPorts, owner: string): Promise<RecurringCandidate[]> {
  return (await openCandidates(ports, owner)).slice(0, MAX_CANDIDATES).map(candidateOf);
}

async function candidateById(ports: RecurringPorts, owner: string, id: string): Promise<RecurringSeries> {
  const found = (await openCandidates(ports, owner)).find((series) => series.id === id);
  // Another user's candidate id is not among the caller's: NotFound, as an id that never existed.
  if (!found) throw new FieldError('NotFound', 'No recurring charge candidate with this id', { field: 'id' });
  return found;
}

function validated(input: ConfirmRecurringInput): { name?: string; amount?: number; tolerancePercent: number } {
  const name = input.name == null ? undefined : input.name.trim();
  if (name !== undefined && (name.length < 1 || name.length > 100))
    throw new FieldError('ValidationError', 'name must be 1..100 characters', { field: 'name' });
  if (input.amount != null && !isMinorUnits(input.amount, 1))
    throw new FieldError('ValidationError', 'amount must be a whole number of minor units, at least 1', {
      field: 'amount',
    });
  const tolerancePercent = input.tolerancePercent ?? DEFAULT_TOLERANCE_PERCENT;
  if (!Number.isInteger(tolerancePercent) || tolerancePercent < 0 || tolerancePercent > 100)
    throw new FieldError('ValidationError', 'tolerancePercent must be 0..100', { field: 'tolerancePercent' });
  return { name, amount: input.amount ?? undefined, tolerancePercent };
}

export async function confirmRecurring(
  ports: RecurringPorts,
  owner: string,
  input: ConfirmRecurringInput,
): Promise<RecurringRule> {
  const choice = validated(input);
  const decided = await ports.decisions(owner);
  if (decided.some((item) => isRule(item) && item.id === input.id))
    throw new FieldError('Conflict', 'This recurring charge is confirmed already', { field: 'id' });
  if (decided.filter(isRule).length >= MAX_RULES)
    throw new FieldError('LimitExceeded', `At most ${MAX_RULES} recurring rules`, { limit: MAX_RULES });
  const series = await candidateById(ports, owner, input.id);
  const at = ports.now().toISOString();
  const rule: RecurringRuleItem = {
    user_id: owner,
    rule_id: RULE_PREFIX + series.id,
    id: series.id,
    name: choice.name ?? series.merchant,
    merchant: series.merchant,
    merchantKey: series.merchantKey,
    currency: series.currency,
    cadence: series.cadence,
    amount: choice.amount ?? series.typicalAmount,
    tolerancePercent: choice.tolerancePercent,
    anchorDay: series.anchor.day,
    anchorMonth: series.anchor.month,
    lastDate: series.lastDate,
    ...(series.category ? { category: series.category } : {}),
    createdAt: at,
    updatedAt: at,
  };
  // The daily check judges its next charge once that charge's grace days are over.
  rule.due_on = dueOnOf(occurrenceToCheck(rule), rule);
  // Two confirmations racing: the second finds the first's rule.
  if (!(await ports.putRule(rule)))
    throw new FieldError('Conflict', 'This recurring charge is confirmed already', { field: 'id' });
  const today = await ports.today(owner);
  return ruleOf(rule, series.lastDate, today);
}

export async function dismissRecurring(ports: RecurringPorts, owner: string, id: string): Promise<RecurringCandidate> {
  const series = await candidateById(ports, owner, id);
  await ports.putDismissed({
    user_id: owner,
    rule_id: DISMISSED_PREFIX + series.id,
    id: series.id,
    dismissedAt: ports.now().toISOString(),
  });
  return candidateOf(series);
}

export async function deleteRecurring(ports: RecurringPorts, owner: string, id: string): Promise<RecurringRule> {
  // No rule was ever stored under a `RULE#<id>` DynamoDB would refuse as a key: such an id names none.
  const rule = isItemId(id, RULE_PREFIX) ? await ports.deleteRule(owner, id) : null;
  if (!rule) throw new FieldError('NotFound', 'No recurring rule with this id', { field: 'id' });
  return ruleOf(rule, rule.lastDate, await ports.today(owner));
}

/** The rule's latest charge among `charges` (or the last one seen when it was confirmed). */
export function lastChargeOf(rule: RecurringRuleItem, charges: readonly Charge[]): string {
  let last = rule.lastDate;
  for (const charge of charges) if (isChargeOf(rule, charge) && charge.date > last) last = charge.date;
  return last;
}

function anchorOfRule(rule: RecurringRuleItem) {
  return { day: rule.anchorDay, month: rule.anchorMonth };
}

function ruleOf(rule: RecurringRuleItem, lastDate: string, today: string): RecurringRule {
  return {
    id: rule.id,
    name: rule.name,
    merchant: rule.merchant,
    cadence: rule.cadence,
    amount: rule.amount,
    currency: rule.currency,
    tolerancePercent: rule.tolerancePercent,
    lastChargeDate: daysFrom(lastDate, today) <= RULE_HISTORY_DAYS ? lastDate : null,
    nextChargeDate: nextChargeAfter(lastDate, rule.cadence, anchorOfRule(rule)),
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
  };
}

async function rulesWithCharges(ports: RecurringPorts, owner: string) {
  const today = await ports.today(owner);
  const [decided, charges] = await Promise.all([
    ports.decisions(owner),
    ports.chargesSince(owner, addDaysTo(today, -RULE_HISTORY_DAYS)),
  ]);
  const rules = decided.filter(isRule).map((rule) => ({ rule, last: lastChargeOf(rule, charges) }));
  return { today, rules };
}

export async function listRecurring(ports: RecurringPorts, owner: string): Promise<RecurringRule[]> {
  const { today, rules } = await rulesWithCharges(ports, owner);
  return rules
    .map(({ rule, last }) => ruleOf(rule, last, today))
    .sort((a, b) => a.nextChargeDate.localeCompare(b.nextChargeDate) || a.id.localeCompare(b.id));
}

export async function upcomingCharges(
  ports: RecurringPorts,
  owner: string,
  days: number | null | undefined,
): Promise<UpcomingCharge[]> {
  const ahead = days ?? DEFAULT_UPCOMING_DAYS;
  if (!Number.isInteger(ahead) || ahead < 1 || ahead > 366)
    throw new FieldError('ValidationError', 'days must be 1..366', { field: 'days' });
  const { today, rules } = await rulesWithCharges(ports, owner);
  const end = addDaysTo(today, ahead);
  const upcoming: UpcomingCharge[] = [];
  for (const { rule, last } of rules)
    for (const { date, overdue } of expectedCharges(rule, last, today, end))
      upcoming.push({
        ruleId: rule.id,
        name: rule.name,
        merchant: rule.merchant,
        amount: rule.amount,
        currency: rule.currency,
        date,
        overdue,
      });
  return upcoming.sort((a, b) => a.date.localeCompare(b.date) || a.ruleId.localeCompare(b.ruleId));
}
