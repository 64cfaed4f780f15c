import { DynamoDBClient, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { dataSourceKinds } from '../../resolvers/manifest.ts';
import type { DataSource } from './data-sources/data-source.ts';
import { dynamoDbDataSource } from './data-sources/dynamodb/data-source.ts';
import { inProcessDynamoDbClient, type DynamoDbCall } from './data-sources/dynamodb/in-process-client.ts';
import { lambdaDataSource } from './data-sources/lambda.ts';
import { noneDataSource } from './data-sources/none.ts';
import type { PageTokens } from './data-sources/page-tokens.ts';

/**
 * The data sources of resolvers/manifest.ts bound to local (or any) endpoints: DynamoDB
 * tables by their logical name (the local table has that name), Lambda functions through
 * the local Lambda runtime, NONE.
 */
export interface LocalDataSourceOptions {
  dynamoDbEndpoint: string;
  /** The DynamoDB stand-in of this process, when it is the one at `dynamoDbEndpoint`: called directly. */
  dynamoDbInProcess?: DynamoDbCall;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  invokeLambda(functionName: string, payload: unknown, invocationType: 'RequestResponse' | 'Event'): Promise<unknown>;
  onConsumedCapacity?: (operation: string, capacity: ConsumedCapacity | ConsumedCapacity[] | undefined) => void;
  /** How nextTokens are sealed (default: a key of this process). */
  pageTokens?: PageTokens;
}

export function createLocalDataSources(options: LocalDataSourceOptions): Map<string, DataSource> {
  const client = options.dynamoDbInProcess
    ? inProcessDynamoDbClient(options.dynamoDbInProcess)
    : new DynamoDBClient({
        endpoint: options.dynamoDbEndpoint,
        region: options.region,
        credentials: options.credentials,
      });
  const sources = new Map<string, DataSource>();
  for (const [name, kind] of dataSourceKinds()) {
    if (kind === 'AMAZON_DYNAMODB')
      sources.set(
        name,
        dynamoDbDataSource({
          client,
          tableName: name,
          onConsumedCapacity: options.onConsumedCapacity,
          pageTokens: options.pageTokens,
        }),
      );
    else if (kind === 'AWS_LAMBDA')
      sources.set(
        name,
        lambdaDataSource((payload, type) => options.invokeLambda(name, payload, type)),
      );
    else sources.set(name, noneDataSource);
  }
  return sources;
}
