import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DataSource } from '../../local/appsync/data-sources.ts';
import { createLocalDataSources } from '../../local/appsync/local-data-sources.ts';
import { createResolverExecutor, type ResolverExecutor } from '../../local/appsync/executor.ts';
import type { ResolverOutcome } from '../../local/server/graphql.ts';
import { PROJECT_ROOT } from '../../local/stack.ts';
import { givenLocalDynamoDb, TEST_CREDENTIALS, TEST_REGION } from './local-dynamodb.ts';

/**
 * The resolvers of resolvers/ run through the local executor against an in-process
 * dynalite on a temp dir: what AppSync would do for one field, without HTTP.
 */
export interface LambdaCall {
  functionName: string;
  invocationType: 'RequestResponse' | 'Event';
  payload: any;
}

export interface ResolverHarness {
  executor: ResolverExecutor;
  /** The data sources the executor runs on, by name (a table's logical name…). */
  dataSources: ReadonlyMap<string, DataSource>;
  db: DynamoDBDocumentClient;
  lambdaCalls: LambdaCall[];
  /** Read/write capacity each DynamoDB request of the resolvers consumed, in order. */
  capacity: Array<{ operation: string; units: number }>;
  /** `scannedCount` of each Query or Scan result, in order: what DynamoDB read before any filter. */
  scanned: number[];
  call(typeName: string, fieldName: string, args?: Record<string, unknown>, options?: { sub?: string | null; source?: unknown; selectionSetList?: string[] }): Promise<ResolverOutcome>;
  stop(): Promise<void>;
}

function unitsOf(capacity: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  const list = Array.isArray(capacity) ? capacity : capacity ? [capacity] : [];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

export function cognitoIdentity(sub: string) {
  return {
    sub,
    issuer: 'http://127.0.0.1/cognito/us-east-1_LocalPool1',
    username: sub,
    claims: { sub, token_use: 'access', username: sub },
    sourceIp: ['127.0.0.1'],
    defaultAuthStrategy: 'ALLOW',
    groups: null,
  };
}

export async function startResolverHarness(options: { lambdaHandlers?: Record<string, (payload: any) => Promise<unknown>> } = {}): Promise<ResolverHarness> {
  const dynamo = await givenLocalDynamoDb('resolver-harness');
  const lambdaCalls: LambdaCall[] = [];
  const capacity: ResolverHarness['capacity'] = [];
  const scanned: number[] = [];
  const local = createLocalDataSources({
    dynamoDbEndpoint: dynamo.endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    async invokeLambda(functionName, payload, invocationType) {
      lambdaCalls.push({ functionName, invocationType, payload });
      const handler = options.lambdaHandlers?.[functionName];
      return handler ? handler(payload) : null;
    },
    onConsumedCapacity: (operation, c) => capacity.push({ operation, units: unitsOf(c) }),
  });
  const dataSources = new Map<string, DataSource>(
    [...local].map(([name, ds]) => [
      name,
      async (request: unknown) => {
        const out = await ds(request);
        const count = (out.result as { scannedCount?: number } | null)?.scannedCount;
        if (typeof count === 'number') scanned.push(count);
        return out;
      },
    ]),
  );
  const executor = await createResolverExecutor({ projectRoot: PROJECT_ROOT, dataSources });
  const { db } = dynamo;

  return {
    executor,
    dataSources,
    db,
    lambdaCalls,
    capacity,
    scanned,
    call(typeName, fieldName, args = {}, callOptions = {}) {
      const sub = callOptions.sub === undefined ? 'user-a' : callOptions.sub;
      return executor.run(typeName, fieldName, {
        arguments: args,
        source: callOptions.source ?? null,
        identity: (sub === null ? null : cognitoIdentity(sub)) as any,
        info: { fieldName, parentTypeName: typeName, variables: {}, selectionSetList: callOptions.selectionSetList ?? [], selectionSetGraphQL: '' },
        request: { headers: { 'x-amzn-requestid': 'test-request' }, domainName: null },
      });
    },
    stop: dynamo.stop,
  };
}
