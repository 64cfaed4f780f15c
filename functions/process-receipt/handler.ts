import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Context, S3Event } from 'aws-lambda';
import { categorizeExpense } from '../categorize/core.ts';
import { createComprehendEntityDetector, NO_ENTITIES } from '../categorize/comprehend.ts';
import { parseReceiptObjectKey } from '../receipts/receipt-item.ts';
import { comprehendClient, dynamoDocumentClient, s3Client, textractClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import { currentCorrelationId, functionObservability } from '../shared/observability.ts';
import { createTextractAnalyzer } from './analyze.ts';
import { processReceipt, type ProcessReceiptDeps } from './core.ts';
import { createExpenseWriter, createLearnedCategoryReader, createProfileReader, createReceiptLeases, stuckReceipts } from './dynamo-adapters.ts';
import { processingPorts } from './ports.ts';

const observability = functionObservability('process-receipt');
const { logger, count, correlate, instrument } = observability;

/** Once a receipt is taken, the id of the request that created it goes on every log line. */
function withCorrelation(leases: ProcessReceiptDeps['receipts']): ProcessReceiptDeps['receipts'] {
  return {
    ...leases,
    async acquireLease(...args) {
      const item = await leases.acquireLease(...args);
      if (item?.correlationId) correlate(item.correlationId);
      return item;
    },
  };
}

let deps: ProcessReceiptDeps | undefined;
function processDeps(): ProcessReceiptDeps {
  if (deps) return deps;
  const db = dynamoDocumentClient();
  const { parse, merchantKeyOf, evaluateBudgets, publishProcessed } = processingPorts(observability);
  const analyzer = createTextractAnalyzer(textractClient(), parse);
  const entityDetector = config.comprehendEnabled ? createComprehendEntityDetector(comprehendClient()) : NO_ENTITIES;
  deps = {
    receipts: createReceiptLeases(db, tableName('Receipts')),
    objects: {
      async get(key) {
        try {
          const out = await s3Client().send(new GetObjectCommand({ Bucket: config.receiptsBucket, Key: key }));
          return await out.Body!.transformToByteArray();
        } catch (error) {
          if ((error as { name?: string }).name === 'NoSuchKey') return null;
          throw error;
        }
      },
    },
    async analyze(bytes, profile) {
      const started = performance.now();
      try {
        return await analyzer(bytes, profile);
      } finally {
        count('ocrDuration', Math.round(performance.now() - started));
      }
    },
    profiles: createProfileReader(db, tableName('Users')),
    categorizer: {
      learned: createLearnedCategoryReader(db, tableName('Merchants'), merchantKeyOf),
      entities: async (text) => {
        try {
          return await entityDetector.detectEntities(text);
        } catch (error) {
          // Categorization falls back to rules: Comprehend being down must not fail a receipt.
          logger.warn('Comprehend unavailable; categorizing by rules', error as Error);
          return [];
        }
      },
      choose: categorizeExpense,
    },
    expenses: createExpenseWriter(db, tableName('Expenses'), merchantKeyOf),
    evaluateBudgets,
    publishProcessed,
    log: { info: (m, e) => logger.info(m, e ?? {}), warn: (m, e) => logger.warn(m, e ?? {}) },
    now: () => new Date(),
    leaseMs: config.processingLeaseMs,
    reviewConfidence: config.reviewConfidence,
  };
  return deps;
}

/** An S3 key as events carry it: URL-encoded, with '+' for spaces. */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

// Presigned upload URLs live 15 minutes; 5 more for a slow upload to land.
const UPLOAD_WINDOW_MS = 20 * 60 * 1000;

/** A reprocess request (ReceiptFn), with the id of the request that asked for it. */
type ProcessRequest = { action: 'process'; owner: string; receiptId: string; correlationId?: string };
/** From the schedule; `correlationId` is the run's id (EventBridge Scheduler's execution id). */
type SweepRequest = { action: 'sweep'; correlationId?: string };

const OUTCOME_METRIC = { PROCESSED: 'receiptsProcessed', NEEDS_REVIEW: 'receiptsNeedingReview', FAILED: 'receiptsFailed' } as const;

/** processReceipt, its outcome counted; true when this run recorded one. */
async function processAndCount(deps: ProcessReceiptDeps, owner: string, receiptId: string, leaseId: string): Promise<boolean> {
  const result = await processReceipt(deps, owner, receiptId, leaseId);
  if (result) count(OUTCOME_METRIC[result.status]);
  return result !== null;
}

function isS3Event(event: unknown): event is S3Event {
  return Array.isArray((event as S3Event)?.Records) && (event as S3Event).Records.every((r) => r.eventSource === 'aws:s3');
}

/**
 * Thin: turns S3 object-created events, reprocess requests and sweep ticks into
 * processReceipt calls. An error thrown here makes Lambda retry the event; processing is
 * idempotent, so a retry is always safe.
 */
async function handleReceiptEvent(event: S3Event | ProcessRequest | SweepRequest, context: Context): Promise<{ processed: number }> {
  const leasePrefix = context.awsRequestId ?? crypto.randomUUID();
  const d = processDeps();
  // S3 events and sweeps know nothing of the upload: the receipt's own correlation id takes over once it is taken.
  const adoptingReceiptIds = { ...d, receipts: withCorrelation(d.receipts) };

  if (isS3Event(event)) {
    let processed = 0;
    for (const [i, record] of event.Records.entries()) {
      const key = decodeS3EventKey(record.s3.object.key);
      const target = parseReceiptObjectKey(key);
      correlate(record.responseElements?.['x-amz-request-id'] ?? leasePrefix);
      logger.appendKeys({ receiptId: target?.receiptId });
      if (!target) {
        logger.info('ignoring object that is not a receipt', { key });
        continue;
      }
      if (await processAndCount(adoptingReceiptIds, target.owner, target.receiptId, `${leasePrefix}#${i}`)) processed += 1;
    }
    return { processed };
  }

  if (event.action === 'process') {
    logger.appendKeys({ receiptId: event.receiptId });
    return { processed: (await processAndCount(d, event.owner, event.receiptId, leasePrefix)) ? 1 : 0 };
  }

  // Sweep: receipts in flight for longer than a lease are re-driven (a lost event, a crash).
  const sweepId = currentCorrelationId() ?? leasePrefix;
  const olderThan = new Date(Date.now() - config.processingLeaseMs);
  let processed = 0;
  const uploadWindowEnd = Date.now() - UPLOAD_WINDOW_MS;
  for await (const receipt of stuckReceipts(dynamoDocumentClient(), tableName('Receipts'), olderThan)) {
    // A presigned upload may still arrive while its URL is valid: leave it alone until then.
    if (receipt.status === 'PENDING_UPLOAD' && Date.parse(receipt.updatedAt) > uploadWindowEnd) continue;
    logger.appendKeys({ receiptId: receipt.receipt_id });
    try {
      if (await processAndCount(adoptingReceiptIds, receipt.user_id, receipt.receipt_id, `${leasePrefix}#sweep#${receipt.receipt_id}`)) processed += 1;
    } catch (error) {
      // One bad receipt must not stop the sweep; it stays in flight for the next one.
      logger.error('sweep could not process a receipt', { error: (error as Error).message });
    } finally {
      logger.removeKeys(['receiptId']);
      correlate(sweepId);
    }
  }
  logger.info('sweep done', { processed });
  return { processed };
}

export const handler = instrument(handleReceiptEvent, (event) => (isS3Event(event) ? undefined : event.correlationId));
