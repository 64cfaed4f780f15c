import { describe, expect, it } from 'vitest';
import { AlertDeliveryError, DELIVERY_LEASE_MS } from '../../../../../functions/shared/budgets/alert-delivery.ts';
import type { Context } from 'aws-lambda';
import { budgetHandler } from '../../../../../functions/budgets/handler.ts';
import {
  evaluateBudgetsForChange,
  evaluateBudgetsOnceSettled,
  type ExpenseChange,
  type ExpenseSnapshot,
} from '../../../../../functions/shared/budgets/core.ts';
import { memoryDeps, memoryWorld, type MemoryWorld } from '../../../../support/memory-budget-deps.ts';
import { budgetItem } from '../../../../support/budget-items.ts';

/**
 * Alert delivery against an in-memory ledger with DynamoDB's conditional-write semantics:
 * failures and crashes at every step, then a retry (a new process, as Lambda's is).
 */
const budget = budgetItem;
const expense = (id: string, date: string, amount: number, over: Partial<ExpenseSnapshot> = {}): ExpenseSnapshot => ({
  expense_id: id,
  date,
  category: 'DINING',
  amount,
  currency: 'EUR',
  ...over,
});

/** Given 60 % already in the index, the change that adds 25 % (crossing 80). */
function given85(world: MemoryWorld): ExpenseChange {
  world.index.push(expense('e0', '2026-11-02', 6000));
  const after = expense('e1', '2026-11-19', 2500);
  world.index.push(after);
  return { before: null, after };
}
const ids = (alerts: Array<{ id: string }>) => alerts.map((a) => a.id);

