import { METRICS_NAMESPACE } from '../../model/telemetry.ts';
import { TABLES } from '../../model/tables.ts';

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

/** Physical table name of a table of model/tables.ts (from its env var). */
export function tableName(logicalName: (typeof TABLES)[number]['logicalName']): string {
  const table = TABLES.find((t) => t.logicalName === logicalName)!;
  return env(table.envVar, logicalName);
}

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
  /**
   * How long after an expense change budgets are looked at once more, when the indexes show
   * every write made before it (DynamoDB GSIs propagate in well under a second); 0 where the
   * indexes are updated with the table (the local DynamoDB), which skips that second look.
   */
  get indexSettleMs() {
    return Number(env('INDEX_SETTLE_MS', '1500'));
  },
  /** How long an OCR run's lease on a receipt lasts; the run renews it every third of that while it works. */
  get processingLeaseMs() {
    return Number(env('PROCESSING_LEASE_MS', '30000'));
  },
  /** Runs per receipt and stage before giving up (reading: FAILED with the last reason). */
  get processingMaxAttempts() {
    return Number(env('PROCESSING_MAX_ATTEMPTS', '5'));
  },
  /**
   * Leases (on receipts in OCR, on budget alerts being delivered) taken before this instant
   * are void: set by a runner that knows every earlier run is gone (the local stack, which
   * runs every function in its own process, to its start). Unset on AWS, where leases simply
   * run out.
   */
  get processingLeasesVoidBefore(): Date | null {
    const value = env('PROCESSING_LEASES_VOID_BEFORE', '');
    return value ? new Date(value) : null;
  },
  /**
   * Refuse forwarded mail whose sender SES could not authenticate (SPF, DKIM, DMARC). Off only
   * under `npm start`, whose SMTP listener has no DNS to check them and takes the From as given.
   */
  get inboundRequireSenderAuth() {
    return env('INBOUND_REQUIRE_SENDER_AUTH', 'true') !== 'false';
  },
  /** The domain forwarding addresses are made at (SES receives for it; the local SMTP listener locally). */
  get inboundEmailDomain() {
    return env('INBOUND_EMAIL_DOMAIN', 'receipts.expense-tracker.local');
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
  /** The user pool and its app client: account deletion checks passwords with them and deletes sign-in accounts. */
  get userPoolId() {
    return env('USER_POOL_ID');
  },
  get userPoolClientId() {
    return env('USER_POOL_CLIENT_ID');
  },
  /**
   * The ECB's reference rates feed the rates refresh reads (eurofxref-hist-90d.xml: the last 90
   * published days, so a refresh that missed days catches up); empty turns the feed off (offline:
   * rates come from the snapshot alone, and conversions say how old they are).
   */
  get ecbFeedUrl() {
    return process.env.ECB_FEED_URL ?? 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml';
  },
  /** The dated ECB history (eurofxref-hist.csv) imported before the feed; empty: the one shipped beside the code. */
  get ratesSnapshotFile() {
    return env('RATES_SNAPSHOT_FILE', '');
  },
  /** Name of the function that re-evaluates budgets after an expense change. */
  get budgetFunction() {
    return env('BUDGET_FUNCTION', 'BudgetFn');
  },
};
