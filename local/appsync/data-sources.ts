import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type ConsumedCapacity,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

/**
 * Data sources as AppSync runs them: the request object a handler returns goes in, and what
 * comes back becomes `ctx.result` (or `ctx.error`, which JS handlers must raise themselves:
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html).
 */
export interface DataSourceOutcome {
  result: unknown;
  error?: { message: string; type: string };
}

export type DataSource = (request: any) => Promise<DataSourceOutcome>;

type Av = Record<string, AttributeValue>;
type Expression = { expression: string; expressionNames?: Record<string, string>; expressionValues?: Av };

function fromItem(item: Av | undefined): Record<string, unknown> | null {
  return item ? unmarshall(item) : null;
}

function names(...expressions: Array<Expression | undefined | null>): Record<string, string> | undefined {
  const merged = Object.assign({}, ...expressions.map((e) => e?.expressionNames ?? {}));
  return Object.keys(merged).length ? merged : undefined;
}

function values(...expressions: Array<Expression | undefined | null>): Av | undefined {
  const merged = toSdkItem(Object.assign({}, ...expressions.map((e) => e?.expressionValues ?? {})));
  return Object.keys(merged).length ? merged : undefined;
}

/**
 * Typed values as AppSync's request objects write them, for the SDK. The reference writes
 * numbers as JSON numbers and null as `{ "NULL" : null }`
 * (https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html:
 * `toDynamoDB(12345)` → `{ "N" : 12345 }`, `toNull()` → `{ "NULL" : null }`), DynamoDB's wire
 * form wants `{ "N": "12345" }` and `{ "NULL": true }`; both forms are accepted here.
 */
export function toSdkValue(value: unknown): AttributeValue {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value as AttributeValue;
  const v = value as Record<string, unknown>;
  if ('N' in v && typeof v.N === 'number') return { N: String(v.N) };
  if ('NS' in v && Array.isArray(v.NS)) return { NS: v.NS.map(String) };
  if ('NULL' in v && (v.NULL === null || v.NULL === true)) return { NULL: true };
  if ('L' in v && Array.isArray(v.L)) return { L: v.L.map(toSdkValue) };
  if ('M' in v && v.M && typeof v.M === 'object') return { M: toSdkItem(v.M as Record<string, unknown>) };
  return value as AttributeValue;
}

export function toSdkItem(values: Record<string, unknown> | undefined | null): Av {
  const out: Av = {};
  for (const [k, v] of Object.entries(values ?? {})) out[k] = toSdkValue(v);
  return out;
}

/**
 * `nextToken` is opaque to clients, and AppSync's is an encrypted blob. Here it is the
 * LastEvaluatedKey sealed with AES-256-GCM under a key of this process, its additional data
 * the table, index and key condition it came from: it cannot be read, altered or replayed
 * against another query, so another caller's token (whose key condition names that caller)
 * is as invalid as garbage. AppSync answers such a token with this error type and message
 * (as reported in https://github.com/aws-amplify/amplify-cli/issues/3411).
 */
export const INVALID_NEXT_TOKEN_ERROR = {
  type: 'DynamoDB:UserIllegalArgumentException',
  message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
};

export class InvalidNextTokenError extends Error {}

export interface PageTokens {
  seal(key: Av | undefined, boundTo: string): string | null;
  open(token: unknown, boundTo: string): Av | undefined;
}