describe('alerts fire once', () => {
  it('given a crossing evaluated twice, then each threshold is pushed once, one email names the highest, and nothing stays pending', async () => {
    const world = memoryWorld([
      budget(),
      budget({ budget_id: 'ALL-MONTHLY', category: null, name: 'Everything', amount: 100000 }),
    ]);
    const change = given85(world);
    const { deps } = memoryDeps(world);
    expect(ids(await evaluateBudgetsForChange(deps, 'u', change))).toEqual([
      'DINING-MONTHLY:2026-11-01:50',
      'DINING-MONTHLY:2026-11-01:80',
    ]);
    expect(await evaluateBudgetsForChange(deps, 'u', change)).toEqual([]);
    expect(ids(world.pushed)).toEqual(['DINING-MONTHLY:2026-11-01:50', 'DINING-MONTHLY:2026-11-01:80']);
    // 50 and 80 passed at once: one email, the 80 % one (60 % → 85 % is one event for the reader).
    expect(ids(world.emailed)).toEqual(['DINING-MONTHLY:2026-11-01:80']);
    expect(world.pushed[1]).toMatchObject({
      owner: 'u',
      threshold: 80,
      spent: 8500,
      limit: 10000,
      currency: 'EUR',
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
    });
    expect(world.budgets.get('DINING-MONTHLY')).toMatchObject({ fired: { '2026-11-01': [50, 80] }, pending: {} });
  });

  it('given 20 evaluations at once, then one push per threshold and one email, for the highest', async () => {
    const world = memoryWorld([budget()]);
    const change = given85(world);
    await Promise.all(Array.from({ length: 20 }, () => evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change)));
    expect(ids(world.pushed).sort()).toEqual(['DINING-MONTHLY:2026-11-01:50', 'DINING-MONTHLY:2026-11-01:80']);
    expect(ids(world.emailed)).toEqual(['DINING-MONTHLY:2026-11-01:80']);
  });

  it('given a budget created already over its limit, then three pushes and one email, naming 100 %', async () => {
    const world = memoryWorld([budget()]);
    world.index.push(expense('e0', '2026-11-02', 12000));
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', { budgetId: 'DINING-MONTHLY' });
    expect(world.pushed.map((a) => a.threshold)).toEqual([50, 80, 100]);
    expect(world.emailed).toEqual([expect.objectContaining({ threshold: 100, spent: 12000, limit: 10000 })]);
    expect(world.budgets.get('DINING-MONTHLY')).toMatchObject({ fired: { '2026-11-01': [50, 80, 100] }, pending: {} });
  });

  it('given 80 % reached on one change and 100 % on a later one, then each is emailed: the later one is news', async () => {
    const world = memoryWorld([budget()]);
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', given85(world));
    const over = expense('e2', '2026-11-20', 2000);
    world.index.push(over);
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', { before: null, after: over });
    expect(world.emailed.map((a) => a.threshold)).toEqual([80, 100]);
  });

  it('given an index that has not caught up with the expense that crosses, then the alert still fires', async () => {
    const world = memoryWorld([budget()]);
    world.index.push(expense('e0', '2026-11-02', 7900));
    const change = { before: null, after: expense('e1', '2026-11-19', 200) }; // not in the index yet
    expect(ids(await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change))).toEqual([
      'DINING-MONTHLY:2026-11-01:50',
      'DINING-MONTHLY:2026-11-01:80',
    ]);
  });

  it("given rollover, when last month's expense changes, then this month's smaller limit is evaluated and alerts", async () => {
    const world = memoryWorld([budget({ rollover: true, createdAt: '2026-10-01T00:00:00.000Z' })]);
    world.index.push(expense('oct', '2026-10-10', 8000), expense('nov', '2026-11-10', 9000));
    // October's 2000 leftover made November's limit 12000 (9000 = 75 %): 50 fired.
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', {
      before: null,
      after: expense('nov', '2026-11-10', 9000),
    });
    expect(world.pushed.map((a) => [a.threshold, a.limit])).toEqual([[50, 12000]]);
    // October's expense corrected to 10000: November's limit is 10000 and 9000 is 90 %.
    const before = expense('oct', '2026-10-10', 8000);
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', { before, after: { ...before, amount: 10000 } });
    expect(world.pushed.map((a) => [a.threshold, a.limit, a.periodStart])).toEqual([
      [50, 12000, '2026-11-01'],
      [80, 10000, '2026-11-01'],
    ]);
  });

  it('given a new period, then the same thresholds fire again', async () => {
    const world = memoryWorld([budget()]);
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', given85(world));
    world.clock.now = new Date('2026-12-02T12:00:00Z');
    const december = expense('d1', '2026-12-01', 5000);
    world.index.push(december);
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', { before: null, after: december });
    expect(ids(world.pushed).filter((id) => id.includes('2026-12-01'))).toEqual(['DINING-MONTHLY:2026-12-01:50']);
  });
});

