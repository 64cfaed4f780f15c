import { randomUUID } from 'node:crypto';
import type { BudgetAlert, PendingAlert } from '../../../model/budgets.ts';

/**
 * Delivery of budget alerts that survives failures and crashes, without transactions.
 *
 * 1. Claim: one conditional write on the budget item adds the threshold to `fired[period]`
 *    and records the alert as pending, leased to the claimer. It succeeds for exactly one
 *    evaluation per threshold and period, however many run at once: that is the "once".
 * 2. Deliver: push (publishBudgetAlert), then email (SES); each channel is marked delivered
 *    as it succeeds, and the record is removed when both are. Thresholds passed at once (a
 *    budget created already over its limit passes 50, 80 and 100) push one alert each but
 *    send one email, the highest threshold's: a lower alert's email counts as delivered when
 *    a higher threshold of the same budget and period has been claimed, since that alert's own
 *    email is then certain to go (it is pending until sent, and the highest is never skipped).
 * 3. Redeliver: every later evaluation of the budget (a Lambda retry, or any later expense
 *    change of the owner) takes over a pending record whose lease has lapsed, and sends only
 *    the channels not yet marked. A failing step releases the lease at once, so an immediate
 *    retry redelivers; a crash leaves it to lapse.
 *
 * Honest limits: a channel is at-least-once. A crash after a send and before its mark sends
 * that channel again on redelivery, with the same alert id (clients drop an id they have
 * shown) and, for email, the same Message-ID and X-Budget-Alert-Id header (see notify.ts).
 * Nothing is ever lost once claimed: the record stays until both channels are marked.
 */

/**
 * How long a claimer or a taker owns a pending alert. At least the longest timeout of the
 * functions that deliver (ProcessReceiptFn, 60 s), so a live worker is never overtaken; no
 * longer than Lambda's first async retry (about a minute), so that retry finds it lapsed.
 */
export const DELIVERY_LEASE_MS = 60_000;

export type AlertChannel = 'push' | 'email';

/** The pending-alert records on the budget item (dynamo-adapters.ts). */
export interface AlertLedger {
  /** Adds `threshold` to `fired[periodStart]` and stores `pending`, in one conditional write; false when it had already fired. */
  claim(owner: string, budgetId: string, periodStart: string, pending: PendingAlert): Promise<boolean>;
  /** Takes a pending alert whose lease lapsed before `now`; false when it is gone or someone else holds it. */
  lease(
    owner: string,
    budgetId: string,
    alertId: string,
    lease: { token: string; until: number },
    now: number,
  ): Promise<boolean>;
  markDelivered(owner: string, budgetId: string, alertId: string, channel: AlertChannel, at: string): Promise<void>;
  /** Both channels delivered: the record goes (the threshold stays in `fired`). */
  complete(owner: string, budgetId: string, alertId: string): Promise<void>;
  /** Gives the lease up after a failed step, if still ours, so a retry need not wait for it. */
  release(owner: string, budgetId: string, alertId: string, token: string): Promise<void>;
}

export interface AlertDeliveryDeps {
  alerts: AlertLedger;
  /** To the owner's onBudgetAlert subscribers. */
  push(alert: BudgetAlert): Promise<void>;
  /** To the owner's address, if they have one (resolves when there is none: nothing to deliver). */
  email(alert: BudgetAlert): Promise<void>;
  now(): Date;
  /**
   * Leases taken before this instant are void (config.processingLeasesVoidBefore): the runner
   * knows every earlier delivery is gone (the local stack, restarted after a kill -9), so their
   * pending alerts are taken over at once instead of when the lease runs out.
   */
  leasesVoidBefore?: Date | null;
}

/** A pending alert this evaluation holds the lease of. */
export interface HeldAlert {
  budgetId: string;
  pending: PendingAlert;
  /** A higher threshold of the same budget and period is claimed: its email tells this one too. */
  emailCoveredByHigher?: boolean;
}

/**
 * Marks the held alerts whose email a higher one carries: `claimed` are the thresholds of the
 * budget claimed per period start, as read with the budget plus those this evaluation claimed.
 */
