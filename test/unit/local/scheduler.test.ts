import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FUNCTIONS } from '../../../model/functions.ts';
import { SCHEDULES, type ScheduleDefinition } from '../../../infra/schedules.ts';
import type { LocalLambda } from '../../../local/lambda.ts';
import {
  cronMatches,
  lastCronFiring,
  rateMs,
  startLocalScheduler,
  type LocalScheduler,
} from '../../../local/scheduler.ts';

/** The local scheduler fires infra's schedules when EventBridge would (UTC). */
describe('local schedules', () => {
  const weekly = SCHEDULES['schedule-reports'].find((s) => s.payload.period === 'WEEKLY')!.expression;
  const monthly = SCHEDULES['schedule-reports'].find((s) => s.payload.period === 'MONTHLY')!.expression;

  it('given the report crons, then they fire every hour on the hour, every day (the run picks who is due in their own timezone)', () => {
    for (const expression of [weekly, monthly]) {
      expect(cronMatches(expression, new Date('2026-11-23T06:00:00Z'))).toBe(true); // a Monday
      expect(cronMatches(expression, new Date('2026-11-22T17:00:00Z'))).toBe(true); // Sunday: Monday morning in Kiritimati
      expect(cronMatches(expression, new Date('2026-12-01T15:00:00Z'))).toBe(true);
      expect(cronMatches(expression, new Date('2026-11-23T06:01:00Z'))).toBe(false);
      expect(cronMatches(expression, new Date('2026-11-23T06:30:00Z'))).toBe(false);
    }
  });

  it('given rate expressions, then their period is in ms; cron expressions have none', () => {
    expect(rateMs('rate(5 minutes)')).toBe(300_000);
    expect(rateMs('rate(1 hour)')).toBe(3_600_000);
    expect(rateMs(weekly)).toBeNull();
  });
});

/**
 * The local scheduler across restarts, with fixed schedules (whatever infra/schedules.ts holds
 * today): a 5-minute sweep, a weekly and a monthly report. Time is simulated.
 */