describe('alerts reach the owner despite failures', () => {
  async function firstAttemptFails(
    world: MemoryWorld,
    change: ExpenseChange,
    setUp: (faults: ReturnType<typeof memoryDeps>['faults']) => void,
  ) {
    const first = memoryDeps(world);
    setUp(first.faults);
    await expect(evaluateBudgetsForChange(first.deps, 'u', change)).rejects.toThrow();
  }

  // 50 and 80 are passed at once: the first push is 50's, the one email is 80's.
  it.each([
    ['push', '50'],
    ['email', '80'],
  ])(
    'given the %s failing once, when the event is retried at once, then one push per threshold and one email, and the retry delivers %s',
    async (failing, redelivered) => {
      const world = memoryWorld([budget()]);
      const change = given85(world);
      await firstAttemptFails(world, change, (faults) => faults.failOnce.add(failing));
      // The failed step released its lease: the retry does not wait for it to lapse.
      const retried = await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change);
      expect(ids(retried)).toEqual([`DINING-MONTHLY:2026-11-01:${redelivered}`]);
      expect(ids(world.pushed).sort()).toEqual(['DINING-MONTHLY:2026-11-01:50', 'DINING-MONTHLY:2026-11-01:80']);
      expect(ids(world.emailed)).toEqual(['DINING-MONTHLY:2026-11-01:80']);
      expect(world.budgets.get('DINING-MONTHLY')!.pending).toEqual({});
    },
  );

  it('given a failure, then the error says which alerts were delivered and the rest stay pending', async () => {
    const world = memoryWorld([budget()]);
    const change = given85(world);
    const { deps, faults } = memoryDeps(world);
    faults.failOnce.add('email');
    const error = await evaluateBudgetsForChange(deps, 'u', change).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertDeliveryError);
    // 50 is pushed and its email is 80's; 80 is pushed and its email failed: it stays pending.
    expect(ids((error as AlertDeliveryError).delivered)).toEqual(['DINING-MONTHLY:2026-11-01:50']);
    expect(Object.values(world.budgets.get('DINING-MONTHLY')!.pending)).toEqual([
      expect.objectContaining({
        alert: expect.objectContaining({ threshold: 80 }),
        pushedAt: expect.any(String),
        emailedAt: null,
        leaseUntil: 0,
      }),
    ]);
  });

  // A crash leaves its lease in place: the retry finds the alert once the lease has lapsed.
  it.each([
    ['claim', 1, 1],
    ['push', 2, 1], // pushed, not yet marked: pushed again, with the same id
    ['markDelivered', 1, 1],
    ['email', 1, 2], // emailed, not yet marked: emailed again, the same message
  ] as const)(
    'given a crash right after %s, when retried after the lease, then the alert is delivered; pushes %i, emails %i, one alert id',
    async (step, pushes, emails) => {
      const world = memoryWorld([budget({ thresholds: [80] })]);
      const change = given85(world);
      await firstAttemptFails(world, change, (faults) => (faults.crashAfter = step));
      expect(await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change)).toEqual([]); // the lease still holds
      world.clock.now = new Date(world.clock.now.getTime() + DELIVERY_LEASE_MS + 1);
      await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change);
      expect(new Set(ids(world.pushed))).toEqual(new Set(['DINING-MONTHLY:2026-11-01:80']));
      expect(new Set(ids(world.emailed))).toEqual(new Set(['DINING-MONTHLY:2026-11-01:80']));
      expect([world.pushed.length, world.emailed.length]).toEqual([pushes, emails]);
      expect(world.budgets.get('DINING-MONTHLY')!.pending).toEqual({});
    },
  );

  // 50 and 80 passed at once, the process dying after 50's push is marked (both pending), or once
  // 50 is settled (its email counted as 80's, 80 still pending): 80's email is never lost, 50's never sent.
  it.each(['markDelivered', 'complete'] as const)(
    'given two thresholds passed at once and a crash right after the first %s, when retried after the lease, then the one email still goes, for the highest',
    async (step) => {
      const world = memoryWorld([budget()]);
      const change = given85(world);
      await firstAttemptFails(world, change, (faults) => (faults.crashAfter = step));
      world.clock.now = new Date(world.clock.now.getTime() + DELIVERY_LEASE_MS + 1);
      await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change);
      expect(ids(world.pushed)).toEqual(['DINING-MONTHLY:2026-11-01:50', 'DINING-MONTHLY:2026-11-01:80']);
      expect(ids(world.emailed)).toEqual(['DINING-MONTHLY:2026-11-01:80']);
      expect(world.budgets.get('DINING-MONTHLY')!.pending).toEqual({});
    },
  );

  it.each(['claim', 'push', 'markDelivered', 'email'] as const)(
    'given a crash right after %s and a restart that voids earlier leases (npm start after kill -9), when the event is run again at once, then the alert is delivered without waiting for its lease',
    async (step) => {
      const world = memoryWorld([budget({ thresholds: [80] })]);
      const change = given85(world);
      await firstAttemptFails(world, change, (faults) => (faults.crashAfter = step));
      world.clock.now = new Date(world.clock.now.getTime() + 1000);
      const restarted = { ...memoryDeps(world).deps, leasesVoidBefore: world.clock.now };
      await evaluateBudgetsForChange(restarted, 'u', change);
      expect(new Set(ids(world.pushed))).toEqual(new Set(['DINING-MONTHLY:2026-11-01:80']));
      expect(new Set(ids(world.emailed))).toEqual(new Set(['DINING-MONTHLY:2026-11-01:80']));
      expect(world.budgets.get('DINING-MONTHLY')!.pending).toEqual({});
    },
  );

  it('given leases voided at a restart, when an alert is being delivered by this process, then another evaluation does not take it over', async () => {
    const world = memoryWorld([budget({ thresholds: [80] })]);
    const change = given85(world);
    const startedAt = new Date(world.clock.now.getTime() - 1000);
    // A delivery of this process holds the lease: it crashed for the test, but its lease is newer than the start.
    await firstAttemptFails(world, change, (faults) => (faults.crashAfter = 'claim'));
    await evaluateBudgetsForChange({ ...memoryDeps(world).deps, leasesVoidBefore: startedAt }, 'u', change);
    expect(world.pushed).toEqual([]);
    expect(Object.keys(world.budgets.get('DINING-MONTHLY')!.pending)).toEqual(['DINING-MONTHLY:2026-11-01:80']);
  });

  it('given a pending alert, when any later change of the owner is evaluated, then it is delivered with what it said when it fired', async () => {
    const world = memoryWorld([budget({ thresholds: [80] })]);
    const change = given85(world);
    await firstAttemptFails(world, change, (faults) => (faults.crashAfter = 'claim'));
    world.clock.now = new Date(world.clock.now.getTime() + 3_600_000);
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', {
      before: null,
      after: expense('f', '2026-11-20', 100, { category: 'FUEL' }),
    });
    expect(world.pushed).toEqual([
      expect.objectContaining({ id: 'DINING-MONTHLY:2026-11-01:80', spent: 8500, firedAt: '2026-11-20T12:00:00.000Z' }),
    ]);
    expect(world.emailed).toHaveLength(1);
  });

  it('given one budget failing to claim, then the alerts the others claimed are still delivered, and the retry claims the rest', async () => {
    const world = memoryWorld([
      budget({ thresholds: [80] }),
      budget({ budget_id: 'ALL-MONTHLY', category: null, name: 'Everything', thresholds: [80] }),
    ]);
    const change = given85(world);
    const { deps, faults } = memoryDeps(world);
    faults.failOnce.add('claim');
    await expect(evaluateBudgetsForChange(deps, 'u', change)).rejects.toThrow('claim failed');
    expect(ids(world.pushed)).toEqual(['ALL-MONTHLY:2026-11-01:80']);
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change);
    expect(ids(world.pushed)).toEqual(['ALL-MONTHLY:2026-11-01:80', 'DINING-MONTHLY:2026-11-01:80']);
    expect(ids(world.emailed)).toEqual(ids(world.pushed));
  });

  it('given 20 evaluations at once, one of them failing to push, then still one push and one email after the retry', async () => {
    const world = memoryWorld([budget({ thresholds: [80] })]);
    const change = given85(world);
    const processes = Array.from({ length: 20 }, () => memoryDeps(world));
    processes[0].faults.failOnce.add('push'); // the first to run is the one that claims
    await Promise.all(processes.map(({ deps }) => evaluateBudgetsForChange(deps, 'u', change).catch(() => 'failed')));
    expect(processes[0].faults.failOnce.size).toBe(0);
    await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change);
    expect(ids(world.pushed)).toEqual(['DINING-MONTHLY:2026-11-01:80']);
    expect(ids(world.emailed)).toEqual(['DINING-MONTHLY:2026-11-01:80']);
  });
});

