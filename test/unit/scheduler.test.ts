import { describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../infra/schedules.ts';
import { cronMatches, rateMs } from '../../local/scheduler.ts';

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
