import type { AlertLedger } from '../../functions/shared/budgets/alert-delivery.ts';
import type { BudgetDeps, BudgetExpense, ForecastRule } from '../../functions/shared/budgets/core.ts';
import type { BudgetAlert, BudgetItem, PendingAlert } from '../../model/budgets.ts';
import { NO_RATES } from './memory-rates.ts';

/**
 * Budget deps in memory, with the same single-item conditional semantics as the DynamoDB
 * adapter (each write is one synchronous step, so concurrent evaluations interleave only
 * between writes, as they do against DynamoDB). Reads return copies, as a database does.
 * `index` is what the GSI Query returns; tests make it lag behind the table on purpose.
 * `rules` are the owner's confirmed recurring rules.
 */
export interface MemoryWorld {
  budgets: Map<string, BudgetItem & { pending: Record<string, PendingAlert> }>;
  index: BudgetExpense[];
  rules: ForecastRule[];
  pushed: BudgetAlert[];
  emailed: BudgetAlert[];
  clock: { now: Date };
}

export function memoryWorld(budgets: BudgetItem[], now = new Date('2026-11-20T12:00:00Z')): MemoryWorld {
  return {
    budgets: new Map(budgets.map((b) => [b.budget_id, { fired: {}, ...structuredClone(b), pending: {} }])),
    index: [],
    rules: [],
    pushed: [],
    emailed: [],
    clock: { now },
  };
}

/** A process's view of the world; `faults` can make its next calls throw (a failure) or stop it for good (a crash). */
export function memoryDeps(world: MemoryWorld, timezone = 'Europe/Paris') {
  const faults = {
    /** Steps that throw once, by name: push, email, claim, markDelivered, complete. */
    failOnce: new Set<string>(),
    /** The process dies right after this step succeeds: every later call of this process throws. */
    crashAfter: null as string | null,
  };
  let dead = false;
  const step = async <T>(name: string, run: () => T): Promise<T> => {
    if (dead) throw new Error('process is dead');
    if (faults.failOnce.delete(name)) throw new Error(`${name} failed`);
    const result = run();
    if (faults.crashAfter === name) {
      dead = true;
      throw new Error(`crashed after ${name}`);
    }
    return result;
  };
  const budgetOf = (id: string) => world.budgets.get(id);

  const alerts: AlertLedger = {
    claim: (_owner, budgetId, periodStart, pending) =>
      step('claim', () => {
        const budget = budgetOf(budgetId);
        if (!budget) return false;
        const fired = (budget.fired![periodStart] ??= []);
        if (fired.includes(pending.alert.threshold)) return false;
        fired.push(pending.alert.threshold);
        budget.pending[pending.alert.id] = structuredClone(pending);
        return true;
      }),
    lease: (_owner, budgetId, alertId, lease, now) =>
      step('lease', () => {
        const pending = budgetOf(budgetId)?.pending[alertId];
        if (!pending || !(pending.leaseUntil < now)) return false;
        Object.assign(pending, { leaseToken: lease.token, leaseUntil: lease.until });
        return true;
      }),
    markDelivered: (_owner, budgetId, alertId, channel, at) =>
      step('markDelivered', () => {
        const pending = budgetOf(budgetId)?.pending[alertId];
        if (pending) pending[channel === 'push' ? 'pushedAt' : 'emailedAt'] = at;
      }),
    complete: (_owner, budgetId, alertId) =>
      step('complete', () => {
        delete budgetOf(budgetId)?.pending[alertId];
      }),
    release: (_owner, budgetId, alertId, token) =>
      step('release', () => {
        const pending = budgetOf(budgetId)?.pending[alertId];
        if (pending && pending.leaseToken === token) pending.leaseUntil = 0;
      }),
  };

  const deps: BudgetDeps = {
    budgets: () =>
      step('budgets', () =>
        [...world.budgets.values()].map(({ pending, ...b }) =>
          structuredClone({ ...b, pendingAlerts: Object.values(pending) }),
        ),
      ),
    async *expensePages(_owner, budget, range) {
      yield await step('query', () =>
        world.index
          .filter(
            (e) => (!budget.category || e.category === budget.category) && e.date >= range.start && e.date <= range.end,
          )
          .map((e) => ({ ...e })),
      );
    },
    timezone: async () => timezone,
    recurringRules: () => step('rules', () => structuredClone(world.rules)),
    rates: NO_RATES,
    alerts,
    push: (alert) => step('push', () => void world.pushed.push(alert)),
    email: (alert) => step('email', () => void world.emailed.push(alert)),
    now: () => world.clock.now,
  };
  return { deps, faults };
}
