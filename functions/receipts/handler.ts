import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ulid } from 'ulid';
import { dynamoDocumentClient, lambdaClient, s3Client } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import { answerFieldCall, FieldError, type FieldCall, type FieldResult } from '../shared/field-call.ts';
import { wasmImageConverter } from '../shared/image-conversion.ts';
import { currentCorrelationId, functionObservability } from '../shared/observability.ts';
import { createReceiptUpload, deleteReceipt, receiptImageUrl, reprocessReceipt, uploadReceipt, type ReceiptDeps } from './core.ts';
import { createDynamoReceiptRepository } from './dynamo-repository.ts';
import { createS3ReceiptObjects } from './s3-objects.ts';

const { logger, count, instrument } = functionObservability('receipts');

/** An asynchronous (Event) invocation: Lambda queues it and retries it on failure. */
async function invokeAsync(functionName: string, payload: unknown): Promise<void> {
  await lambdaClient().send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
}

let deps: ReceiptDeps | undefined;
function receiptDeps(): ReceiptDeps {
  return (deps ??= {
    images: wasmImageConverter(),
    repository: createDynamoReceiptRepository(dynamoDocumentClient(), { receipts: tableName('Receipts'), expenses: tableName('Expenses') }),
    objects: createS3ReceiptObjects(s3Client(), config.receiptsBucket),
    processing: {
      async requestProcessing(owner, receiptId) {
        await invokeAsync(config.processReceiptFunction, { action: 'process', owner, receiptId, correlationId: currentCorrelationId() });
      },
    },
    budgets: {
      // The request BudgetFn takes from the expense resolvers (resolvers/lib/budget-evaluation.ts).
      async expenseDeleted(owner, expense, correlationId) {
        await invokeAsync(config.budgetFunction, { action: 'expenseChanged', owner, before: expense, after: null, correlationId });
      },
    },
    newId: ulid,
    now: () => new Date(),
    maxBytes: config.maxReceiptBytes,
  });
}

type Args = Record<string, any>;

function countUpload<T>(accepted: T): T {
  count('receiptUploads');
  return accepted;
}

/** The ReceiptFn data source: receipt fields that need S3 (uploads, presigned URLs, deletes). */
async function resolveReceiptField(event: FieldCall<Args>): Promise<FieldResult<unknown>> {
  logger.appendKeys({ field: `${event.typeName}.${event.fieldName}` });
  return answerFieldCall(
    async () => {
      const owner = event.sub;
      if (!owner) throw new FieldError('Unauthorized', 'A signed-in user is required');
      const d = receiptDeps();
      const args = event.arguments;
      switch (`${event.typeName}.${event.fieldName}`) {
        case 'Mutation.createReceiptUpload':
          return countUpload(await createReceiptUpload(d, owner, args.input, currentCorrelationId()));
        case 'Mutation.uploadReceipt':
          return countUpload(await uploadReceipt(d, owner, args.input, currentCorrelationId()));
        case 'Mutation.reprocessReceipt':
          return reprocessReceipt(d, owner, args.id);
        case 'Mutation.deleteReceipt':
          return deleteReceipt(d, owner, args.id, args.deleteExpense === true, currentCorrelationId());
        case 'Receipt.imageUrl':
          return receiptImageUrl(d, owner, event.source as { id?: string; owner?: string });
        default:
          throw new Error(`ReceiptFn does not resolve ${event.typeName}.${event.fieldName}`);
      }
    },
    (message, error) => logger.error(message, error as Error),
  );
}

// The receipt keeps the id its upload's log lines carry, so its OCR run logs under the same one.
export const handler = instrument(resolveReceiptField, (event) => event.requestId);
