/**
 * The scheduled triggers of functions/catalog.ts (`schedule-*`): when each fires and the
 * event the function receives. Plain data, so a local scheduler can send the same events.
 */
export interface ScheduleDefinition {
  /** Construct id and schedule name. */
  name: string;
  /** EventBridge Scheduler expression, in UTC. */
  expression: string;
  payload: Record<string, unknown>;
}

export const SCHEDULES: Readonly<Record<'schedule-reports' | 'schedule-sweep', readonly ScheduleDefinition[]>> = {
  // Receipts whose S3 event was lost or whose OCR run crashed are re-driven (ProcessReceiptFn `sweep`).
  'schedule-sweep': [{ name: 'SweepStuckReceipts', expression: 'rate(5 minutes)', payload: { action: 'sweep' } }],
  // Report emails for users who asked for them, every hour on the hour: each run sends to the users
  // whose Monday (or 1st) morning it is in their own timezone (functions/report/report-periods.ts),
  // so every UTC offset gets its report at 07:00-08:00 local time, and a failed send is retried
  // by the next run the same day. A cron, not a rate: the local scheduler does not fire it at start.
  'schedule-reports': [
    { name: 'WeeklyReports', expression: 'cron(0 * * * ? *)', payload: { action: 'scheduledReports', period: 'WEEKLY' } },
    { name: 'MonthlyReports', expression: 'cron(0 * * * ? *)', payload: { action: 'scheduledReports', period: 'MONTHLY' } },
  ],
};
