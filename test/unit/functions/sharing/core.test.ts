import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  settleShareBalance,
  shareBalances,
  shareExpense,
  listSharedExpenses,
  sharedExpense,
  unshareExpense,
  type SharingPorts,
} from '../../../../functions/sharing/core.ts';
import type { ShareEventInput } from '../../../../generated/graphql.ts';
import type { ExpenseItem } from '../../../../model/expenses.ts';
import { settleLockOf, type SharingItem } from '../../../../model/sharing.ts';

/**
 * The sharing core on an in-memory table: shares, retries and payments among three people with
 * accounts and one without, in currencies of 0, 2 and 3 decimals. Whatever the sequence, every
 * balance is the exact sum of the parts and payments between two people, the same from either
 * side (opposite signs), and a repeated call changes nothing.
 */
const USERS: Record<string, string> = { ada: 'ada@example.com', bob: 'bob@example.com', cy: 'cy@example.com' };
const NO_ACCOUNT = 'dee@example.com';

function memoryWorld() {
  // With the notice bookkeeping every item may carry (the quota counts never do).
  const table = new Map<string, SharingItem & { notifiedAt?: string; noticeLeasedAt?: string }>();
  const keyOf = (p: string, k: string) => `${p}\u0000${k}`;
  const expenses = new Map<string, ExpenseItem>();
  const pushes: ShareEventInput[] = [];
  const mails: Array<{ to: string; subject: string; text: string; messageId: string }> = [];
  const accounts = new Map(Object.entries(USERS));
  const sorted = (partition: string, prefix: string) =>
    [...table.values()]
      .filter((i) => i.user_id === partition && i.item_key.startsWith(prefix))
      .sort((a, b) => (a.item_key < b.item_key ? -1 : 1));
  const ports: SharingPorts = {
    expenseOf: async (owner, id) => expenses.get(`${owner}/${id}`) ?? null,
    userIdByEmail: async (email) => [...accounts].find(([, e]) => e === email)?.[0] ?? null,
    emailOf: async (owner) => accounts.get(owner) ?? null,
    items: {
      get: async (p, k) => structuredClone(table.get(keyOf(p, k)) ?? null),
      async putNew(item) {
        if (table.has(keyOf(item.user_id, item.item_key))) return false;
        table.set(keyOf(item.user_id, item.item_key), structuredClone(item));
        return true;
      },
      async replace(item) {
        if (!table.has(keyOf(item.user_id, item.item_key))) return false;
        table.set(keyOf(item.user_id, item.item_key), structuredClone(item));
        return true;
      },
      async page(p, prefix, { limit, after, newestFirst }) {
        let items = sorted(p, prefix);
        if (newestFirst) items.reverse();
        if (after) items = items.slice(items.findIndex((i) => i.item_key === after) + 1);
        const page = items.slice(0, limit);
        return { items: page, lastKey: items.length > limit ? page[page.length - 1].item_key : null };
      },
      async *all(p, prefix) {
        yield sorted(p, prefix);
      },
      async delete(p, k) {
        table.delete(keyOf(p, k));
      },
      async leaseNotice(p, k, at, staleBefore) {
        const item = table.get(keyOf(p, k));
        if (!item || item.notifiedAt || (item.noticeLeasedAt && item.noticeLeasedAt >= staleBefore)) return false;
        item.noticeLeasedAt = at;
        return true;
      },
      async countShare(owner, day, max, expiresAt) {
        const key = keyOf(owner, `QUOTA#${day}`);
        const item = (table.get(key) ?? {
          user_id: owner,
          item_key: `QUOTA#${day}`,
          kind: 'quota',
          count: 0,
        }) as Extract<SharingItem, { kind: 'quota' }>;
        if (item.count >= max) return false;
        table.set(key, { ...item, count: item.count + 1, expires_at: expiresAt });
        return true;
      },
      async releaseNotice(p, k, at) {
        const item = table.get(keyOf(p, k));
        if (item?.noticeLeasedAt === at) delete item.noticeLeasedAt;
      },
      async markNotified(p, k, at) {
        const item = table.get(keyOf(p, k));
        if (item) item.notifiedAt = at;
      },
      async takeLock(p, k, holder, at, staleBefore, expiresAt) {
        const item = table.get(keyOf(p, k));
        if (item?.kind === 'lock' && item.holder !== holder && item.lockedAt >= staleBefore) return false;
        table.set(keyOf(p, k), { user_id: p, item_key: k, kind: 'lock', holder, lockedAt: at, expires_at: expiresAt });
        return true;
      },
      async releaseLock(p, k, holder) {
        const item = table.get(keyOf(p, k));
        if (item?.kind === 'lock' && item.holder === holder) table.delete(keyOf(p, k));
      },
    },
    push: async (event) => void pushes.push(event),
    mail: async (message) => void mails.push(message),
    now: () => new Date('2026-12-01T10:00:00.000Z'),
  };
  let n = 0;
  const givenExpense = (owner: string, amount: number, currency: string) => {
    n += 1;
    const id = `e${String(n).padStart(4, '0')}`;
    expenses.set(`${owner}/${id}`, {
      user_id: owner,
      expense_id: id,
      merchant: `Shop ${n}`,
      amount,
      currency,
      date: '2026-11-30',
      category: 'DINING',
      createdAt: new Date(Date.UTC(2026, 10, 1) + n * 1000).toISOString(),
    } as ExpenseItem);
    return id;
  };
  return { ports, pushes, mails, accounts, table, givenExpense };
}

