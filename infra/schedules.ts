/**
 * The scheduled triggers of model/functions.ts (`schedule-*`): when each fires and the
 * event the function receives. Plain data, so a local scheduler can send the same events.
 */
export interface ScheduleDefinition {
  /** Construct id and schedule name. */
  name: string;
  /** EventBridge Scheduler expression, in UTC. */
  expression: string;
  payload: Record<string, unknown>;
}

export const SCHEDULES: Readonly<
  Record<
    | 'schedule-reports'
    | 'schedule-sweep'
    | 'schedule-job-sweep'
    | 'schedule-rates'
    | 'schedule-retention'
    | 'schedule-recurring',
    readonly ScheduleDefinition[]
  >
> = {
  // Jobs (exports, report emails, account jobs) and statement imports whose start was lost or whose
  // run crashed are run again (model/jobs.ts, model/statements.ts), each by the function that runs them.
  'schedule-job-sweep': [{ name: 'SweepPendingJobs', expression: 'rate(5 minutes)', payload: { action: 'sweepJobs' } }],
  // The ECB publishes its reference rates once a working day, around 16:00 CET: RatesFn stores
  // what is new (the snapshot shipped with the code past the newest stored month, then the
  // feed's last 90 days). A rate, so the local scheduler also runs it at every start.
  'schedule-rates': [{ name: 'RefreshRates', expression: 'rate(3 hours)', payload: { action: 'refreshRates' } }],
  // Receipt images past their owner's retention are deleted (AccountFn; functions/account/retention.ts), daily at 03:00 UTC.
  'schedule-retention': [
    { name: 'SweepExpiredImages', expression: 'cron(0 3 * * ? *)', payload: { action: 'sweepExpiredImages' } },
  ],
  // Confirmed recurring rules whose next charge is due are judged, daily at 06:00 UTC (RecurringFn;
  // functions/recurring/check.ts): a missed or repriced charge is emailed to its owner, once.
  'schedule-recurring': [
    { name: 'CheckRecurringCharges', expression: 'cron(0 6 * * ? *)', payload: { action: 'checkRecurring' } },
  ],
  // Receipts whose S3 event was lost or whose OCR run crashed are re-driven (ProcessReceiptFn `sweep`).
  'schedule-sweep': [{ name: 'SweepStuckReceipts', expression: 'rate(5 minutes)', payload: { action: 'sweep' } }],
  // Report emails for users who asked for them, every hour on the hour: each run sends to the users
  // whose Monday (or 1st) morning it is in their own timezone (functions/report/report-periods.ts),
  // so every UTC offset gets its report at 07:00-08:00 local time, and a failed send is retried
  // by the next run the same day. A cron, not a rate: the local scheduler does not fire it at start.
  'schedule-reports': [
    {
      name: 'WeeklyReports',
      expression: 'cron(0 * * * ? *)',
      payload: { action: 'scheduledReports', period: 'WEEKLY' },
    },
    {
      name: 'MonthlyReports',
      expression: 'cron(0 * * * ? *)',
      payload: { action: 'scheduledReports', period: 'MONTHLY' },
    },
  ],
};