export function markEmailsCovered(held: HeldAlert[], claimed: Readonly<Record<string, readonly number[]>>): void {
  for (const one of held) {
    const { periodStart, threshold } = one.pending.alert;
    one.emailCoveredByHigher = (claimed[periodStart] ?? []).some((t) => t > threshold);
  }
}

/** Thrown after every held alert was tried, when some step failed: the caller's retry redelivers. */
export class AlertDeliveryError extends AggregateError {
  constructor(
    errors: unknown[],
    readonly delivered: BudgetAlert[],
  ) {
    super(errors, `budget alert delivery failed (${errors.length} step(s)); pending alerts are redelivered on retry`);
    this.name = 'AlertDeliveryError';
  }
}

export const newLease = (now: Date) => ({ token: randomUUID(), until: now.getTime() + DELIVERY_LEASE_MS });

/** A new alert, claimed: held by this evaluation when the claim wins, null when it already fired. */
export async function claimAlert(
  deps: AlertDeliveryDeps,
  owner: string,
  budgetId: string,
  alert: BudgetAlert,
): Promise<HeldAlert | null> {
  const lease = newLease(deps.now());
  const pending: PendingAlert = {
    alert,
    pushedAt: null,
    emailedAt: null,
    leaseToken: lease.token,
    leaseUntil: lease.until,
  };
  return (await deps.alerts.claim(owner, budgetId, alert.periodStart, pending)) ? { budgetId, pending } : null;
}

/** A pending alert found on the budget, taken over when its lease has lapsed. */
export async function takeOver(
  deps: AlertDeliveryDeps,
  owner: string,
  budgetId: string,
  pending: PendingAlert,
): Promise<HeldAlert | null> {
  const now = deps.now();
  // Every lease taken before leasesVoidBefore ends by leasesVoidBefore + DELIVERY_LEASE_MS at the latest.
  const voidBefore = deps.leasesVoidBefore?.getTime();
  const lapsedBefore =
    voidBefore === undefined ? now.getTime() : Math.max(now.getTime(), voidBefore + DELIVERY_LEASE_MS);
  if (pending.leaseUntil >= lapsedBefore) return null; // someone is delivering it right now
  const lease = newLease(now);
  if (!(await deps.alerts.lease(owner, budgetId, pending.alert.id, lease, lapsedBefore))) return null;
  return { budgetId, pending: { ...pending, leaseToken: lease.token, leaseUntil: lease.until } };
}

/** Sends what is still undelivered of one held alert; throws the failures after trying both channels. */
async function deliver(
  deps: AlertDeliveryDeps,
  owner: string,
  { budgetId, pending, emailCoveredByHigher }: HeldAlert,
): Promise<void> {
  const { alert } = pending;
  const channels: Array<[AlertChannel, string | null, (a: BudgetAlert) => Promise<void>]> = [
    ['push', pending.pushedAt, deps.push],
    ['email', pending.emailedAt, emailCoveredByHigher ? async () => {} : deps.email],
  ];
  const failures: unknown[] = [];
  let delivered = channels.filter(([, at]) => at !== null).length;
  for (const [channel, at, send] of channels) {
    if (at !== null) continue;
    try {
      await send(alert);
      delivered += 1;
      // The last channel's mark is the completion below.
      if (delivered < channels.length)
        await deps.alerts.markDelivered(owner, budgetId, alert.id, channel, deps.now().toISOString());
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 0) {
    try {
      await deps.alerts.complete(owner, budgetId, alert.id);
      return;
    } catch (error) {
      failures.push(error);
    }
  }
  await deps.alerts
    .release(owner, budgetId, alert.id, pending.leaseToken)
    .catch((error: unknown) => failures.push(error));
  throw new AggregateError(failures, `alert ${alert.id} not fully delivered`);
}

/** Delivers the held alerts in order (lower thresholds first); the ones that failed stay pending. */
export async function deliverHeld(deps: AlertDeliveryDeps, owner: string, held: HeldAlert[]): Promise<BudgetAlert[]> {
  const delivered: BudgetAlert[] = [];
  const failures: unknown[] = [];
  for (const one of held) {
    try {
      await deliver(deps, owner, one);
      delivered.push(one.pending.alert);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw new AlertDeliveryError(failures, delivered);
  return delivered;
}