describe('local scheduler across restarts', () => {
  const TEST_SCHEDULES: Readonly<Record<keyof typeof SCHEDULES, readonly ScheduleDefinition[]>> = {
    'schedule-sweep': [{ name: 'Sweep', expression: 'rate(5 minutes)', payload: { action: 'sweep' } }],
    'schedule-job-sweep': [],
    'schedule-retention': [],
    'schedule-recurring': [],
    'schedule-rates': [],
    'schedule-reports': [
      { name: 'Weekly', expression: 'cron(0 6 ? * MON *)', payload: { action: 'scheduledReports', period: 'WEEKLY' } },
      { name: 'Monthly', expression: 'cron(0 6 1 * ? *)', payload: { action: 'scheduledReports', period: 'MONTHLY' } },
    ],
  };
  let dataDir: string;
  let invoked: Array<{ name: string; payload: Record<string, unknown> }>;
  let running: LocalScheduler | undefined;
  const lambda = {
    triggered: (trigger: string) => FUNCTIONS.filter((f) => f.triggers?.includes(trigger as never)),
    invoke: async (name: string, payload: unknown) => {
      invoked.push({ name, payload: payload as Record<string, unknown> });
      return undefined;
    },
  } as unknown as LocalLambda;
  const logged: string[] = [];
  const start = () => {
    running?.stop();
    running = startLocalScheduler(lambda, (line) => logged.push(line), {
      dataDir,
      schedules: TEST_SCHEDULES,
      checkEveryMs: 10_000,
    });
  };
  const saved = () => JSON.parse(readFileSync(path.join(dataDir, 'schedules.json'), 'utf8')) as Record<string, string>;
  const actions = () => invoked.map((i) => `${i.payload.action}${i.payload.period ? `:${i.payload.period}` : ''}`);

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'scheduler-'));
    invoked = [];
    logged.length = 0;
  });
  afterEach(() => {
    running?.stop();
    running = undefined;
    vi.useRealTimers();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a first start, then the sweep runs at once and the reports wait for their time, which is saved', () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T10:00:00Z') }); // a Wednesday
    start();
    expect(actions()).toEqual(['sweep']);
    expect(saved()).toEqual({
      Sweep: '2026-11-25T10:00:00.000Z',
      Weekly: '2026-11-25T10:00:00.000Z',
      Monthly: '2026-11-25T10:00:00.000Z',
    });
  });

  it('given the process was down over a Monday 06:00, when it starts on Wednesday, then the weekly report runs once and the monthly one, not due, does not', () => {
    writeFileSync(
      path.join(dataDir, 'schedules.json'),
      JSON.stringify({
        Sweep: '2026-11-10T09:58:00Z',
        Weekly: '2026-11-10T06:00:00Z',
        Monthly: '2026-11-02T06:00:00Z',
      }),
    );
    vi.useFakeTimers({ now: new Date('2026-11-25T10:00:00Z') }); // two Mondays missed (16th and 23rd)
    start();
    expect(actions().sort()).toEqual(['scheduledReports:WEEKLY', 'sweep']);
    expect(saved().Weekly).toBe('2026-11-25T10:00:00.000Z');
    expect(saved().Monthly).toBe('2026-11-02T06:00:00Z');

    // Restarted a minute later: no report is owed any more (the sweep runs at every start).
    invoked = [];
    vi.advanceTimersByTime(60_000);
    start();
    expect(actions()).toEqual(['sweep']);
  });

  it('given the sweep ran 2 minutes before a restart (a crash, maybe), then it runs at start, and again 5 minutes later, while the reports wait', () => {
    writeFileSync(
      path.join(dataDir, 'schedules.json'),
      JSON.stringify({
        Sweep: '2026-11-25T09:58:00.000Z',
        Weekly: '2026-11-25T09:58:00.000Z',
        Monthly: '2026-11-25T09:58:00.000Z',
      }),
    );
    vi.useFakeTimers({ now: new Date('2026-11-25T10:00:00Z') });
    start();
    expect(actions()).toEqual(['sweep']);
    expect(saved().Sweep).toBe('2026-11-25T10:00:00.000Z');
    vi.advanceTimersByTime(4 * 60_000 + 50_000);
    expect(actions()).toEqual(['sweep']);
    vi.advanceTimersByTime(10_000);
    expect(actions()).toEqual(['sweep', 'sweep']);
  });

  it('given a running process, when Monday 06:00 UTC comes, then the weekly report runs once, with a new run id each run', () => {
    vi.useFakeTimers({ now: new Date('2026-11-23T05:58:00Z') }); // a Monday
    start();
    vi.advanceTimersByTime(10 * 60_000);
    const weekly = invoked.filter((i) => i.payload.period === 'WEEKLY');
    expect(weekly).toHaveLength(1);
    expect(weekly[0].payload).toMatchObject({
      action: 'scheduledReports',
      period: 'WEEKLY',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const sweeps = invoked.filter((i) => i.payload.action === 'sweep');
    expect(sweeps).toHaveLength(3); // at start, after 5 and after 10 minutes
    expect(new Set(invoked.map((i) => i.payload.correlationId)).size).toBe(invoked.length);
  });

  it('given a damaged state file, then it starts afresh and says so', () => {
    writeFileSync(path.join(dataDir, 'schedules.json'), '{ not json');
    vi.useFakeTimers({ now: new Date('2026-11-25T10:00:00Z') });
    start();
    expect(actions()).toEqual(['sweep']);
    expect(logged.join('\n')).toMatch(/schedules\.json is not a schedule state/);
  });

  it('given a long outage, then the latest due minute is found within the year back and none after the last run', () => {
    const monthly = 'cron(0 6 1 * ? *)';
    expect(lastCronFiring(monthly, new Date('2024-01-01T00:00:00Z'), new Date('2026-11-25T10:00:00Z'))).toEqual(
      new Date('2026-11-01T06:00:00Z'),
    );
    expect(lastCronFiring(monthly, new Date('2026-11-01T06:00:00Z'), new Date('2026-11-25T10:00:00Z'))).toBeNull();
    expect(
      lastCronFiring('cron(30 * * * ? *)', new Date('2026-11-25T09:10:00Z'), new Date('2026-11-25T10:29:59Z')),
    ).toEqual(new Date('2026-11-25T09:30:00Z'));
  });
});
