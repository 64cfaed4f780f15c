import { describe, expect, it } from 'vitest';
import { runScheduledReports, type ReportDeps, type ReportProfile } from '../../../functions/report/core.ts';

/** The scheduled run: every subscribed user gets last period's report once; one failure stops nobody else. */
function memoryDeps(users: ReportProfile[], failFor: string[] = []) {
  const claims = new Map<string, string>();
  const sent: string[] = [];
  const deps: ReportDeps = {
    expensePages: async function* () {
      yield [{ expense_id: 'e', merchant: 'Shop', amount: 100, currency: 'EUR', date: '2026-11-18', category: 'OTHER' }];
    },
    profile: async (owner) => users.find((u) => u.user_id === owner) ?? null,
    objects: { put: async () => undefined, presignGet: async (key) => `https://example.test/${key}`, list: async () => ({ items: [], nextToken: null }) },
    sendRawEmail: async (raw) => {
      const to = /^To: (.+)$/m.exec(raw.toString())![1].trim();
      if (failFor.includes(to)) throw new Error('SES throttled');
      sent.push(to);
      return `m-${sent.length}`;
    },
    subscribers: async function* () {
      yield users.slice(0, 2);
      yield users.slice(2);
    },
    claimScheduledSend: async (owner, period, start) => {
      if ((claims.get(`${owner}/${period}`) ?? '') >= start) return false;
      claims.set(`${owner}/${period}`, start);
      return true;
    },
    releaseScheduledSend: async (owner, period) => void claims.delete(`${owner}/${period}`),
    sender: 'reports@example.test',
    now: () => new Date('2026-11-23T06:00:00Z'), // Monday 06:00 UTC, when the weekly schedule fires
    log: () => undefined,
  };
  return { deps, sent, claims };
}

const users: ReportProfile[] = [
  { user_id: 'a', email: 'a@example.test', timezone: 'Europe/Paris' },
  { user_id: 'b', email: 'b@example.test', timezone: 'America/Los_Angeles' },
  { user_id: 'c', email: 'c@example.test', timezone: 'Pacific/Auckland' },
];

describe('scheduled reports', () => {
  it('given three subscribers over two pages, when the weekly run repeats, then each gets last week once', async () => {
    const { deps, sent, claims } = memoryDeps(users);
    expect(await runScheduledReports(deps, 'WEEKLY')).toEqual({ sent: 3, skipped: 0, failed: 0 });
    expect(await runScheduledReports(deps, 'WEEKLY')).toEqual({ sent: 0, skipped: 3, failed: 0 });
    expect(sent.sort()).toEqual(['a@example.test', 'b@example.test', 'c@example.test']);
    // "Last week" is the user's: in Los Angeles it is still Sunday the 22nd, so the week before that one.
    expect(claims.get('a/WEEKLY')).toBe('2026-11-16');
    expect(claims.get('b/WEEKLY')).toBe('2026-11-09');
    expect(claims.get('c/WEEKLY')).toBe('2026-11-16');
  });

  it('given one failing send, then the others are sent and the failed one is retried by the next run', async () => {
    const { deps, sent } = memoryDeps(users, ['b@example.test']);
    expect(await runScheduledReports(deps, 'WEEKLY')).toEqual({ sent: 2, skipped: 0, failed: 1 });
    expect(sent).not.toContain('b@example.test');
    const retry = memoryDeps(users);
    Object.assign(deps, { sendRawEmail: retry.deps.sendRawEmail });
    expect(await runScheduledReports(deps, 'WEEKLY')).toEqual({ sent: 1, skipped: 2, failed: 0 });
    expect(retry.sent).toEqual(['b@example.test']);
  });
});