export function pageTokens(secret: Buffer = randomBytes(32)): PageTokens {
  return {
    seal(key, boundTo) {
      if (!key) return null;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      cipher.setAAD(Buffer.from(boundTo));
      const sealed = Buffer.concat([cipher.update(JSON.stringify(key), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    open(token, boundTo) {
      if (token === undefined || token === null) return undefined;
      try {
        const raw = Buffer.from(String(token), 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', secret, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(boundTo));
        decipher.setAuthTag(raw.subarray(12, 28));
        const key = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
        if (key && typeof key === 'object' && !Array.isArray(key)) return key as Av;
      } catch {
        // falls through to the error below
      }
      throw new InvalidNextTokenError(INVALID_NEXT_TOKEN_ERROR.message);
    },
  };
}

function projectionOf(projection: { expression: string; expressionNames?: Record<string, string> } | undefined) {
  return projection ? { ProjectionExpression: projection.expression } : {};
}

export interface DynamoDbDataSourceOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Physical name of a table given by its logical name in batch requests (local: the same). */
  physicalName?: (name: string) => string;
  /** Called with the capacity each read or write consumed (for tests and benchmarks). */
  onConsumedCapacity?: (operation: string, capacity: ConsumedCapacity | ConsumedCapacity[] | undefined) => void;
  /** Seals and opens `nextToken`s; one key per process unless given. */
  pageTokens?: PageTokens;
}

const processPageTokens = pageTokens();

export function dynamoDbDataSource(options: DynamoDbDataSourceOptions): DataSource {
  const { client, tableName: TableName } = options;
  const physical = options.physicalName ?? ((name: string) => name);
  const consumed = (operation: string, capacity: ConsumedCapacity | ConsumedCapacity[] | undefined) => options.onConsumedCapacity?.(operation, capacity);
  // Capacity is asked for only when someone listens (tests, benchmarks): DynamoDB does less work otherwise.
  const ReturnConsumedCapacity = options.onConsumedCapacity ? ('TOTAL' as const) : undefined;
  const tokens = options.pageTokens ?? processPageTokens;

  async function run(request: any): Promise<DataSourceOutcome> {
    switch (request.operation) {
      case 'GetItem': {
        const out = await client.send(
          new GetItemCommand({ TableName, Key: toSdkItem(request.key), ConsistentRead: request.consistentRead ?? false, ReturnConsumedCapacity, ...projectionOf(request.projection), ExpressionAttributeNames: request.projection?.expressionNames }),
        );
        consumed('GetItem', out.ConsumedCapacity);
        return { result: fromItem(out.Item) };
      }
      case 'PutItem': {
        const item = toSdkItem({ ...request.attributeValues, ...request.key });
        const condition: Expression | undefined = request.condition;
        try {
          const out = await client.send(
            new PutItemCommand({
              TableName,
              Item: item,
              ConditionExpression: condition?.expression,
              ExpressionAttributeNames: names(condition),
              ExpressionAttributeValues: values(condition),
              ReturnConsumedCapacity,
            }),
          );
          consumed('PutItem', out.ConsumedCapacity);
          return { result: unmarshall(item) };
        } catch (error) {
          return conditionFailure(error, 'PutItem', toSdkItem(request.key), condition, unmarshall(item));
        }
      }
      case 'UpdateItem': {
        const update: Expression = request.update;
        const condition: Expression | undefined = request.condition;
        try {
          const out = await client.send(
            new UpdateItemCommand({
              TableName,
              Key: toSdkItem(request.key),
              UpdateExpression: update.expression,
              ConditionExpression: condition?.expression,
              ExpressionAttributeNames: names(update, condition),
              ExpressionAttributeValues: values(update, condition),
              ReturnValues: 'ALL_NEW',
              ReturnConsumedCapacity,
            }),
          );
          consumed('UpdateItem', out.ConsumedCapacity);
          return { result: fromItem(out.Attributes) };
        } catch (error) {
          return conditionFailure(error, 'UpdateItem', toSdkItem(request.key), condition);
        }
      }
      case 'DeleteItem': {
        const condition: Expression | undefined = request.condition;
        try {
          const out = await client.send(
            new DeleteItemCommand({
              TableName,
              Key: toSdkItem(request.key),
              ConditionExpression: condition?.expression,
              ExpressionAttributeNames: names(condition),
              ExpressionAttributeValues: values(condition),
              ReturnValues: 'ALL_OLD',
              ReturnConsumedCapacity,
            }),
          );
          consumed('DeleteItem', out.ConsumedCapacity);
          return { result: fromItem(out.Attributes) };
        } catch (error) {
          return conditionFailure(error, 'DeleteItem', toSdkItem(request.key), condition);
        }
      }
      case 'Query': {
        const query: Expression = request.query;
        const filter: Expression | undefined = request.filter ?? undefined;
        const boundTo = `${TableName}|${request.index ?? ''}|${JSON.stringify(query)}`;
        const out = await client.send(
          new QueryCommand({
            TableName,
            IndexName: request.index ?? undefined,
            KeyConditionExpression: query.expression,
            FilterExpression: filter?.expression,
            ExpressionAttributeNames: names(query, filter, request.projection),
            ExpressionAttributeValues: values(query, filter),
            ExclusiveStartKey: tokens.open(request.nextToken, boundTo),
            Limit: request.limit ?? undefined,
            ScanIndexForward: request.scanIndexForward ?? true,
            ConsistentRead: request.consistentRead ?? false,
            Select: request.select ?? undefined,
            ...projectionOf(request.projection),
            ReturnConsumedCapacity,
          }),
        );
        consumed('Query', out.ConsumedCapacity);
        return { result: { items: (out.Items ?? []).map((i) => unmarshall(i)), nextToken: tokens.seal(out.LastEvaluatedKey, boundTo), scannedCount: out.ScannedCount ?? 0 } };
      }
      case 'Scan': {
        const filter: Expression | undefined = request.filter ?? undefined;
        const boundTo = `${TableName}|${request.index ?? ''}|scan|${JSON.stringify(filter ?? null)}|${request.segment ?? ''}/${request.totalSegments ?? ''}`;
        const out = await client.send(
          new ScanCommand({
            TableName,
            IndexName: request.index ?? undefined,
            FilterExpression: filter?.expression,
            ExpressionAttributeNames: names(filter, request.projection),
            ExpressionAttributeValues: values(filter),
            ExclusiveStartKey: tokens.open(request.nextToken, boundTo),
            Limit: request.limit ?? undefined,
            ConsistentRead: request.consistentRead ?? false,
            Segment: request.segment ?? undefined,
            TotalSegments: request.totalSegments ?? undefined,
            Select: request.select ?? undefined,
            ...projectionOf(request.projection),
            ReturnConsumedCapacity,
          }),
        );
        consumed('Scan', out.ConsumedCapacity);
        return { result: { items: (out.Items ?? []).map((i) => unmarshall(i)), nextToken: tokens.seal(out.LastEvaluatedKey, boundTo), scannedCount: out.ScannedCount ?? 0 } };
      }
      case 'BatchGetItem': {
        // AppSync answers `data.<table>` in the order of the keys asked, null for a missing item.
        const tables = request.tables as Record<string, { keys: Av[]; consistentRead?: boolean; projection?: Expression }>;
        const out = await client.send(
          new BatchGetItemCommand({
            RequestItems: Object.fromEntries(Object.entries(tables).map(([name, t]) => [physical(name), { Keys: t.keys.map(toSdkItem), ConsistentRead: t.consistentRead ?? false }])),
            ReturnConsumedCapacity,
          }),
        );
        consumed('BatchGetItem', out.ConsumedCapacity);
        const data: Record<string, unknown[]> = {};
        const unprocessedKeys: Record<string, unknown[]> = {};
        for (const [name, t] of Object.entries(tables)) {
          const found = (out.Responses?.[physical(name)] ?? []).map((i) => unmarshall(i));
          const unprocessed = out.UnprocessedKeys?.[physical(name)]?.Keys ?? [];
          data[name] = t.keys.map((key) => {
            const k = unmarshall(toSdkItem(key));
            return found.find((item) => Object.entries(k).every(([a, v]) => isDeepStrictEqual(item[a], v))) ?? null;
          });
          unprocessedKeys[name] = unprocessed.map((k) => unmarshall(k));
        }
        return { result: { data, unprocessedKeys } };
      }
      case 'BatchPutItem':
      case 'BatchDeleteItem': {
        const put = request.operation === 'BatchPutItem';
        const tables = request.tables as Record<string, Av[]>;
        const out = await client.send(
          new BatchWriteItemCommand({
            RequestItems: Object.fromEntries(
              Object.entries(tables).map(([name, entries]) => [physical(name), entries.map((e) => (put ? { PutRequest: { Item: toSdkItem(e) } } : { DeleteRequest: { Key: toSdkItem(e) } }))]),
            ),
            ReturnConsumedCapacity,
          }),
        );
        consumed(request.operation, out.ConsumedCapacity);
        const data: Record<string, unknown[]> = {};
        const unprocessed: Record<string, unknown[]> = {};
        for (const [name, entries] of Object.entries(tables)) {
          const left = out.UnprocessedItems?.[physical(name)] ?? [];
          unprocessed[name] = left.map((w) => unmarshall((put ? w.PutRequest?.Item : w.DeleteRequest?.Key) ?? {}));
          data[name] = entries.map((e) => unmarshall(toSdkItem(e)));
        }
        return { result: put ? { data, unprocessedItems: unprocessed } : { data, unprocessedKeys: unprocessed } };
      }
      default:
        // TransactGetItems/TransactWriteItems/Sync: the embedded DynamoDB has no transactions,
        // and DESIGN.md keeps them out of the data path.
        return { result: null, error: { message: `Unsupported DynamoDB operation ${String(request.operation)}`, type: 'DynamoDB:UnsupportedOperation' } };
    }
  }

  /**
   * A failed condition as AppSync's DynamoDB function handles it
   * (https://docs.aws.amazon.com/appsync/latest/devguide/js-aws-appsync-resolver-reference-dynamodb-condition-expressions.html,
   * "Handling a condition check failure"): it reads the current item (strongly consistent unless
   * `condition.consistentRead` is false), then
   * - PutItem: the current item equals the one written, bar `equalsIgnore` → success, that item;
   * - DeleteItem: no current item → success (nothing to delete is what was wanted);
   * - UpdateItem, and any other case: the Reject strategy, an error, with the current item.
   */
  async function conditionFailure(error: unknown, operation: 'PutItem' | 'UpdateItem' | 'DeleteItem', key: Av, condition: (Expression & { equalsIgnore?: string[]; consistentRead?: boolean }) | undefined, desired?: Record<string, unknown>): Promise<DataSourceOutcome> {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    const out = await client.send(new GetItemCommand({ TableName, Key: key, ConsistentRead: condition?.consistentRead ?? true }));
    const current = fromItem(out.Item);
    if (operation === 'DeleteItem' && !current) return { result: null };
    if (operation === 'PutItem' && desired && current) {
      const ignored = condition?.equalsIgnore ?? [];
      const strip = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => !ignored.includes(k)));
      if (isDeepStrictEqual(strip(current), strip(desired))) return { result: current };
    }
    return { result: current, error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' } };
  }

  return async (request) => {
    try {
      return await run(request);
    } catch (error) {
      const e = error as { name?: string; message?: string };
      if (error instanceof InvalidNextTokenError) return { result: null, error: { ...INVALID_NEXT_TOKEN_ERROR } };
      return { result: null, error: { message: e.message ?? 'DynamoDB request failed', type: `DynamoDB:${e.name ?? 'DynamoDbException'}` } };
    }
  };
}

export type LambdaInvoker = (payload: unknown, invocationType: 'RequestResponse' | 'Event') => Promise<unknown>;

/** `{ operation: 'Invoke', payload, invocationType? }`; an Event invocation answers null at once. */
export function lambdaDataSource(invoke: LambdaInvoker): DataSource {
  return async (request) => {
    if (request?.operation !== 'Invoke') {
      return { result: null, error: { message: `Unsupported Lambda operation ${String(request?.operation)}`, type: 'Lambda:UnsupportedOperation' } };
    }
    const type = request.invocationType === 'Event' ? 'Event' : 'RequestResponse';
    try {
      const result = await invoke(request.payload ?? null, type);
      return { result: type === 'Event' ? null : (result ?? null) };
    } catch (error) {
      return { result: null, error: { message: (error as Error).message ?? 'Lambda invocation failed', type: 'Lambda:Unhandled' } };
    }
  };
}

/** NONE: the request's `payload` comes back as the result (local resolvers, publish fan-out). */
export const noneDataSource: DataSource = async (request) => ({ result: request?.payload ?? null });
