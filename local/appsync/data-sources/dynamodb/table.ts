import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DataSourceOutcome } from '../data-source.ts';
import type { PageTokens } from '../page-tokens.ts';
import type { DynamoDbSender } from './in-process-client.ts';

/** One table as its operations see it: the client, the names, the capacity listener and the page tokens. */
export interface TableContext {
  client: DynamoDbSender;
  TableName: string;
  /** Physical name of a table given by its logical name in batch requests (local: the same). */
  physical(name: string): string;
  consumed(operation: string, capacity: ConsumedCapacity | ConsumedCapacity[] | undefined): void;
  /** 'TOTAL' only when someone listens (tests, benchmarks): DynamoDB does less work otherwise. */
  ReturnConsumedCapacity: 'TOTAL' | undefined;
  tokens: PageTokens;
}

/** One DynamoDB operation of AppSync's request objects (`request.operation`). */
export type Operation = (table: TableContext, request: any) => Promise<DataSourceOutcome>;
