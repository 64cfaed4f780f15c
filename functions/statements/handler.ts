import type { Context } from 'aws-lambda';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { ExpenseItem } from '../../model/expenses.ts';
import { merchantKeyOf } from '../../model/merchant-key.ts';
import {
  IMPORT_PENDING,
  IMPORT_PENDING_INDEX,
  lineClaimsPartition,
  uploadsPartition,
  type StatementImportItem,
} from '../../model/statements.ts';
import { dynamoDocumentClient, s3Client } from '../shared/aws-clients.ts';
import { createLearnedCategoryReader } from '../shared/categorize/learned-categories.ts';
import { categorizeFor } from '../shared/categorize/core.ts';
import { config, tableName } from '../shared/config.ts';
import { derivedUlid } from '../shared/derived-ids.ts';
import { expensePages } from '../shared/expense-pages.ts';
import type { MutationCreateStatementUploadArgs, MutationPreviewStatementArgs } from '../../generated/graphql.ts';
import type { RunStatementImportRequest } from '../../model/function-calls.ts';
import {
  answerLoggedFieldCall,
  fieldDispatcher,
  type FieldAnswer,
  type FieldCall,
  type ServedFields,
} from '../shared/field-call.ts';
import { invokeAsync } from '../shared/invoke-async.ts';
import { conditional, leaseWrites } from '../shared/job-store.ts';
import { functionObservability } from '../shared/observability.ts';
import { syncSearchIndex } from '../shared/search/index-writer.ts';
import { createS3ReceiptObjects } from '../shared/receipt-objects.ts';
import { conversionOf } from '../shared/currency/conversion.ts';
import { createDynamoRateStore } from '../shared/currency/dynamo-rates.ts';
import { createRateBook, type RateBook } from '../shared/currency/rate-book.ts';
import {
  createStatementUpload,
  previewStatement,
  runImport,
  sweepImports,
  type LineClaim,
  type StatementDeps,
} from './core.ts';
import { isConditionFailure } from '../shared/conditional-put.ts';

const { logger, instrument, count } = functionObservability('statements');

const isMissingObject = (error: unknown) =>
  (error as { name?: string }).name === 'NoSuchKey' ||
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

