/**
 * What the functions' telemetry promises the infra and the local runtime, as plain data (so
 * they read it without loading Powertools): the business metrics the functions emit and the
 * dashboard charts, and where a scheduled event carries the id of its run.
 */

/**
 * Field of a scheduled event holding its run's id, the correlation id of everything the run
 * logs: EventBridge Scheduler fills it with its execution id, the local scheduler with a UUID.
 */
export const SCHEDULE_RUN_ID_FIELD = 'correlationId';

/** CloudWatch EMF metrics (namespace METRICS_NAMESPACE of config.ts, dimension `service`). */
export const BUSINESS_METRICS = {
  /** A receipt read and recorded as an expense (PROCESSED). */
  receiptsProcessed: { name: 'ReceiptsProcessed', unit: 'Count' },
  /** Read, but merchant, date or total need the owner's check (NEEDS_REVIEW). */
  receiptsNeedingReview: { name: 'ReceiptsNeedingReview', unit: 'Count' },
  /** Could not be read at all (FAILED). */
  receiptsFailed: { name: 'ReceiptsFailed', unit: 'Count' },
  /** One Textract AnalyzeExpense call, parsing included. */
  ocrDuration: { name: 'OcrDuration', unit: 'Milliseconds' },
  /** Receipts accepted for upload (presigned or inline). */
  receiptUploads: { name: 'ReceiptUploads', unit: 'Count' },
  budgetAlertsSent: { name: 'BudgetAlertsSent', unit: 'Count' },
  reportsSent: { name: 'ReportsSent', unit: 'Count' },
  reportsFailed: { name: 'ReportsFailed', unit: 'Count' },
  usersCreated: { name: 'UsersCreated', unit: 'Count' },
} as const;

export type BusinessMetric = keyof typeof BUSINESS_METRICS;
