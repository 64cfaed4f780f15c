import { describe, expect, it } from 'vitest';
import { SCHEDULES } from '../../infra/schedules.ts';
import { cronMatches, rateMs } from '../../local/scheduler.ts';

/** The local scheduler fires infra's schedules when EventBridge would (UTC). */
describe('local schedules', () => {
  const weekly = SCHEDULES['schedule-reports'].find((s) => s.payload.period === 'WEEKLY')!.expression;
  const monthly = SCHEDULES['schedule-reports'].find((s) => s.payload.period === 'MONTHLY')!.expression;

  it('given the weekly report cron, then it fires Monday 06:00 UTC and at no other minute of that week', () => {
    expect(cronMatches(weekly, new Date('2026-11-23T06:00:00Z'))).toBe(true); // a Monday
    expect(cronMatches(weekly, new Date('2026-11-23T06:01:00Z'))).toBe(false);
    expect(cronMatches(weekly, new Date('2026-11-24T06:00:00Z'))).toBe(false); // Tuesday
    expect(cronMatches(weekly, new Date('2026-11-22T06:00:00Z'))).toBe(false); // Sunday
  });

  it('given the monthly report cron, then it fires on the 1st at 06:00 UTC only', () => {
    expect(cronMatches(monthly, new Date('2026-12-01T06:00:00Z'))).toBe(true);
    expect(cronMatches(monthly, new Date('2026-12-02T06:00:00Z'))).toBe(false);
    expect(cronMatches(monthly, new Date('2026-12-01T07:00:00Z'))).toBe(false);
  });

  it('given rate expressions, then their period is in ms; cron expressions have none', () => {
    expect(rateMs('rate(5 minutes)')).toBe(300_000);
    expect(rateMs('rate(1 hour)')).toBe(3_600_000);
    expect(rateMs(weekly)).toBeNull();
  });
});
