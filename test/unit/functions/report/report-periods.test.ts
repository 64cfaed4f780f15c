import { describe, expect, it } from 'vitest';
import {
  lastCompletePeriod,
  localTimeIn,
  scheduledPeriodDue,
  type ReportPeriod,
} from '../../../../functions/report/report-periods.ts';

/**
 * When the hourly scheduled run owes a user their report: Monday (weekly) or the 1st
 * (monthly) from 07:00 in the user's own timezone, the last complete period there. Checked by
 * simulating every hourly run over DST changes against a brute-force reading of the local
 * clock (toLocaleString, not the code under test).
 */
const ZONES = [
  'UTC',
  'Pacific/Honolulu', // UTC−10, no DST
  'Pacific/Kiritimati', // UTC+14: Monday morning there is Sunday afternoon in UTC
  'America/Los_Angeles',
  'America/New_York',
  'America/St_Johns', // −3:30 / −2:30
  'Europe/London',
  'Europe/Paris',
  'Asia/Kathmandu', // +5:45
  'Australia/Lord_Howe', // DST of 30 minutes
  'Pacific/Chatham', // +13:45 / +12:45
  'Pacific/Auckland',
];

/** The local weekday, day of month, hour, minute and date at `instant`, read the slow way. */
function clockOf(timezone: string, instant: Date) {
  const text = instant.toLocaleString('en-US', {
    timeZone: timezone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  const [, weekday, month, day, year, hour, minute] = /^(\w+), (\d+)\/(\d+)\/(\d+), (\d+):(\d+)$/.exec(text)!;
  return {
    weekday,
    day: Number(day),
    hour: Number(hour) % 24,
    minute: Number(minute),
    date: `${year}-${month}-${day}`,
  };
}

const dayBefore = (date: string, days = 1) =>
  new Date(Date.parse(`${date}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** Every hourly run (on the hour, UTC) from `from` to `to`, each sending to whoever is owed and not yet sent. */
function simulateHourlyRuns(period: ReportPeriod, timezone: string, from: string, to: string) {
  const sent = new Map<string, Date>();
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T23:00:00Z`); t += 3_600_000) {
    const due = scheduledPeriodDue(period, timezone, new Date(t));
    if (due && !sent.has(`${due.from}..${due.to}`)) sent.set(`${due.from}..${due.to}`, new Date(t));
  }
  return sent;
}

describe('scheduled report timing', () => {
  // Spring and autumn DST changes: US 8 Mar and 1 Nov, EU 29 Mar and 25 Oct, Lord Howe and Chatham 5 Apr and 27 Sep 2026.
  const WINDOWS = [
    ['2026-02-25', '2026-04-12'],
    ['2026-09-20', '2026-11-10'],
  ];

  it.each(ZONES)(
    'given a weekly subscriber in %s, when every hourly run goes by, then each week is sent once, on Monday at the first run from 07:00 local',
    (timezone) => {
      for (const [from, to] of WINDOWS) {
        const sent = simulateHourlyRuns('WEEKLY', timezone, from, to);
        expect(sent.size).toBeGreaterThanOrEqual(6);
        for (const [range, at] of sent) {
          const clock = clockOf(timezone, at);
          expect(clock.weekday).toBe('Mon');
          expect(clock.hour).toBe(7); // the first run at or after 07:00 (07:00, 07:30 or 07:45 with the zone's offset)
          expect(clockOf(timezone, new Date(at.getTime() - 3_600_000)).hour).toBeLessThan(7);
          // The week that ended the Sunday just before, in the user's calendar.
          expect(range).toBe(`${dayBefore(clock.date, 7)}..${dayBefore(clock.date)}`);
        }
        // No week skipped between the first and the last sent.
        const starts = [...sent.keys()].map((r) => r.slice(0, 10));
        for (let i = 1; i < starts.length; i += 1) expect(dayBefore(starts[i], 7)).toBe(starts[i - 1]);
      }
    },
  );

  it.each(ZONES)(
    'given a monthly subscriber in %s, when every hourly run goes by, then each month is sent once, on the 1st at the first run from 07:00 local',
    (timezone) => {
      const sent = simulateHourlyRuns('MONTHLY', timezone, '2026-09-25', '2027-01-05');
      expect([...sent.keys()]).toEqual([
        '2026-09-01..2026-09-30',
        '2026-10-01..2026-10-31',
        '2026-11-01..2026-11-30',
        '2026-12-01..2026-12-31',
      ]);
      for (const at of sent.values()) {
        const clock = clockOf(timezone, at);
        expect([clock.day, clock.hour]).toEqual([1, 7]);
      }
    },
  );

  it('given the audit cases, then Los Angeles gets the week just ended on Monday morning and October on 1 November (a DST day), not a day early or a week late', () => {
    // Monday 23 Nov 2026 06:00 UTC is still Sunday evening in Los Angeles: nothing is owed yet.
    expect(scheduledPeriodDue('WEEKLY', 'America/Los_Angeles', new Date('2026-11-23T06:00:00Z'))).toBeNull();
    expect(scheduledPeriodDue('WEEKLY', 'America/Los_Angeles', new Date('2026-11-23T14:00:00Z'))).toBeNull(); // 06:00 PST
    expect(scheduledPeriodDue('WEEKLY', 'America/Los_Angeles', new Date('2026-11-23T15:00:00Z'))).toEqual({
      from: '2026-11-16',
      to: '2026-11-22',
    });
    expect(scheduledPeriodDue('WEEKLY', 'America/Los_Angeles', new Date('2026-11-24T08:00:00Z'))).toBeNull(); // midnight Tuesday: the window closed
    // 1 Nov 2026: clocks go back at 02:00 PDT; 07:00 PST is 15:00 UTC.
    expect(scheduledPeriodDue('MONTHLY', 'America/Los_Angeles', new Date('2026-11-01T14:00:00Z'))).toBeNull();
    expect(scheduledPeriodDue('MONTHLY', 'America/Los_Angeles', new Date('2026-11-01T15:00:00Z'))).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
    });
    // UTC+14: Monday 07:00 in Kiritimati is Sunday 17:00 UTC.
    expect(scheduledPeriodDue('WEEKLY', 'Pacific/Kiritimati', new Date('2026-11-22T17:00:00Z'))).toEqual({
      from: '2026-11-16',
      to: '2026-11-22',
    });
  });

  it('given an unknown timezone, then the user is scheduled in UTC rather than dropped', () => {
    expect(scheduledPeriodDue('WEEKLY', 'Mars/Olympus_Mons', new Date('2026-11-23T07:00:00Z'))).toEqual({
      from: '2026-11-16',
      to: '2026-11-22',
    });
    expect(localTimeIn('Mars/Olympus_Mons', new Date('2026-11-23T07:30:00Z'))).toEqual({
      date: '2026-11-23',
      minutes: 450,
    });
  });

  it('given today, then the last complete period is the one before the period containing it', () => {
    expect(lastCompletePeriod('MONTHLY', '2026-03-01')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(lastCompletePeriod('MONTHLY', '2027-01-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(lastCompletePeriod('WEEKLY', '2027-01-03')).toEqual({ from: '2026-12-21', to: '2026-12-27' });
  });
});
