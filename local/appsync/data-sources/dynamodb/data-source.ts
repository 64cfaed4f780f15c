import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DataSource } from '../data-source.ts';
import { INVALID_NEXT_TOKEN_ERROR, InvalidNextTokenError, pageTokens, type PageTokens } from '../page-tokens.ts';
import { batchGetItem, batchWriteItem } from './batches.ts';
import { deleteItem, getItem, putItem, updateItem } from './items.ts';
import { query, scan } from './reads.ts';
import type { DynamoDbSender } from './in-process-client.ts';
import type { Operation, TableContext } from './table.ts';

/**
 * A DynamoDB data source as AppSync runs one: the request object's `operation` picks the
 * operation; what DynamoDB refuses comes back as `ctx.error` typed `DynamoDB:<exception>`.
 * TransactGetItems/TransactWriteItems/Sync are not offered: the embedded DynamoDB has no
 * transactions, and DESIGN.md keeps them out of the data path.
 */
export interface DynamoDbDataSourceOptions {
  client: DynamoDbSender;
  tableName: string;
  /** Physical name of a table given by its logical name in batch requests (local: the same). */
  physicalName?: (name: string) => string;
  /** Called with the capacity each read or write consumed (for tests and benchmarks). */
  onConsumedCapacity?: (operation: string, capacity: ConsumedCapacity | ConsumedCapacity[] | undefined) => void;
  /** Seals and opens `nextToken`s; one key per process unless given. */
  pageTokens?: PageTokens;
}

const OPERATIONS = new Map<unknown, Operation>([
  ['GetItem', getItem],
  ['PutItem', putItem],
  ['UpdateItem', updateItem],
  ['DeleteItem', deleteItem],
  ['Query', query],
  ['Scan', scan],
  ['BatchGetItem', batchGetItem],
  ['BatchPutItem', batchWriteItem],
  ['BatchDeleteItem', batchWriteItem],
]);

const processPageTokens = pageTokens();

export function dynamoDbDataSource(options: DynamoDbDataSourceOptions): DataSource {
  const table: TableContext = {
    client: options.client,
    TableName: options.tableName,
    physical: options.physicalName ?? ((name: string) => name),
    consumed: (operation, capacity) => options.onConsumedCapacity?.(operation, capacity),
    ReturnConsumedCapacity: options.onConsumedCapacity ? 'TOTAL' : undefined,
    tokens: options.pageTokens ?? processPageTokens,
  };
  return async (request) => {
    const operation = OPERATIONS.get(request?.operation);
    if (!operation)
      return {
        result: null,
        error: {
          message: `Unsupported DynamoDB operation ${String(request?.operation)}`,
          type: 'DynamoDB:UnsupportedOperation',
        },
      };
    try {
      return await operation(table, request);
    } catch (error) {
      if (error instanceof InvalidNextTokenError) return { result: null, error: { ...INVALID_NEXT_TOKEN_ERROR } };
      const e = error as { name?: string; message?: string };
      return {
        result: null,
        error: { message: e.message ?? 'DynamoDB request failed', type: `DynamoDB:${e.name ?? 'DynamoDbException'}` },
      };
    }
  };
}