let deps: StatementDeps | undefined;
const rateBooks = new Map<string, RateBook>();
function statementDeps(): StatementDeps {
  if (deps) return deps;
  const db = dynamoDocumentClient();
  const s3 = s3Client();
  const bucket = config.receiptsBucket;
  const imports = tableName('StatementImports');
  const expenses = tableName('Expenses');
  const history = tableName('History');
  const presigner = createS3ReceiptObjects(s3, bucket);
  const rateStore = createDynamoRateStore(db, tableName('Rates'));
  const homeCurrency = async (owner: string) => {
    const out = await db.send(new GetCommand({ TableName: tableName('Users'), Key: { user_id: owner } }));
    return (out.Item?.homeCurrency as string | undefined) ?? 'USD';
  };
  const learned = createLearnedCategoryReader(
    db,
    { merchants: tableName('Merchants'), categories: tableName('Categories') },
    merchantKeyOf,
  );
  deps = {
    objects: {
      presignPut: ({ key, size, sha256Base64, expiresInSeconds }) =>
        presigner.presignPut({
          key,
          contentType: 'application/octet-stream',
          size,
          sha256Base64,
          onlyIfAbsent: true,
          expiresInSeconds,
        }),
      async read(key) {
        try {
          const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return out.Body ? await out.Body.transformToByteArray() : null;
        } catch (error) {
          if (isMissingObject(error)) return null;
          throw error;
        }
      },
    },
    uploads: {
      async put(owner, upload) {
        await db.send(
          new PutCommand({
            TableName: imports,
            Item: { user_id: uploadsPartition(owner), import_key: upload.uploadId, ...upload },
          }),
        );
      },
    },
    imports: {
      async get(owner, importId) {
        const out = await db.send(
          new GetCommand({ TableName: imports, Key: { user_id: owner, import_key: importId }, ConsistentRead: true }),
        );
        return (out.Item as StatementImportItem | undefined) ?? null;
      },
      async claim(owner, importId, lease, maxAttempts) {
        try {
          const out = await db.send(
            new UpdateCommand({
              TableName: imports,
              Key: { user_id: owner, import_key: importId },
              ...leaseWrites.claim('import_key', lease, maxAttempts),
            }),
          );
          return out.Attributes as StatementImportItem;
        } catch (error) {
          if (isConditionFailure(error)) return null;
          throw error;
        }
      },
      renew: (owner, importId, leaseId, until) =>
        conditional(() =>
          db.send(
            new UpdateCommand({
              TableName: imports,
              Key: { user_id: owner, import_key: importId },
              ...leaseWrites.renew(leaseId, until),
            }),
          ),
        ),
      async release(owner, importId, leaseId) {
        await conditional(() =>
          db.send(
            new UpdateCommand({
              TableName: imports,
              Key: { user_id: owner, import_key: importId },
              ...leaseWrites.release(leaseId, new Date().toISOString()),
            }),
          ),
        );
      },
      async finish(owner, importId, fields) {
        const names: Record<string, string> = {};
        const values: Record<string, unknown> = {};
        const sets = Object.entries(fields).map(([name, value], i) => {
          names[`#f${i}`] = name;
          values[`:v${i}`] = value;
          return `#f${i} = :v${i}`;
        });
        // Out of the sweep's index, and no run holds it any more.
        await db.send(
          new UpdateCommand({
            TableName: imports,
            Key: { user_id: owner, import_key: importId },
            UpdateExpression: `SET ${sets.join(', ')} REMOVE pending, lease_id, lease_until`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      },
      async stale(before, cursor) {
        const out = await db.send(
          new QueryCommand({
            TableName: imports,
            IndexName: IMPORT_PENDING_INDEX,
            KeyConditionExpression: 'pending = :pending AND updatedAt < :before',
            ExpressionAttributeValues: { ':pending': IMPORT_PENDING, ':before': before },
            ExclusiveStartKey: cursor as Record<string, unknown> | undefined,
            Limit: 25,
          }),
        );
        return {
          imports: (out.Items ?? []).map((item) => ({
            owner: item.user_id as string,
            importId: item.import_key as string,
          })),
          cursor: out.LastEvaluatedKey,
        };
      },
      async putLine(line) {
        await db.send(new PutCommand({ TableName: imports, Item: line }));
      },
    },
    claims: {
      async claim(owner, claim) {
        const key = { user_id: lineClaimsPartition(owner), import_key: claim.lineKey };
        try {
          await db.send(
            new PutCommand({
              TableName: imports,
              Item: { ...key, ...claim },
              ConditionExpression: 'attribute_not_exists(import_key) OR written = :false',
              ExpressionAttributeValues: { ':false': false },
            }),
          );
          return null;
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
        const out = await db.send(new GetCommand({ TableName: imports, Key: key, ConsistentRead: true }));
        return out.Item as LineClaim;
      },
      async markWritten(owner, lineKey) {
        await db.send(
          new UpdateCommand({
            TableName: imports,
            Key: { user_id: lineClaimsPartition(owner), import_key: lineKey },
            UpdateExpression: 'SET written = :true',
            ExpressionAttributeValues: { ':true': true },
          }),
        );
      },
    },
    expenses: {
      async between(owner, from, to) {
        const all: ExpenseItem[] = [];
        for await (const page of expensePages(db, expenses, owner, from, to)) all.push(...(page as ExpenseItem[]));
        return all;
      },
      async putNew(item) {
        // Indexed first: a crash before the put leaves entries that never answer (searches read
        // the expense back), while the other order would leave a re-import's expense unfindable.
        await syncSearchIndex(db, tableName('SearchTerms'), null, item);
        try {
          await db.send(
            new PutCommand({
              TableName: expenses,
              Item: item,
              ConditionExpression: 'attribute_not_exists(expense_id)',
            }),
          );
          // The expense carries its change (lastChange): a crash before this put loses no history
          // (the next change of the expense, a history read or an export puts it).
          if (item.lastChange)
            await db.send(new PutCommand({ TableName: history, Item: { ...item.lastChange, user_id: item.user_id } }));
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      },
      async attachLine(owner, expenseId, line, now) {
        try {
          await db.send(
            new UpdateCommand({
              TableName: expenses,
              Key: { user_id: owner, expense_id: expenseId },
              UpdateExpression: 'SET statementLine = :line, updatedAt = :now, version = version + :one',
              ConditionExpression:
                'attribute_exists(expense_id) AND (attribute_not_exists(statementLine) OR statementLine.#key = :key)',
              ExpressionAttributeNames: { '#key': 'key' },
              ExpressionAttributeValues: { ':line': line, ':now': now, ':one': 1, ':key': line.key },
            }),
          );
          return true;
        } catch (error) {
          if (isConditionFailure(error)) return false;
          throw error;
        }
      },
    },
    async expensesAdded(owner, items) {
      // What BudgetFn takes from the expense resolvers (resolvers/lib/budget-evaluation.ts); one
      // expense per category and day stands for the rest, as evaluation reads the period's totals.
      const seen = new Set<string>();
      for (const item of items) {
        const key = `${item.category}#${item.date}#${item.currency}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await invokeAsync(config.budgetFunction, { action: 'expenseChanged', owner, before: null, after: item });
      }
    },
    homeCurrency,
    async convert(owner, expense) {
      const home = await homeCurrency(owner);
      if (expense.currency === home) return conversionOf(expense, home, null);
      // A book per import: its reads are memoized, and rates set meanwhile are seen by the next import.
      rateBooks.set(owner, rateBooks.get(owner) ?? createRateBook(rateStore));
      return rateBooks.get(owner)!.convert(owner, expense, home);
    },
    // The user's corrections, the brand index and keywords; Comprehend is left out of bulk imports.
    categorize: (owner, description) =>
      categorizeFor(owner, { merchant: description }, { learned, entities: async () => [] }),
    expenseIdOf: (owner, lineKey, date) =>
      derivedUlid(Date.parse(`${date}T12:00:00Z`), `statement:${owner}:${lineKey}`),
    newId: () => ulid(),
    now: () => new Date(),
    leasesVoidBefore: config.processingLeasesVoidBefore,
    log: { warn: (message, extra) => logger.warn(message, extra ?? {}) },
  };
  return deps;
}

/** The fields StatementFn serves (resolvers/Mutation.*.StatementFn.ts), with their arguments from the schema. */
type StatementFnFields = ServedFields<{
  'Mutation.createStatementUpload': MutationCreateStatementUploadArgs;
  'Mutation.previewStatement': MutationPreviewStatementArgs;
}>;

const resolveStatementField = fieldDispatcher<StatementFnFields>('StatementFn', {
  'Mutation.createStatementUpload': async ({ owner, args }) => {
    const upload = await createStatementUpload(statementDeps(), owner, args.input ?? {});
    count('statementUploads');
    return upload;
  },
  'Mutation.previewStatement': ({ owner, args }) => previewStatement(statementDeps(), owner, args.uploadId, args.csv),
});

type SweepJobs = { action: 'sweepJobs'; correlationId?: string };

/** An import started by the sweep may take minutes: none is started with less than this left of the sweep's run. */
const SWEEP_RESERVE_MS = 5 * 60_000;

/** StatementFn: statement uploads and previews (a Lambda data source), and the imports it runs in the background. */
async function handleStatementEvent(
  event: FieldCall | RunStatementImportRequest | SweepJobs,
  context?: Context,
): Promise<FieldAnswer<unknown> | { imported: number; notRun: number; failed: number } | void> {
  if ('action' in event && event.action === 'sweepJobs') {
    // Imports whose start was lost or whose run died (the job sweep's schedule, infra/schedules.ts).
    rateBooks.clear();
    const outcome = await sweepImports(statementDeps(), {
      timeLeftMs: () => (context ? context.getRemainingTimeInMillis() : Number.MAX_SAFE_INTEGER),
      reserveMs: SWEEP_RESERVE_MS,
    });
    if (outcome.imported + outcome.notRun + outcome.failed > 0) logger.info('statement import sweep done', outcome);
    return outcome;
  }
  if ('action' in event && event.action === 'runImport') {
    logger.appendKeys({ importId: event.importId });
    rateBooks.clear();
    // A failure worth a retry throws: Lambda retries the Event; every line already done stays done.
    const imported = await runImport(statementDeps(), event.owner, event.importId);
    if (imported) count('statementLinesImported', imported.created + imported.matched);
    logger.info(imported ? 'statement import ran' : 'statement import not run (gone, done, or running elsewhere)', {
      ...imported,
    });
    return;
  }
  const call = event as FieldCall;
  return answerLoggedFieldCall(logger, call, () => resolveStatementField(call));
}

export const handler = instrument(handleStatementEvent, (event) =>
  'action' in event
    ? event.correlationId || (event.action === 'runImport' ? `import-${event.importId}` : null)
    : event.requestId,
);
