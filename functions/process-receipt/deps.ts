import { GetObjectCommand } from '@aws-sdk/client-s3';
import { categorizeExpense } from '../shared/categorize/core.ts';
import { createComprehendEntityDetector, NO_ENTITIES } from '../shared/categorize/comprehend.ts';
import { createLearnedCategoryReader } from '../shared/categorize/learned-categories.ts';
import { createDynamoReceiptRepository } from '../shared/receipt-repository.ts';
import { comprehendClient, dynamoDocumentClient, s3Client, sesClient, textractClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import { processedReply, sendReply } from '../shared/email-replies.ts';
import { wasmImageConverter } from '../shared/image-conversion.ts';
import { analyzeExpenseOfText } from '../ocr/text-receipt.ts';
import type { FunctionObservability } from '../shared/observability.ts';
import { createTextractAnalyzer } from './analyze.ts';
import type { ProcessReceiptDeps } from './core.ts';
import { createExpenseWriter, createProfileReader, createReceiptLeases } from './dynamo-adapters.ts';
import { processingPorts } from './ports.ts';
import { createDynamoRateStore } from '../shared/currency/dynamo-rates.ts';
import { syncSearchIndex } from '../shared/search/index-writer.ts';
import { createRateBook } from '../shared/currency/rate-book.ts';

/**
 * The OCR function's dependencies wired to AWS (or the local stand-ins), once per process.
 * Settings a runner may change between invocations (the lease, attempts) are read on each call.
 */
let deps: Omit<ProcessReceiptDeps, 'lease' | 'maxAttempts'> | undefined;

export function processReceiptDeps(observability: Pick<FunctionObservability, 'logger' | 'count'>): ProcessReceiptDeps {
  deps ??= wire(observability);
  return {
    ...deps,
    lease: { ms: config.processingLeaseMs, voidBefore: config.processingLeasesVoidBefore },
    maxAttempts: config.processingMaxAttempts,
  };
}

function wire(
  observability: Pick<FunctionObservability, 'logger' | 'count'>,
): Omit<ProcessReceiptDeps, 'lease' | 'maxAttempts'> {
  const { logger, count } = observability;
  const db = dynamoDocumentClient();
  const log: ProcessReceiptDeps['log'] = {
    info: (m, e) => logger.info(m, e ?? {}),
    warn: (m, e) => logger.warn(m, e ?? {}),
    error: (m, e) => logger.error(m, e ?? {}),
  };
  const { parse, merchantKeyOf, evaluateBudgets, publishProcessed, settleBudgets } = processingPorts(observability);
  const analyzer = createTextractAnalyzer(textractClient(), parse);
  const entityDetector = config.comprehendEnabled ? createComprehendEntityDetector(comprehendClient()) : NO_ENTITIES;
  // Hash claims are the receipts repository's, shared with the inline upload.
  const repository = createDynamoReceiptRepository(db, {
    receipts: tableName('Receipts'),
    expenses: tableName('Expenses'),
    history: tableName('History'),
  });
  return {
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
    fileHashes: {
      claim: (owner, sha256, receiptId) => repository.claimSha256(owner, sha256, receiptId),
      release: (owner, sha256, receiptId) => repository.releaseSha256(owner, sha256, receiptId),
      receipt: (owner, receiptId) => repository.get(owner, receiptId),
    },
    images: wasmImageConverter(),
    analyze: async (bytes, profile) => {
      const started = performance.now();
      try {
        return await analyzer(bytes, profile);
      } finally {
        count('ocrDuration', Math.round(performance.now() - started));
      }
    },
    readText: (text, profile) =>
      parse(analyzeExpenseOfText(text), {
        dateOrder: profile.dateOrder,
        today: new Date(),
        homeCurrency: profile.homeCurrency,
      }),
    async replyToSender(owner, receiptId) {
      const receipt = await repository.get(owner, receiptId);
      if (receipt?.source !== 'EMAIL' || !receipt.email) return;
      const context = { to: receipt.email.from, subject: receipt.email.subject, inReplyTo: receipt.email.messageId };
      await sendReply(sesClient(), config.senderEmail, processedReply(receipt, context), context, log.warn);
    },
    profiles: createProfileReader(db, tableName('Users'), log),
    categorizer: {
      learned: createLearnedCategoryReader(
        db,
        { merchants: tableName('Merchants'), categories: tableName('Categories') },
        merchantKeyOf,
      ),
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
    rates: createRateBook(createDynamoRateStore(db, tableName('Rates'))),
    expenses: createExpenseWriter(db, tableName('Expenses'), merchantKeyOf, tableName('History')),
    searchIndex: { sync: (before, after) => syncSearchIndex(db, tableName('SearchTerms'), before, after) },
    evaluateBudgets,
    // A receipt's changes go where its repository puts them (its creation, its deletion).
    history: { put: (owner, record) => repository.recordChange(owner, record) },
    publishProcessed,
    settleBudgets,
    log,
    now: () => new Date(),
    maxBytes: config.maxReceiptBytes,
    reviewConfidence: config.reviewConfidence,
  };
}
