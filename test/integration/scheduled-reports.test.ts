import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBudgetStore } from '../../functions/shared/budgets/dynamo-adapters.ts';
import {
  runScheduledReports,
  ScheduledReportsFailed,
  type ReportDeps,
  type ScheduledOutcome,
} from '../../functions/report/core.ts';
import { createReportStore } from '../../functions/report/dynamo-adapters.ts';
import { expensePages } from '../../functions/shared/expense-pages.ts';
import { categoryDateOf } from '../../model/expenses.ts';
import { givenLocalDynamoDb, type TestDynamoDb } from '../support/local-dynamodb.ts';
import { NO_RATES } from '../support/memory-rates.ts';

/**
 * The hourly scheduled run against a real DynamoDB protocol (dynalite): the send lease on the
 * user's item, subscribers read a page at a time from the sparse index, and what a failure,
 * a retry of the run, a crash mid-user or a short invocation do. Only S3 and SES are in memory.
 */
let dynamo: TestDynamoDb;
let db: DynamoDBDocumentClient;
let userCount = 0;

beforeAll(async () => {
  dynamo = await givenLocalDynamoDb('scheduled-reports');
  db = dynamo.db;
});

afterAll(async () => {
  await dynamo?.stop();
});

/** Given weekly subscribers (fresh ids per test), each with an expense in the week of 16–22 Nov 2026. */
async function givenWeeklySubscribers(timezones: string[]) {
  const users = timezones.map((timezone) => ({
    user_id: `user-${++userCount}`,
    email: `user-${userCount}@example.test`,
    timezone,
    weeklyReport: 'Y',
  }));
  for (const user of users) {
    await db.send(new PutCommand({ TableName: 'Users', Item: user }));
    await db.send(
      new PutCommand({
        TableName: 'Expenses',
        Item: {
          user_id: user.user_id,
          expense_id: `e-${user.user_id}`,
          merchant: 'Shop',
          amount: 1250,
          currency: 'EUR',
          date: '2026-11-18',
          category: 'OTHER',
          category_date: categoryDateOf('OTHER', '2026-11-18'),
        },
      }),
    );
  }
  return users;
}

interface World {
  deps: ReportDeps;
  sent: string[];
  failFor: Set<string>;
  hangFor: Set<string>;
  at(iso: string): void;
}

/** The run's ports: the real DynamoDB store (pages of 2, so every run crosses pages), S3 and SES in memory. */
function world(): World {
  const store = createReportStore(db, { users: 'Users', receipts: 'Receipts' });
  const budgets = createBudgetStore(db, { budgets: 'Budgets', expenses: 'Expenses', users: 'Users' });
  const w: World = {
    sent: [],
    failFor: new Set(),
    hangFor: new Set(),
    at: () => undefined,
    deps: undefined as unknown as ReportDeps,
  };
  let now = new Date();
  w.at = (iso) => void (now = new Date(iso));
  w.deps = {
    expensePages: (owner, from, to) => expensePages(db, 'Expenses', owner, from, to),
    profile: store.profile,
    budgets: {
      budgets: budgets.budgets,
      expensePages: budgets.expensePages,
      rates: NO_RATES,
      recurringRules: async () => [],
    },
    receiptLinks: async () => new Map(),
    objects: {
      put: async () => undefined,
      upload: async () => undefined,
      presignGet: async (key) => `https://s3.test/${key}`,
      list: async () => ({ items: [], truncated: false }),
    },
    async sendRawEmail(raw) {
      const to = /^To: (.+)$/m.exec(raw.toString())![1].trim();
      if (w.hangFor.has(to)) return new Promise<string>(() => undefined); // the invocation dies here (timeout, kill)
      if (w.failFor.has(to)) throw new Error('Throttling: Maximum sending rate exceeded');
      w.sent.push(to);
      return `message-${w.sent.length}`;
    },
    schedule: { ...store.schedule, subscribers: (period) => store.schedule.subscribers(period, 2) },
    sender: 'reports@example.test',
    now: () => now,
    log: () => undefined,
  };
  return w;
}

