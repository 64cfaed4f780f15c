import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { categorizeHandler } from '../../functions/categorize/handler.ts';
import { ratesHandler, ratesPortsOn } from '../../functions/rates/handler.ts';
import { searchHandler } from '../../functions/search/handler.ts';
import { recurringHandler } from '../../functions/recurring/handler.ts';
import { dailyCheckPortsOn, recurringPortsOn } from '../../functions/recurring/dynamo.ts';
import { createLearnedCategoryReader } from '../../functions/shared/categorize/learned-categories.ts';
import type { DataSource } from '../../local/appsync/data-sources/data-source.ts';
import { merchantKeyOf } from '../../model/merchant-key.ts';
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
  call(
    typeName: string,
    fieldName: string,
    args?: Record<string, unknown>,
    options?: { sub?: string | null; source?: unknown; selectionSetList?: string[] },
  ): Promise<ResolverOutcome>;
  stop(): Promise<void>;
}

function unitsOf(capacity: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  const list = Array.isArray(capacity) ? capacity : capacity ? [capacity] : [];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

/** A signed-up user's profile (home currency EUR, Paris), with any fields replaced. */
export async function givenProfile(db: DynamoDBDocumentClient, sub: string, fields: Record<string, unknown> = {}) {
  const at = '2026-01-01T00:00:00.000Z';
  await db.send(
    new PutCommand({
      TableName: 'Users',
      Item: {
        user_id: sub,
        email: `${sub}@example.com`,
        homeCurrency: 'EUR',
        timezone: 'Europe/Paris',
        dateOrder: 'DMY',
        reportSchedule: { weekly: false, monthly: false },
        createdAt: at,
        updatedAt: at,
        ...fields,
      },
    }),
  );
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

/**
 * Lambda data sources answer with `lambdaHandlers` (null when a function has none), except
 * CategorizeFn, RatesFn, SearchFn and RecurringFn, which are the real handlers on the harness's tables unless replaced:
 * typed-in expenses are categorized, converted and indexed for search as they are under npm start.
 */
export async function startResolverHarness(
  options: {
    lambdaHandlers?: Record<string, (payload: any) => Promise<unknown>>;
    /** The ECB history RatesFn imports on `refreshRates` (a test's own file; none by default). */
    ratesSnapshotFile?: string;
    /** Called before each data source request; throwing fails that request as the data source would. */
    beforeDataSource?: (name: string, request: any) => void;
  } = {},
): Promise<ResolverHarness> {
  const dynamo = await givenLocalDynamoDb('resolver-harness');
  const categorize = categorizeHandler(() => ({
    learned: createLearnedCategoryReader(
      dynamo.db,
      { merchants: 'Merchants', categories: 'Categories' },
      merchantKeyOf,
    ),
    entities: async () => [],
  }));
  const rates = ratesHandler(() =>
    ratesPortsOn({
      db: dynamo.db,
      tables: { rates: 'Rates', expenses: 'Expenses', users: 'Users' },
      snapshotFile: options.ratesSnapshotFile ?? '',
      feedUrl: '',
    }),
  );
  const search = searchHandler(() => ({
    db: dynamo.db,
    tables: { terms: 'SearchTerms', expenses: 'Expenses', categories: 'Categories' },
  }));
  const recurringTables = { recurring: 'Recurring', expenses: 'Expenses', users: 'Users' };
  const recurring = recurringHandler(
    () => recurringPortsOn(dynamo.db, recurringTables),
    // The daily check's emails go nowhere here (test/integration/resolvers-recurring.test.ts runs it on its own ports).
    () => dailyCheckPortsOn(dynamo.db, recurringTables, async () => {}),
  );
  const handlers: Record<string, (payload: any) => Promise<unknown>> = {
    SearchFn: (payload) => search(payload),
    RecurringFn: (payload) => recurring(payload),
    CategorizeFn: (payload) => categorize(payload),
    RatesFn: (payload) => rates(payload),
    ...options.lambdaHandlers,
  };
  const lambdaCalls: LambdaCall[] = [];
  const capacity: ResolverHarness['capacity'] = [];
  const scanned: number[] = [];
  const local = createLocalDataSources({
    dynamoDbEndpoint: dynamo.endpoint,
    // As npm start runs them, unless a run checks the SDK-over-HTTP path (RESOLVER_HARNESS_DYNAMODB=http).
    dynamoDbInProcess: process.env.RESOLVER_HARNESS_DYNAMODB === 'http' ? undefined : dynamo.call,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    async invokeLambda(functionName, payload, invocationType) {
      lambdaCalls.push({ functionName, invocationType, payload });
      const handler = handlers[functionName];
      return handler ? handler(payload) : null;
    },
    onConsumedCapacity: (operation, c) => capacity.push({ operation, units: unitsOf(c) }),
  });
  const dataSources = new Map<string, DataSource>(
    [...local].map(([name, ds]) => [
      name,
      async (request: unknown) => {
        try {
          options.beforeDataSource?.(name, request);
        } catch (error) {
          return { result: null, error: { message: (error as Error).message, type: 'DynamoDB:InternalServerError' } };
        }
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
        info: {
          fieldName,
          parentTypeName: typeName,
          variables: {},
          selectionSetList: callOptions.selectionSetList ?? [],
          selectionSetGraphQL: '',
        },
        request: { headers: { 'x-amzn-requestid': 'test-request' }, domainName: null },
      });
    },
    stop: dynamo.stop,
  };
}