describe('a second look once the index has settled', () => {
  it('given two expenses written at once, each evaluated before the index shows the other, then their sum crossing 80 % alerts once when the index settles', async () => {
    const world = memoryWorld([budget({ thresholds: [80] })]);
    world.index.push(expense('e0', '2026-11-02', 7000));
    const changes = [expense('e1', '2026-11-19', 500), expense('e2', '2026-11-19', 500)].map((after) => ({
      before: null,
      after,
    }));
    // Each first pass folds in only its own expense: 75 %.
    for (const change of changes)
      expect(await evaluateBudgetsForChange(memoryDeps(world).deps, 'u', change)).toEqual([]);
    const indexCatchesUp = async () =>
      void world.index.splice(1, world.index.length - 1, ...changes.map((c) => c.after));
    const alerts = await Promise.all(
      changes.map((change) => evaluateBudgetsOnceSettled(memoryDeps(world).deps, 'u', change, indexCatchesUp)),
    );
    expect(ids(alerts.flat())).toEqual(['DINING-MONTHLY:2026-11-01:80']);
    expect(world.pushed).toEqual([expect.objectContaining({ threshold: 80, spent: 8000 })]);
    expect(ids(world.emailed)).toEqual(ids(world.pushed));
  });

  it('given an expense changed again before the index settles, then the second look counts what the index shows, not the older change', async () => {
    const world = memoryWorld([budget({ thresholds: [80] })]);
    world.index.push(expense('e0', '2026-11-02', 7000), expense('e1', '2026-11-19', 100));
    const raised = { before: expense('e1', '2026-11-19', 100), after: expense('e1', '2026-11-19', 9000) };
    // Lowered back to 100 before the second look of the raise: the index shows 100, 71 %.
    expect(await evaluateBudgetsOnceSettled(memoryDeps(world).deps, 'u', raised, async () => {})).toEqual([]);
    expect(world.pushed).toEqual([]);
  });

  it('given an expense moved to another category, then the second look reads both categories', async () => {
    const world = memoryWorld([
      budget({ thresholds: [80] }),
      budget({ budget_id: 'FUEL-MONTHLY', category: 'FUEL', name: 'Fuel', thresholds: [80] }),
    ]);
    world.index.push(expense('e0', '2026-11-02', 8500, { category: 'FUEL' }));
    const moved = {
      before: expense('e0', '2026-11-02', 8500),
      after: expense('e0', '2026-11-02', 8500, { category: 'FUEL' }),
    };
    expect(ids(await evaluateBudgetsOnceSettled(memoryDeps(world).deps, 'u', moved, async () => {}))).toEqual([
      'FUEL-MONTHLY:2026-11-01:80',
    ]);
  });
});

describe('BudgetFn after an expense change', () => {
  it('given INDEX_SETTLE_MS, when the index catches up while it waits, then the crossing a racing writer made is alerted by the same invocation', async () => {
    const world = memoryWorld([budget({ thresholds: [80] })]);
    world.index.push(expense('e0', '2026-11-02', 7000));
    const mine = expense('e1', '2026-11-19', 500);
    const theirs = expense('e2', '2026-11-19', 500);
    const configured = process.env.INDEX_SETTLE_MS;
    process.env.INDEX_SETTLE_MS = '30';
    try {
      setTimeout(() => world.index.push(mine, theirs), 10);
      const answer = await budgetHandler(() => memoryDeps(world).deps)(
        { action: 'expenseChanged', owner: 'u', before: null, after: mine },
        { awsRequestId: 'budget-1', functionName: 'BudgetFn' } as Context,
      );
      expect(answer).toEqual({ alerts: 1 });
      expect(world.pushed).toEqual([expect.objectContaining({ threshold: 80, spent: 8000 })]);
    } finally {
      if (configured === undefined) delete process.env.INDEX_SETTLE_MS;
      else process.env.INDEX_SETTLE_MS = configured;
    }
  });
});