const plenty = { timeLeftMs: () => 100_000, retryDelayMs: 0 };

async function run(w: World, options = plenty): Promise<ScheduledOutcome> {
  return runScheduledReports(w.deps, 'WEEKLY', options);
}

describe('the hourly scheduled run', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it('given subscribers in three timezones over pages, when the runs of a Monday go by, then each gets the week just ended once, at 07:00 their time', async () => {
    const [paris, losAngeles, auckland] = await givenWeeklySubscribers([
      'Europe/Paris',
      'America/Los_Angeles',
      'Pacific/Auckland',
    ]);
    const sentAt: Record<string, string> = {};
    // From Sunday 12:00 UTC to Monday 16:00 UTC, every hour.
    for (let t = Date.parse('2026-11-22T12:00:00Z'); t <= Date.parse('2026-11-23T16:00:00Z'); t += 3_600_000) {
      w.at(new Date(t).toISOString());
      const before = w.sent.length;
      await run(w);
      for (const to of w.sent.slice(before)) sentAt[to] = new Date(t).toISOString();
    }
    expect(sentAt).toMatchObject({
      [auckland.email]: '2026-11-22T18:00:00.000Z', // Monday 07:00 NZDT
      [paris.email]: '2026-11-23T06:00:00.000Z', // Monday 07:00 CET
      [losAngeles.email]: '2026-11-23T15:00:00.000Z', // Monday 07:00 PST
    });
    for (const user of [paris, losAngeles, auckland]) {
      expect(w.sent.filter((to) => to === user.email)).toHaveLength(1);
      const item = (await db.send(new GetCommand({ TableName: 'Users', Key: { user_id: user.user_id } }))).Item!;
      expect(item.lastWeeklyReport).toBe('2026-11-16');
      expect(item.weeklyReportLease).toBeUndefined();
    }
  });

  it('given SES failing for one user at 07:00, when the run ends, then the others are sent, the run throws, and the 08:00 run sends that user once', async () => {
    const users = await givenWeeklySubscribers(['Asia/Tokyo', 'Asia/Tokyo', 'Asia/Tokyo']);
    w.failFor.add(users[1].email);
    w.at('2026-11-22T22:00:00Z'); // Monday 07:00 in Tokyo
    const failed = await run(w).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ScheduledReportsFailed);
    expect((failed as ScheduledReportsFailed).outcome).toMatchObject({ sent: 2, failed: 1 });
    expect(w.sent.sort()).toEqual([users[0].email, users[2].email].sort());

    w.failFor.clear();
    w.at('2026-11-22T23:00:00Z'); // 08:00: the same period is still owed
    expect(await run(w)).toMatchObject({ sent: 1, failed: 0 });
    w.at('2026-11-23T00:00:00Z');
    expect(await run(w)).toMatchObject({ sent: 0, failed: 0 });
    expect(w.sent.filter((to) => to === users[1].email)).toHaveLength(1);
    expect(w.sent).toHaveLength(3);
  });

  it('given a run that threw, when Lambda retries it in the same minute, then only the failed user is sent, and no one twice', async () => {
    const users = await givenWeeklySubscribers(['Asia/Seoul', 'Asia/Seoul', 'Asia/Seoul', 'Asia/Seoul', 'Asia/Seoul']);
    w.failFor.add(users[3].email);
    w.at('2026-11-22T22:00:00Z');
    await expect(run(w)).rejects.toBeInstanceOf(ScheduledReportsFailed);
    expect(w.sent).toHaveLength(4);
    w.failFor.clear();
    w.at('2026-11-22T22:01:00Z');
    expect(await run(w)).toMatchObject({ due: 1, sent: 1 });
    expect(new Set(w.sent).size).toBe(w.sent.length);
    expect(w.sent.sort()).toEqual(users.map((u) => u.email).sort());
  });

  it('given a run that died after leasing a user and before the email went out, then a retry minutes later leaves it, and the next hourly run sends it once', async () => {
    const [user] = await givenWeeklySubscribers(['Europe/Berlin']);
    w.hangFor.add(user.email);
    w.at('2026-11-23T06:00:00Z'); // Monday 07:00 CET
    void run(w); // never finishes: the invocation is gone with its lease held
    for (
      let i = 0;
      i < 100 &&
      !(await db.send(new GetCommand({ TableName: 'Users', Key: { user_id: user.user_id } }))).Item?.weeklyReportLease;
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const retry = world();
    retry.at('2026-11-23T06:03:00Z'); // the dead run might still be sending: hands off
    expect(await run(retry)).toMatchObject({ sent: 0, leasedElsewhere: 1 });
    retry.at('2026-11-23T07:00:00Z'); // 08:00 CET: the lease has expired
    expect(await run(retry)).toMatchObject({ sent: 1 });
    retry.at('2026-11-23T08:00:00Z');
    expect(await run(retry)).toMatchObject({ sent: 0, due: 0 });
    expect(retry.sent).toEqual([user.email]);
  });

  it('given two runs at the same moment (an overlap or a duplicate event), then every user is sent exactly once', async () => {
    const users = await givenWeeklySubscribers([
      'America/Sao_Paulo',
      'America/Sao_Paulo',
      'America/Sao_Paulo',
      'America/Sao_Paulo',
    ]);
    w.at('2026-11-23T10:00:00Z'); // 07:00 in São Paulo
    const outcomes = await Promise.all([run(w), run(w), run(w)]);
    expect(outcomes.reduce((sum, o) => sum + o.sent, 0)).toBe(4);
    expect(w.sent.sort()).toEqual(users.map((u) => u.email).sort());
  });

  it('given an invocation short of time, then users past the budget are deferred, not failed, and the next run sends them', async () => {
    const users = await givenWeeklySubscribers(['Africa/Nairobi', 'Africa/Nairobi', 'Africa/Nairobi']);
    w.at('2026-11-23T04:00:00Z'); // 07:00 in Nairobi
    let left = 30_000;
    // The first send costs the invocation 15 s of its 30 s, leaving less than the 20 s kept in reserve.
    const origin = w.deps.sendRawEmail;
    w.deps.sendRawEmail = async (raw) => {
      left -= 15_000;
      return origin(raw);
    };
    // The second user of the page is deferred; the third, on the next page, is not even read.
    expect(await run(w, { timeLeftMs: () => left, retryDelayMs: 0, concurrency: 1 } as typeof plenty)).toMatchObject({
      sent: 1,
      deferred: 1,
      failed: 0,
    });
    w.deps.sendRawEmail = origin;
    w.at('2026-11-23T05:00:00Z');
    expect(await run(w)).toMatchObject({ sent: 2 });
    expect(w.sent.sort()).toEqual(users.map((u) => u.email).sort());
  });

  it('given recording a sent report failing once, when later runs go by after its lease expires, then the report is not sent again', async () => {
    const [user] = await givenWeeklySubscribers(['Europe/Berlin']);
    const complete = w.deps.schedule.complete;
    let failures = 0;
    w.deps.schedule = {
      ...w.deps.schedule,
      complete: async (...args) =>
        failures++ === 0 ? Promise.reject(new Error('ProvisionedThroughputExceededException')) : complete(...args),
    };
    w.at('2026-11-23T06:00:00Z'); // Monday 07:00 CET
    expect(await run(w)).toMatchObject({ sent: 1, failed: 0 });
    expect(failures).toBe(2); // the failed write, then its retry
    w.at('2026-11-23T07:00:00Z');
    expect(await run(w)).toMatchObject({ sent: 0 });
    w.at('2026-11-23T08:00:00Z');
    expect(await run(w)).toMatchObject({ sent: 0 });
    expect(w.sent).toEqual([user.email]);
  });
});
