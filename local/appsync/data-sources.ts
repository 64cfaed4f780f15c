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
  const merged = Object.assign({}, ...expressions.map((e) => e?.expressionValues ?? {}));
  return Object.keys(merged).length ? merged : undefined;
}

/**
 * `nextToken` is opaque to clients. AppSync's is an encrypted blob; here it is the
 * LastEvaluatedKey in base64url. It cannot cross users: every key condition starts with the
 * caller's id, and DynamoDB rejects a start key outside the queried partition.
 */
export function encodeNextToken(key: Av | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

export class InvalidNextTokenError extends Error {}

export function decodeNextToken(token: unknown): Av | undefined {
  if (token === undefined || token === null) return undefined;
  try {
    const key = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Av;
  } catch {
    // falls through to the error below
  }
  throw new InvalidNextTokenError('Invalid pagination token given');
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
}

export function dynamoDbDataSource(options: DynamoDbDataSourceOptions): DataSource {
  const { client, tableName: TableName } = options;
  const physical = options.physicalName ?? ((name: string) => name);
  const consumed = (operation: string, capacity: ConsumedCapacity | ConsumedCapacity[] | undefined) => options.onConsumedCapacity?.(operation, capacity);
  // Capacity is asked for only when someone listens (tests, benchmarks): DynamoDB does less work otherwise.
  const ReturnConsumedCapacity = options.onConsumedCapacity ? ('TOTAL' as const) : undefined;

  async function run(request: any): Promise<DataSourceOutcome> {
    switch (request.operation) {
      case 'GetItem': {
        const out = await client.send(
          new GetItemCommand({ TableName, Key: request.key, ConsistentRead: request.consistentRead ?? false, ReturnConsumedCapacity, ...projectionOf(request.projection), ExpressionAttributeNames: request.projection?.expressionNames }),
        );
        consumed('GetItem', out.ConsumedCapacity);
        return { result: fromItem(out.Item) };
      }
      case 'PutItem': {
        const item = { ...request.attributeValues, ...request.key };
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
          return conditionFailure(error, request.key, unmarshall(item), (condition as { equalsIgnore?: string[] } | undefined)?.equalsIgnore);
        }
      }
      case 'UpdateItem': {
        const update: Expression = request.update;
        const condition: Expression | undefined = request.condition;
        try {
          const out = await client.send(
            new UpdateItemCommand({
              TableName,
              Key: request.key,
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
          return conditionFailure(error, request.key, undefined, undefined);
        }
      }
      case 'DeleteItem': {
        const condition: Expression | undefined = request.condition;
        try {
          const out = await client.send(
            new DeleteItemCommand({
              TableName,
              Key: request.key,
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
          return conditionFailure(error, request.key, undefined, undefined);
        }
      }
      case 'Query': {
        const query: Expression = request.query;
        const filter: Expression | undefined = request.filter ?? undefined;
        const out = await client.send(
          new QueryCommand({
            TableName,
            IndexName: request.index ?? undefined,
            KeyConditionExpression: query.expression,
            FilterExpression: filter?.expression,
            ExpressionAttributeNames: names(query, filter, request.projection),
            ExpressionAttributeValues: values(query, filter),
            ExclusiveStartKey: decodeNextToken(request.nextToken),
            Limit: request.limit ?? undefined,
            ScanIndexForward: request.scanIndexForward ?? true,
            ConsistentRead: request.consistentRead ?? false,
            Select: request.select ?? undefined,
            ...projectionOf(request.projection),
            ReturnConsumedCapacity,
          }),
        );
        consumed('Query', out.ConsumedCapacity);
        return { result: { items: (out.Items ?? []).map((i) => unmarshall(i)), nextToken: encodeNextToken(out.LastEvaluatedKey), scannedCount: out.ScannedCount ?? 0 } };
      }
      case 'Scan': {
        const filter: Expression | undefined = request.filter ?? undefined;
        const out = await client.send(
          new ScanCommand({
            TableName,
            IndexName: request.index ?? undefined,
            FilterExpression: filter?.expression,
            ExpressionAttributeNames: names(filter, request.projection),
            ExpressionAttributeValues: values(filter),
            ExclusiveStartKey: decodeNextToken(request.nextToken),
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
        return { result: { items: (out.Items ?? []).map((i) => unmarshall(i)), nextToken: encodeNextToken(out.LastEvaluatedKey), scannedCount: out.ScannedCount ?? 0 } };
      }
      case 'BatchGetItem': {
        // AppSync answers `data.<table>` in the order of the keys asked, null for a missing item.
        const tables = request.tables as Record<string, { keys: Av[]; consistentRead?: boolean; projection?: Expression }>;
        const out = await client.send(
          new BatchGetItemCommand({
            RequestItems: Object.fromEntries(Object.entries(tables).map(([name, t]) => [physical(name), { Keys: t.keys, ConsistentRead: t.consistentRead ?? false }])),
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
            const k = unmarshall(key);
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
              Object.entries(tables).map(([name, entries]) => [physical(name), entries.map((e) => (put ? { PutRequest: { Item: e } } : { DeleteRequest: { Key: e } }))]),
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
          data[name] = entries.map((e) => unmarshall(e));
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
   * A failed condition as AppSync handles it: when the item already is what the write wanted
   * (a retried PutItem), it counts as a success; otherwise the error carries the current item
   * in `ctx.result` (the "Reject" strategy:
   * https://docs.aws.amazon.com/appsync/latest/devguide/js-aws-appsync-resolver-reference-dynamodb-condition-expressions.html).
   */
  async function conditionFailure(error: unknown, key: Av, desired: Record<string, unknown> | undefined, equalsIgnore: string[] | undefined): Promise<DataSourceOutcome> {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    const out = await client.send(new GetItemCommand({ TableName, Key: key, ConsistentRead: true }));
    const current = fromItem(out.Item);
    if (desired && current) {
      const strip = (item: Record<string, unknown>) => Object.fromEntries(Object.entries(item).filter(([k]) => !(equalsIgnore ?? []).includes(k)));
      if (isDeepStrictEqual(strip(current), strip(desired))) return { result: current };
    }
    return { result: current, error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' } };
  }

  return async (request) => {
    try {
      return await run(request);
    } catch (error) {
      const e = error as { name?: string; message?: string };
      if (error instanceof InvalidNextTokenError) return { result: null, error: { message: e.message!, type: 'DynamoDB:DynamoDbException' } };
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
