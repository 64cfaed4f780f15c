import { TABLES } from '../../infra/tables.ts';

/**
 * Function configuration, read from the environment in this one place. Infra sets these
 * variables on AWS; the local runtime sets the same ones. Read on use, not at import, so a
 * test or the local stack can set the environment first.
 */
function env(name: string, fallback?: string): string {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`Missing environment variable ${name}`);
}

/** Physical table name of a table of infra/tables.ts (from its env var). */
export function tableName(logicalName: (typeof TABLES)[number]['logicalName']): string {
  const table = TABLES.find((t) => t.logicalName === logicalName)!;
  return env(table.envVar, logicalName);
}

/** CloudWatch namespace of the functions' metrics; infra sets POWERTOOLS_METRICS_NAMESPACE to it. */
export const METRICS_NAMESPACE = 'SmartExpenseTracker';

export const config = {
  /**
   * Powertools `service` of every log line, metric and trace: POWERTOOLS_SERVICE_NAME, which
   * infra sets per function; locally, where all functions share one process, the function's own name.
   */
  serviceName(localName: string) {
    return env('POWERTOOLS_SERVICE_NAME', localName);
  },
  get metricsNamespace() {
    return env('POWERTOOLS_METRICS_NAMESPACE', METRICS_NAMESPACE);
  },
  get region() {
    return env('AWS_REGION', 'us-east-1');
  },
  get receiptsBucket() {
    return env('RECEIPTS_BUCKET');
  },
  /** Largest receipt accepted, in bytes (Textract's synchronous limit is 10 MB). */
  get maxReceiptBytes() {
    return Number(env('MAX_RECEIPT_BYTES', String(10 * 1024 * 1024)));
  },
  /** Path-style S3 URLs: needed by S3-compatible stand-ins, harmless on AWS. */
  get s3ForcePathStyle() {
    return env('S3_FORCE_PATH_STYLE', 'false') === 'true';
  },
  get comprehendEnabled() {
    return env('COMPREHEND_ENABLED', 'false') === 'true';
  },
  /** Below this OCR confidence (0..1), merchant, date or total send a receipt to review. */
  get reviewConfidence() {
    return Number(env('REVIEW_CONFIDENCE', '0.6'));
  },
  /** How long one OCR run may hold a receipt before another run may take it over. */
  get processingLeaseMs() {
    return Number(env('PROCESSING_LEASE_MS', '120000'));
  },
  get senderEmail() {
    return env('SENDER_EMAIL', 'reports@expense-tracker.local');
  },
  get graphqlUrl() {
    return env('GRAPHQL_URL');
  },
  /** Name of the function that processes receipts, for reprocess requests. */
  get processReceiptFunction() {
    return env('PROCESS_RECEIPT_FUNCTION', 'ProcessReceiptFn');
  },
};
