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
  // Report emails for users who asked for them; each user's timezone decides the period inside.
  'schedule-reports': [
    { name: 'WeeklyReports', expression: 'cron(0 6 ? * MON *)', payload: { action: 'scheduledReports', period: 'WEEKLY' } },
    { name: 'MonthlyReports', expression: 'cron(0 6 1 * ? *)', payload: { action: 'scheduledReports', period: 'MONTHLY' } },
  ],
};
