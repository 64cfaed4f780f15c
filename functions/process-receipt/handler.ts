import type { Context, S3Event, S3EventRecord } from 'aws-lambda';
import { parseReceiptObjectKey } from '../shared/receipt-records.ts';
import { dynamoDocumentClient } from '../shared/aws-clients.ts';
import { tableName } from '../shared/config.ts';
import { functionObservability } from '../shared/observability.ts';
import { processReceipt, sweepStuckReceipts, type ProcessReceiptDeps } from './core.ts';
import { processReceiptDeps } from './deps.ts';
import { stuckReceipts } from './dynamo-adapters.ts';

const observability = functionObservability('process-receipt');
const { logger, count, correlate, instrument } = observability;

const OUTCOME_METRIC = {
  PROCESSED: 'receiptsProcessed',
  NEEDS_REVIEW: 'receiptsNeedingReview',
  FAILED: 'receiptsFailed',
} as const;

/**
 * Once a receipt is taken, its id and the id of the request that created it go on every log
 * line; each outcome this invocation records is counted.
 */
function observed(deps: ProcessReceiptDeps): ProcessReceiptDeps {
  const leases = deps.receipts;
  return {
    ...deps,
    receipts: {
      ...leases,
      async acquire(...args) {
        const item = await leases.acquire(...args);
        if (item) {
          logger.appendKeys({ receiptId: item.receipt_id });
          if (item.correlationId) correlate(item.correlationId);
        }
        return item;
      },
    },
  };
}

async function processAndCount(
  deps: ProcessReceiptDeps,
  owner: string,
  receiptId: string,
  leaseId: string,
): Promise<boolean> {
  const result = await processReceipt(deps, owner, receiptId, leaseId);
  if (result) count(OUTCOME_METRIC[result.status]);
  return result !== null;
}

/** An S3 key as events carry it: URL-encoded, with '+' for spaces. */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

// Presigned upload URLs live 15 minutes; 5 more for a slow upload to land.
const UPLOAD_WINDOW_MS = 20 * 60 * 1000;
// A sweep stops taking receipts when less than this is left of the invocation: one OCR run fits.
const SWEEP_RESERVE_MS = 20_000;

/** A reprocess request (ReceiptFn), with the id of the request that asked for it. */
export type ProcessRequest = { action: 'process'; owner: string; receiptId: string; correlationId?: string };
/** From the schedule; `correlationId` is the run's id (EventBridge Scheduler's execution id). */
export type SweepRequest = { action: 'sweep'; correlationId?: string };

/**
 * What an event asks for. S3 object-created notifications, reprocess requests, and sweeps
 * (the schedule's `{ action: 'sweep' }`, or an EventBridge "Scheduled Event"); anything else,
 * such as the `s3:TestEvent` S3 sends when notifications are configured, is ignored.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function requestOf(
  event: unknown,
):
  | { kind: 's3'; records: S3EventRecord[] }
  | { kind: 'process'; owner: string; receiptId: string }
  | { kind: 'sweep' }
  | { kind: 'ignore'; why: string } {
  const e = (event ?? {}) as Record<string, unknown>;
  if (
    Array.isArray(e.Records) &&
    e.Records.length > 0 &&
    e.Records.every(
      (r) => (r as S3EventRecord)?.eventSource === 'aws:s3' && typeof (r as S3EventRecord).s3?.object?.key === 'string',
    )
  ) {
    return { kind: 's3', records: e.Records as S3EventRecord[] };
  }
  if (
    e.action === 'process' &&
    typeof e.owner === 'string' &&
    e.owner &&
    typeof e.receiptId === 'string' &&
    e.receiptId
  ) {
    return { kind: 'process', owner: e.owner, receiptId: e.receiptId };
  }
  if (e.action === 'sweep' || (e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event'))
    return { kind: 'sweep' };
  if (e.Event === 's3:TestEvent') return { kind: 'ignore', why: 's3:TestEvent' };
  return { kind: 'ignore', why: `unknown event shape (keys: ${Object.keys(e).slice(0, 10).join(', ') || 'none'})` };
}

type ReceiptEvent = S3Event | ProcessRequest | SweepRequest | Record<string, unknown>;

/**
 * Thin: turns S3 object-created events, reprocess requests and sweep ticks into
 * processReceipt calls. An error thrown here makes Lambda retry the event; processing is
 * idempotent and resumes where a failed run stopped, so a retry is always safe.
 */
async function handleReceiptEvent(event: ReceiptEvent, context: Context): Promise<{ processed: number }> {
  const requestId = context?.awsRequestId ?? crypto.randomUUID();
  const leaseId = () => `${requestId}#${crypto.randomUUID()}`;
  const deps = observed(processReceiptDeps(observability));
  const request = requestOf(event);

  if (request.kind === 's3') {
    let processed = 0;
    const errors: unknown[] = [];
    for (const record of request.records) {
      const key = decodeS3EventKey(record.s3.object.key);
      const target = parseReceiptObjectKey(key);
      correlate(record.responseElements?.['x-amz-request-id'] ?? requestId);
      logger.appendKeys({ receiptId: target?.receiptId });
      if (!record.eventName?.startsWith('ObjectCreated:') || !target) {
        logger.info('ignoring S3 record: not a receipt being created', { key, eventName: record.eventName });
        continue;
      }
      // Each record on its own: one failing must not keep the others from being processed.
      try {
        if (await processAndCount(deps, target.owner, target.receiptId, leaseId())) processed += 1;
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length) throw new AggregateError(errors, `${errors.length} receipts failed; the event will be retried`);
    return { processed };
  }

  if (request.kind === 'process') {
    logger.appendKeys({ receiptId: request.receiptId });
    return { processed: (await processAndCount(deps, request.owner, request.receiptId, leaseId())) ? 1 : 0 };
  }

  if (request.kind === 'ignore') {
    logger.warn('ignoring event', { why: request.why });
    return { processed: 0 };
  }

  // Sweep: candidates are in-flight receipts untouched for a lease (an event on its way has
  // had time to land) or since the void-before instant (their runs and events are gone).
  const now = deps.now().getTime();
  const olderThan = new Date(Math.max(now - deps.lease.ms, deps.lease.voidBefore?.getTime() ?? 0));
  const counts = await sweepStuckReceipts(
    deps,
    stuckReceipts(dynamoDocumentClient(), tableName('Receipts'), olderThan),
    {
      leasePrefix: requestId,
      uploadWindowMs: UPLOAD_WINDOW_MS,
      hasTimeLeft: () => !context?.getRemainingTimeInMillis || context.getRemainingTimeInMillis() > SWEEP_RESERVE_MS,
    },
  );
  logger.info('sweep done', counts);
  return { processed: counts.processed };
}

export const handler = instrument(handleReceiptEvent, (event) =>
  typeof (event as ProcessRequest).correlationId === 'string' ? (event as ProcessRequest).correlationId : undefined,
);
