import { describe, expect, it } from 'vitest';
import { expenseSummary, sendReport, type ReportDeps, type ReportProfile } from '../../../../functions/report/core.ts';
import type { ForecastRule } from '../../../../functions/shared/budgets/core.ts';
import type { BudgetItem } from '../../../../model/budgets.ts';
import { NO_RATES } from '../../../support/memory-rates.ts';

/** An on-demand report without a date: the last complete period in the user's timezone, kept under that period's key. */
function deps(profile: ReportProfile, now: string) {
  const stored: string[] = [];
  const d = {
    expensePages: async function* () {
      yield [];
    },
    profile: async (owner: string) => (owner === profile.user_id ? profile : null),
    budgets: { budgets: async () => [], expensePages: async function* () {} },
    receiptLinks: async () => new Map(),
    objects: {
      put: async (key: string) => void stored.push(key),
      upload: async () => undefined,
      presignGet: async () => '',
      list: async () => ({ items: [], truncated: false }),
    },
    sendRawEmail: async () => 'm-1',
    sender: 'reports@example.test',
    now: () => new Date(now),
    log: () => undefined,
  } as unknown as ReportDeps;
  return { deps: d, stored };
}

describe('sendReport without a date', () => {
  // 1 December 2026, 05:00 UTC is still 30 November in Los Angeles, already 1 December in Kiritimati;
  // Monday 30 November 05:00 UTC is still Sunday in Los Angeles.
  it.each([
    ['America/Los_Angeles', 'MONTHLY', '2026-12-01T05:00:00Z', '2026-10-01', '2026-10-31'],
    ['Pacific/Kiritimati', 'MONTHLY', '2026-12-01T05:00:00Z', '2026-11-01', '2026-11-30'],
    ['America/Los_Angeles', 'WEEKLY', '2026-11-30T05:00:00Z', '2026-11-16', '2026-11-22'],
    ['Pacific/Kiritimati', 'WEEKLY', '2026-11-30T05:00:00Z', '2026-11-23', '2026-11-29'],
  ] as const)(
    'given a user in %s, when a %s report is sent at %s, then it covers %s to %s',
    async (timezone, period, now, from, to) => {
      const { deps: d, stored } = deps({ user_id: 'u1', email: 'u1@example.test', timezone }, now);
      expect(await sendReport(d, 'u1', period, undefined)).toMatchObject({ periodStart: from, periodEnd: to });
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatch(new RegExp(`^reports/u1/\\d{8}-${period}-${from}\\.eml$`));
    },
  );

  it('given a date, then the period containing it; given a bad one, a ValidationError', async () => {
    const { deps: d } = deps({ user_id: 'u1', email: 'u1@example.test', timezone: 'UTC' }, '2026-12-01T05:00:00Z');
    expect(await sendReport(d, 'u1', 'MONTHLY', '2026-12-01')).toMatchObject({
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
    });
    await expect(sendReport(d, 'u1', 'MONTHLY', '2026-02-30')).rejects.toMatchObject({
      errorType: 'ValidationError',
      errorInfo: { field: 'date' },
    });
    await expect(sendReport(d, 'someone-else', 'MONTHLY', null)).rejects.toMatchObject({ errorType: 'NotFound' });
  });

  it('given a day whose period would leave four-digit years (9999-12-31) or one before 1970, then a ValidationError with the range, not an internal error', async () => {
    const { deps: d } = deps({ user_id: 'u1', email: 'u1@example.test', timezone: 'UTC' }, '2026-12-01T05:00:00Z');
    for (const date of ['9999-12-31', '1969-12-31'])
      await expect(sendReport(d, 'u1', 'WEEKLY', date)).rejects.toMatchObject({
        errorType: 'ValidationError',
        errorInfo: { field: 'date', min: '1970-01-01', max: '9998-12-31' },
      });
  });
});

describe('budgets in a summary', () => {
  const budget: BudgetItem = {
    user_id: 'u1',
    budget_id: 'ENTERTAINMENT-MONTHLY',
    name: 'Fun',
    category: 'ENTERTAINMENT',
    period: 'MONTHLY',
    amount: 5000,
    currency: 'EUR',
    thresholds: [80],
    rollover: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  };
  /** A subscription of 17.99 EUR on the 25th of each month, confirmed from its ENTERTAINMENT charges. */
  const netflix: ForecastRule = {
    id: 'MONTHLY#EUR#netflixcom',
    merchantKey: 'netflixcom',
    currency: 'EUR',
    cadence: 'MONTHLY',
    amount: 1799,
    tolerancePercent: 10,
    anchorDay: 25,
    anchorMonth: 1,
    lastDate: '2026-10-25',
    category: 'ENTERTAINMENT',
  };
  function summaryDeps(now: string) {
    const ruleReads: string[] = [];
    const d = {
      expensePages: async function* () {
        yield [];
      },
      profile: async () => ({ user_id: 'u1', email: 'u1@example.test', timezone: 'UTC', homeCurrency: 'EUR' }),
      budgets: {
        budgets: async () => [budget],
        expensePages: async function* () {
          yield [];
        },
        rates: NO_RATES,
        recurringRules: async (owner: string) => (ruleReads.push(owner), [netflix]),
      },
      now: () => new Date(now),
    } as unknown as ReportDeps;
    return { deps: d, ruleReads };
  }

  it("given a confirmed rule, when this month's summary is read on the 10th, then the budget's forecast counts its charge on the 25th", async () => {
    const { deps: d, ruleReads } = summaryDeps('2026-11-10T12:00:00Z');
    const summary = await expenseSummary(d, 'u1', '2026-11-01', '2026-11-30');
    expect(summary.budgetsAsOf).toBe('2026-11-10');
    expect(summary.budgets.map((b) => b.status.forecast)).toEqual([1799]);
    expect(ruleReads).toEqual(['u1']);
  });

  it('given a summary of a past month, then its forecasts are at the rate of that month and no rules are read (what they were then is not known)', async () => {
    const { deps: d, ruleReads } = summaryDeps('2026-12-10T12:00:00Z');
    const summary = await expenseSummary(d, 'u1', '2026-11-01', '2026-11-20');
    expect(summary.budgetsAsOf).toBe('2026-11-20');
    expect(summary.budgets.map((b) => b.status.forecast)).toEqual([0]);
    expect(ruleReads).toEqual([]);
  });
});