const balanceOf = async (ports: SharingPorts, who: string, email: string, currency: string) =>
  (await shareBalances(ports, who)).find((b) => b.email === email && b.currency === currency)?.amount ?? 0;

describe('sharing core', () => {
  it('given any sequence of shares (some retried) and payments, then balances are the exact sums of parts and payments, equal and opposite on both sides, in each currency', async () => {
    const names = Object.keys(USERS);
    const currency = fc.constantFrom('JPY', 'EUR', 'KWD');
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('share' as const),
        payer: fc.constantFrom(...names),
        others: fc.subarray([...Object.values(USERS), NO_ACCOUNT], { minLength: 1 }),
        amount: fc.integer({ min: 1, max: 100_000 }),
        currency,
        method: fc.constantFrom('EQUAL' as const, 'PERCENTAGES' as const),
        retried: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('settle' as const),
        who: fc.constantFrom(...names),
        with: fc.constantFrom(...Object.values(USERS)),
        currency,
        part: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const world = memoryWorld();
        // The oracle: what each ordered pair owes in each currency.
        const owed = new Map<string, number>();
        const add = (creditor: string, debtor: string, cur: string, amount: number) => {
          owed.set(`${creditor}|${debtor}|${cur}`, (owed.get(`${creditor}|${debtor}|${cur}`) ?? 0) + amount);
          owed.set(`${debtor}|${creditor}|${cur}`, (owed.get(`${debtor}|${creditor}|${cur}`) ?? 0) - amount);
        };
        let request = 0;
        for (const s of steps) {
          if (s.kind === 'share') {
            const me = USERS[s.payer];
            const others = s.others.filter((e) => e !== me);
            if (!others.length) continue;
            const id = world.givenExpense(s.payer, s.amount, s.currency);
            const input = {
              expenseId: id,
              method: s.method,
              participants: others.map((email) => ({
                email,
                ...(s.method === 'PERCENTAGES' ? { percent: Math.floor(10_000 / (others.length + 1)) / 100 } : {}),
              })),
            };
            const shared = await shareExpense(world.ports, s.payer, input);
            if (s.retried) expect(await shareExpense(world.ports, s.payer, input)).toEqual(shared);
            expect(shared.participants.reduce((a, p) => a + p.amount, 0)).toBe(s.amount);
            for (const p of shared.participants.slice(1)) add(me, p.email, s.currency, p.amount);
          } else {
            const me = USERS[s.who];
            if (me === s.with) continue;
            const before = await balanceOf(world.ports, s.who, s.with, s.currency);
            if (before === 0) continue;
            request += 1;
            const amount = s.part && Math.abs(before) > 1 ? Math.floor(Math.abs(before) / 2) : undefined;
            const input = {
              email: s.with,
              currency: s.currency,
              requestId: `r${request}`,
              ...(amount ? { amount } : {}),
            };
            const settled = await settleShareBalance(world.ports, s.who, input);
            const paid = amount ?? Math.abs(before);
            expect(settled.amount).toBe(paid);
            expect(settled.balance).toBe(before > 0 ? before - paid : before + paid);
            // A retry records nothing more.
            expect((await settleShareBalance(world.ports, s.who, input)).balance).toBe(settled.balance);
            if (before > 0) add(me, s.with, s.currency, -paid);
            else add(s.with, me, s.currency, -paid);
          }
        }
        // Dee signs up: what waited for her is hers.
        world.accounts.set('dee', NO_ACCOUNT);
        const everyone = { ...USERS, dee: NO_ACCOUNT };
        for (const [who, me] of Object.entries(everyone))
          for (const other of Object.values(everyone))
            for (const cur of ['JPY', 'EUR', 'KWD']) {
              if (other === me) continue;
              expect(await balanceOf(world.ports, who, other, cur), `${me} with ${other} in ${cur}`).toBe(
                owed.get(`${me}|${other}|${cur}`) ?? 0,
              );
            }
        // Every participant with an account was told once per share (pushes), each person by email once per share.
        const ids = world.pushes.map((p) => p.id);
        expect(new Set(ids).size).toBe(ids.length);
        const messageIds = world.mails.map((m) => m.messageId);
        expect(new Set(messageIds).size).toBe(messageIds.length);
      }),
      { numRuns: 60 },
    );
  });

  it('given a share or a payment that fails at any one step (a table write, the push, the email), when it is called again, then the end is as if nothing had failed: every item once, every person told (again, with the same id, only when the failure fell between a send and its mark)', async () => {
    /** The scenario: a share with Bob (an account) and Dee (none), then Bob pays half, then Ada withdraws it. */
    async function scenario(world: ReturnType<typeof memoryWorld>) {
      const input = {
        expenseId: 'e0001',
        method: 'EQUAL' as const,
        participants: [{ email: 'bob@example.com' }, { email: NO_ACCOUNT }],
      };
      const untilDone = async <T>(run: () => Promise<T>): Promise<T> => {
        for (;;) {
          try {
            return await run();
          } catch (error) {
            if ((error as Error).message !== 'injected') throw error;
          }
        }
      };
      const { id } = await untilDone(() => shareExpense(world.ports, 'ada', input));
      const settle = { email: 'ada@example.com', currency: 'EUR', amount: 500, requestId: 'pay-1' };
      await untilDone(() => settleShareBalance(world.ports, 'bob', settle));
      // Then Ada withdraws it from Bob (who had paid part), then from everyone left.
      await untilDone(() => unshareExpense(world.ports, 'ada', id, 'bob@example.com'));
      await untilDone(() => unshareExpense(world.ports, 'ada', id));
    }
    /** A world whose `n`th port call (counted across every port) throws once. */
    function failingAt(n: number) {
      const world = memoryWorld();
      world.givenExpense('ada', 3000, 'EUR');
      let calls = 0;
      const failing = <A extends unknown[], R>(run: (...args: A) => R) =>
        ((...args: A) => {
          calls += 1;
          if (calls === n) return Promise.reject(new Error('injected'));
          return run(...args);
        }) as (...args: A) => R;
      for (const name of ['push', 'mail', 'expenseOf', 'userIdByEmail', 'emailOf'] as const)
        (world.ports as any)[name] = failing((world.ports as any)[name]);
      for (const name of [
        'get',
        'putNew',
        'page',
        'delete',
        'leaseNotice',
        'releaseNotice',
        'markNotified',
        'takeLock',
        'releaseLock',
        'replace',
      ] as const)
        (world.ports.items as any)[name] = failing((world.ports.items as any)[name]);
      return { world, calls: () => calls };
    }
    const settled = (world: ReturnType<typeof memoryWorld>) =>
      [...world.table.values()]
        // The notice bookkeeping differs when the failure was its own mark (sent, the lease left to run out).
        // A share counts against the day's limit before it is written: a retry after a failure in between counts again.
        .filter((item) => item.kind !== 'quota')
        .map(({ noticeLeasedAt: _lease, notifiedAt: _told, ...item }) => item)
        .sort((a, b) => (`${a.user_id}${a.item_key}` < `${b.user_id}${b.item_key}` ? -1 : 1));
    const clean = failingAt(0);
    await scenario(clean.world);
    const steps = clean.calls();
    expect(steps).toBeGreaterThan(20);
    for (let n = 1; n <= steps; n += 1) {
      const { world } = failingAt(n);
      await scenario(world);
      expect(settled(world), `failing at call ${n}`).toEqual(settled(clean.world));
      expect(new Set(world.pushes.map((p) => p.id)), `pushes failing at call ${n}`).toEqual(
        new Set(clean.world.pushes.map((p) => p.id)),
      );
      expect(new Set(world.mails.map((m) => m.messageId)), `emails failing at call ${n}`).toEqual(
        new Set(clean.world.mails.map((m) => m.messageId)),
      );
      // One failure repeats at most the one notice it interrupted.
      const repeats = world.pushes.length - clean.world.pushes.length + world.mails.length - clean.world.mails.length;
      expect(repeats, `notices repeated failing at call ${n}`).toBeLessThanOrEqual(1);
    }
  });

  it('given 50 expenses shared today, then the 51st is LimitExceeded with the limit, while a retry of one already shared still answers', async () => {
    const world = memoryWorld();
    const share = (expenseId: string) =>
      shareExpense(world.ports, 'ada', { expenseId, method: 'EQUAL', participants: [{ email: 'bob@example.com' }] });
    const ids = Array.from({ length: 51 }, () => world.givenExpense('ada', 200, 'EUR'));
    for (const id of ids.slice(0, 50)) await share(id);
    await expect(share(ids[50])).rejects.toThrow(
      expect.objectContaining({ errorType: 'LimitExceeded', errorInfo: { limit: 50 } }),
    );
    expect((await share(ids[0])).myShare).toBe(100);
    expect(await balanceOf(world.ports, 'ada', 'bob@example.com', 'EUR')).toBe(50 * 100);
  });

  it('given Bob owes Ada 10.00, when two payments of 7.00 are made at once (one by each), then one is recorded and the other is a ValidationError with what is left; a payment that died after its own entry a minute ago neither stops the next nor is missed by it', async () => {
    const world = memoryWorld();
    const expenseId = world.givenExpense('ada', 2000, 'EUR');
    await shareExpense(world.ports, 'ada', {
      expenseId,
      method: 'EQUAL',
      participants: [{ email: 'bob@example.com' }],
    });
    const outcomes = await Promise.allSettled([
      settleShareBalance(world.ports, 'bob', {
        email: 'ada@example.com',
        currency: 'EUR',
        amount: 700,
        requestId: 'b',
      }),
      settleShareBalance(world.ports, 'ada', {
        email: 'bob@example.com',
        currency: 'EUR',
        amount: 700,
        requestId: 'a',
      }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({
      reason: { errorType: 'ValidationError', errorInfo: { field: 'amount', limit: 300 } },
    });
    expect(await balanceOf(world.ports, 'ada', 'bob@example.com', 'EUR')).toBe(300);
    expect(await balanceOf(world.ports, 'bob', 'ada@example.com', 'EUR')).toBe(-300);
    expect([...world.table.values()].filter((i) => i.kind === 'lock')).toEqual([]);

    // Bob pays 1.00, and his call dies after his own entry: Ada's side has no entry of it, and its lock is left.
    const lock = settleLockOf('ada@example.com', 'bob@example.com', 'EUR');
    const died = new Date(world.ports.now().getTime() - 61_000).toISOString();
    await settleShareBalance(world.ports, 'bob', {
      email: 'ada@example.com',
      currency: 'EUR',
      amount: 100,
      requestId: 'd',
    });
    const adaSide = [...world.table.entries()].find(
      ([, i]) => i.user_id === 'ada' && i.kind === 'ledger' && 'settlementId' in i.source && i.amount === -100,
    );
    world.table.delete(adaSide![0]);
    await world.ports.items.takeLock(lock.partition, lock.key, 'died', died, died, 0);
    // A minute later Ada records the whole balance: what is really left (2.00), and her side has Bob's 1.00 again.
    const rest = await settleShareBalance(world.ports, 'ada', {
      email: 'bob@example.com',
      currency: 'EUR',
      requestId: 'r',
    });
    expect(rest).toMatchObject({ amount: 200, balance: 0 });
    expect(await balanceOf(world.ports, 'bob', 'ada@example.com', 'EUR')).toBe(0);
    const { notifiedAt: _told, noticeLeasedAt: _lease, ...entry } = adaSide![1];
    expect(world.table.get(adaSide![0])).toEqual(entry);
  });

  it('given a share withdrawn from everyone, shared again and withdrawn again, then the participant is told each time, and owes nothing after', async () => {
    const world = memoryWorld();
    const expenseId = world.givenExpense('ada', 1000, 'EUR');
    const input = { expenseId, method: 'EQUAL' as const, participants: [{ email: 'bob@example.com' }] };
    const { id } = await shareExpense(world.ports, 'ada', input);
    expect(await unshareExpense(world.ports, 'ada', id)).toBeNull();
    expect(await unshareExpense(world.ports, 'ada', id)).toBeNull();
    // Shared again a day later: a copy of a new day, so its withdrawal is a new notice.
    world.ports.now = () => new Date('2026-12-02T10:00:00.000Z');
    await shareExpense(world.ports, 'ada', input);
    // A retry of it, later, tells no one again.
    world.ports.now = () => new Date('2026-12-02T10:05:00.000Z');
    await shareExpense(world.ports, 'ada', input);
    expect(await balanceOf(world.ports, 'bob', 'ada@example.com', 'EUR')).toBe(-500);
    await unshareExpense(world.ports, 'ada', id, 'bob@example.com');
    expect(world.mails.filter((m) => m.to === 'bob@example.com' && m.subject.includes('withdrew'))).toHaveLength(2);
    // Each sharing has its own event ids and Message-IDs: a client that drops ids it saw shows the second round.
    const bobs = world.pushes.filter((p) => p.owner === 'bob');
    expect(bobs.map((p) => p.kind)).toEqual(['SHARED', 'UNSHARED', 'SHARED', 'UNSHARED']);
    expect(new Set(bobs.map((p) => p.id)).size).toBe(4);
    expect(new Set(world.mails.filter((m) => m.to === 'bob@example.com').map((m) => m.messageId)).size).toBe(4);
    expect(await balanceOf(world.ports, 'bob', 'ada@example.com', 'EUR')).toBe(0);
    await expect(sharedExpense(world.ports, 'bob', id)).rejects.toMatchObject({ errorType: 'NotFound' });
  });

  it('given a share with Dee (no account), when her first read after signing up dies at any step of the claim, then her next read shows the share and Ada gets the JOINED push, with one id', async () => {
    let runs = 0;
    for (let n = 1; ; n += 1) {
      runs += 1;
      const world = memoryWorld();
      const expenseId = world.givenExpense('ada', 1000, 'EUR');
      const input = { expenseId, method: 'EQUAL' as const, participants: [{ email: NO_ACCOUNT }] };
      const { id } = await shareExpense(world.ports, 'ada', input);
      world.accounts.set('dee', NO_ACCOUNT);
      // Dee's first read dies at its nth call to the table or the push (as a Lambda that times out).
      let calls = 0;
      const dies =
        <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
        (...args: A): Promise<R> =>
          ++calls === n ? Promise.reject(new Error('died')) : run(...args);
      const { push, items } = world.ports;
      const { putNew, delete: remove } = items;
      Object.assign(world.ports, { push: dies(push) });
      Object.assign(items, { putNew: dies(putNew), delete: dies(remove) });
      const first = await listSharedExpenses(world.ports, 'dee', {}).then(
        () => true,
        () => false,
      );
      Object.assign(world.ports, { push });
      Object.assign(items, { putNew, delete: remove });
      expect((await listSharedExpenses(world.ports, 'dee', {})).items.map((s) => s.id)).toEqual([id]);
      const joined = world.pushes.filter((p) => p.kind === 'JOINED');
      expect(
        joined.map((p) => p.owner),
        `dying at call ${n}`,
      ).toContain('ada');
      expect(new Set(joined.map((p) => p.id)).size, `dying at call ${n}`).toBe(1);
      if (first) break;
    }
    // Dying at each of the claim's writes and its push was tried.
    expect(runs).toBeGreaterThan(3);
  });

  it('given a shared expense, then each participant reads it with their share, a stranger gets NotFound as for a missing id, and a different split is a Conflict', async () => {
    const world = memoryWorld();
    const id = world.givenExpense('ada', 1000, 'JPY');
    const shared = await shareExpense(world.ports, 'ada', {
      expenseId: id,
      method: 'EQUAL',
      participants: [{ email: 'BOB@example.com' }, { email: NO_ACCOUNT }],
    });
    expect(shared.participants).toEqual([
      { email: 'ada@example.com', amount: 334, payer: true },
      { email: 'bob@example.com', amount: 333, payer: false },
      { email: NO_ACCOUNT, amount: 333, payer: false },
    ]);
    expect((await sharedExpense(world.ports, 'bob', shared.id)).myShare).toBe(333);
    expect((await listSharedExpenses(world.ports, 'bob', {})).items.map((s) => s.id)).toEqual([shared.id]);
    const notFound = expect.objectContaining({ errorType: 'NotFound' });
    await expect(sharedExpense(world.ports, 'cy', shared.id)).rejects.toThrow(notFound);
    await expect(sharedExpense(world.ports, 'cy', '01JAAAAAAAAAAAAAAAAAAAAAAA')).rejects.toThrow(notFound);
    await expect(
      shareExpense(world.ports, 'bob', { expenseId: id, method: 'EQUAL', participants: [{ email: 'cy@example.com' }] }),
    ).rejects.toThrow(notFound);
    await expect(
      shareExpense(world.ports, 'ada', {
        expenseId: id,
        method: 'EQUAL',
        participants: [{ email: 'bob@example.com' }],
      }),
    ).rejects.toThrow(expect.objectContaining({ errorType: 'Conflict' }));
    // Validation: oneself, twice, too many.
    const invalid = (field: string) =>
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field }) });
    const other = world.givenExpense('ada', 500, 'EUR');
    await expect(
      shareExpense(world.ports, 'ada', {
        expenseId: other,
        method: 'EQUAL',
        participants: [{ email: 'Ada@Example.com' }],
      }),
    ).rejects.toThrow(invalid('participants.0.email'));
    await expect(
      shareExpense(world.ports, 'ada', {
        expenseId: other,
        method: 'EQUAL',
        participants: [{ email: 'bob@example.com' }, { email: 'bob@EXAMPLE.com' }],
      }),
    ).rejects.toThrow(invalid('participants.1.email'));
    await expect(
      shareExpense(world.ports, 'ada', {
        expenseId: other,
        method: 'EQUAL',
        participants: Array.from({ length: 11 }, (_, i) => ({ email: `p${i}@example.com` })),
      }),
    ).rejects.toThrow(invalid('participants'));
    // The same call twice at once (a duplicated request, on an expense not shared before): one notice each, not two.
    const pushed = world.pushes.length;
    const mailed = world.mails.length;
    const brunch = world.givenExpense('ada', 3000, 'EUR');
    const input = {
      expenseId: brunch,
      method: 'EQUAL' as const,
      participants: [{ email: 'bob@example.com' }, { email: NO_ACCOUNT }],
    };
    const [first, second] = await Promise.all([
      shareExpense(world.ports, 'ada', input),
      shareExpense(world.ports, 'ada', input),
    ]);
    expect(second).toEqual(first);
    expect(world.pushes.length - pushed).toBe(1);
    expect(world.mails.length - mailed).toBe(2);
    // A push that fails fails the call, and its retry sends the notice at once (the lease is given back).
    const push = world.ports.push;
    world.ports.push = async () => {
      throw new Error('AppSync is down');
    };
    const tea = {
      expenseId: world.givenExpense('ada', 800, 'EUR'),
      method: 'EQUAL' as const,
      participants: [{ email: 'bob@example.com' }],
    };
    await expect(shareExpense(world.ports, 'ada', tea)).rejects.toThrow('AppSync is down');
    world.ports.push = push;
    await shareExpense(world.ports, 'ada', tea);
    expect(world.pushes.at(-1)).toMatchObject({ kind: 'SHARED', owner: 'bob', amount: 400 });
    // The invitation to an email without an account reads like any other share's email.
    const toDee = world.mails.find((m) => m.to === NO_ACCOUNT)!;
    expect(toDee.text).toContain('your share is ¥333');
    expect(world.pushes.map((p) => p.owner)).toEqual(['bob', 'bob', 'bob']);
  });
});
