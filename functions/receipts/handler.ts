import { ulid } from 'ulid';
import { dynamoDocumentClient, s3Client } from '../shared/aws-clients.ts';
import { invokeAsync } from '../shared/invoke-async.ts';
import { retentionDaysReader } from '../shared/image-retention.ts';
import { config, tableName } from '../shared/config.ts';
import type {
  MutationCreateReceiptUploadArgs,
  MutationDeleteReceiptArgs,
  MutationReprocessReceiptArgs,
  MutationUploadReceiptArgs,
} from '../../generated/graphql.ts';
import type { ExpenseChangedEvent, ProcessReceiptRequest } from '../../model/function-calls.ts';
import {
  answerLoggedFieldCall,
  fieldDispatcher,
  type FieldAnswer,
  type FieldCall,
  type NoArgs,
  type ServedFields,
} from '../shared/field-call.ts';
import { wasmImageConverter } from '../shared/image-conversion.ts';
import { currentCorrelationId, functionObservability } from '../shared/observability.ts';
import {
  createReceiptUpload,
  deleteReceipt,
  receiptImageUrl,
  reprocessReceipt,
  uploadReceipt,
  type ReceiptDeps,
} from './core.ts';
import { createDynamoReceiptRepository } from '../shared/receipt-repository.ts';
import { createS3ReceiptObjects } from '../shared/receipt-objects.ts';

const { logger, count, instrument } = functionObservability('receipts');

let deps: ReceiptDeps | undefined;
function receiptDeps(): ReceiptDeps {
  return (deps ??= {
    images: wasmImageConverter(),
    repository: createDynamoReceiptRepository(dynamoDocumentClient(), {
      receipts: tableName('Receipts'),
      expenses: tableName('Expenses'),
      history: tableName('History'),
      searchTerms: tableName('SearchTerms'),
    }),
    objects: createS3ReceiptObjects(s3Client(), config.receiptsBucket),
    processing: {
      async requestProcessing(owner, receiptId) {
        await invokeAsync<ProcessReceiptRequest>(config.processReceiptFunction, {
          action: 'process',
          owner,
          receiptId,
          correlationId: currentCorrelationId(),
        });
      },
    },
    budgets: {
      // The event BudgetFn takes from the expense resolvers too (resolvers/lib/budget-evaluation.ts).
      async expenseDeleted(owner, expense, correlationId) {
        await invokeAsync<ExpenseChangedEvent>(config.budgetFunction, {
          action: 'expenseChanged',
          owner,
          before: expense,
          after: null,
          correlationId,
        });
      },
    },
    newId: ulid,
    now: () => new Date(),
    maxBytes: config.maxReceiptBytes,
    retentionDaysOf: retentionDaysReader(dynamoDocumentClient(), tableName('Users')),
  });
}

function countUpload<T>(accepted: T): T {
  count('receiptUploads');
  return accepted;
}

/** The fields ReceiptFn serves (resolvers/Type.field.ReceiptFn.ts), with their arguments from the schema. */
type ReceiptFnFields = ServedFields<{
  'Mutation.createReceiptUpload': MutationCreateReceiptUploadArgs;
  'Mutation.uploadReceipt': MutationUploadReceiptArgs;
  'Mutation.reprocessReceipt': MutationReprocessReceiptArgs;
  'Mutation.deleteReceipt': MutationDeleteReceiptArgs;
  'Receipt.imageUrl': NoArgs;
}>;

const resolveReceiptField = fieldDispatcher<ReceiptFnFields>('ReceiptFn', {
  'Mutation.createReceiptUpload': async ({ owner, args }) =>
    countUpload(await createReceiptUpload(receiptDeps(), owner, args.input, currentCorrelationId())),
  'Mutation.uploadReceipt': async ({ owner, args }) =>
    countUpload(await uploadReceipt(receiptDeps(), owner, args.input, currentCorrelationId())),
  'Mutation.reprocessReceipt': ({ owner, args }) => reprocessReceipt(receiptDeps(), owner, args.id),
  'Mutation.deleteReceipt': ({ owner, args }) =>
    deleteReceipt(receiptDeps(), owner, args.id, args.deleteExpense === true, currentCorrelationId()),
  'Receipt.imageUrl': ({ owner, source }) => receiptImageUrl(receiptDeps(), owner, source),
});

/** The ReceiptFn data source: receipt fields that need S3 (uploads, presigned URLs, deletes). */
async function handleReceiptField(event: FieldCall): Promise<FieldAnswer<unknown>> {
  return answerLoggedFieldCall(logger, event, () => resolveReceiptField(event));
}

// The receipt keeps the id its upload's log lines carry, so its OCR run logs under the same one.
export const handler = instrument(handleReceiptField, (event) => event.requestId);
