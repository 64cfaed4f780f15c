/**
 * `util.dynamodb`, `util.transform`'s DynamoDB expressions and `@aws-appsync/utils/dynamodb`,
 * as the APPSYNC_JS references document them
 * (https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html,
 * .../transformation-helpers-in-utils-transform-js.html, .../built-in-modules-js.html).
 *
 * Runs inside the resolver's vm realm (local/appsync/vm/runtime.ts): no Node APIs here.
 */
import { codeError } from './signals.ts';

export type AttributeValue = Record<string, unknown>;
export type Expression = { expression: string; expressionNames?: Record<string, string>; expressionValues?: Record<string, AttributeValue> };

export const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------- util.dynamodb

// Numbers stay numbers and null is `{ "NULL" : null }`, exactly as the reference shows
// (`toDynamoDB(12345)` → `{ "N" : 12345 }`, `toNull()` → `{ "NULL" : null }`); the data source
// turns them into the wire form (N as a string, NULL true) when it calls DynamoDB.
export function toDynamoDB(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toDynamoDB) };
  if (isMap(value)) return { M: toMapValues(value) };
  throw codeError(`Unsupported value for DynamoDB: ${String(value)}`);
}

export function toMapValues(value: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toDynamoDB(v);
  return out;
}

const absent = (v: unknown) => v === null || v === undefined;

export const dynamodbUtils = {
  toDynamoDB,
  toMapValues,
  toString: (s: string | null | undefined) => (absent(s) ? null : { S: s }),
  toStringSet: (l: string[] | null | undefined) => (Array.isArray(l) ? { SS: [...l] } : null),
  toNumber: (n: number | null | undefined) => (absent(n) ? null : { N: n }),
  toNumberSet: (l: number[] | null | undefined) => (Array.isArray(l) ? { NS: [...l] } : null),
  toBinary: (b: string | null | undefined) => (absent(b) ? null : { B: b }),
  toBinarySet: (l: string[] | null | undefined) => (Array.isArray(l) ? { BS: [...l] } : null),
  toBoolean: (b: boolean | null | undefined) => (absent(b) ? null : { BOOL: b }),
  toNull: () => ({ NULL: null }),
  toList: (l: unknown[] | null | undefined) => (Array.isArray(l) ? { L: l.map(toDynamoDB) } : null),
  toMap: (m: Record<string, unknown>) => (isMap(m) ? { M: toMapValues(m) } : null),
  toS3Object: (key: string, bucket: string, region: string, version?: string) => ({ S: JSON.stringify({ s3: version ? { key, bucket, region, version } : { key, bucket, region } }) }),
  fromS3ObjectJson: (json: string) => JSON.parse(json).s3,
};

// ---------------------------------------------------------------- expressions

/** Placeholders named as AppSync names them (`#field`, `:field_operator`), unique per expression. */
class ExpressionBuilder {
  names: Record<string, string> = {};
  values: Record<string, AttributeValue> = {};

  name(field: string): string {
    const placeholder = `#${field.replace(/[^A-Za-z0-9_]/g, '_')}`;
    this.names[placeholder] = field;
    return placeholder;
  }

  value(field: string, suffix: string, value: unknown): string {
    const base = `:${field.replace(/[^A-Za-z0-9_]/g, '_')}_${suffix}`;
    let placeholder = base;
    for (let i = 1; Object.hasOwn(this.values, placeholder); i += 1) placeholder = `${base}_${i}`;
    this.values[placeholder] = toDynamoDB(value);
    return placeholder;
  }

  result(expression: string): Expression {
    const out: Expression = { expression };
    if (Object.keys(this.names).length) out.expressionNames = this.names;
    if (Object.keys(this.values).length) out.expressionValues = this.values;
    return out;
  }
}

const COMPARATORS: Record<string, string> = { eq: '=', ne: '<>', le: '<=', lt: '<', ge: '>=', gt: '>' };

/**
 * `allowConditionOnly`: toDynamoDBConditionExpression "supports the remaining methods that
 * DynamoDB condition expressions support, such as size, attribute_exists" (the reference and
 * @aws-appsync/utils' TransformUtils); toDynamoDBFilterExpression does not.
 */
function operationExpression(b: ExpressionBuilder, field: string, operator: string, operand: unknown, allowConditionOnly: boolean): string {
  const name = b.name(field);
  if (Object.hasOwn(COMPARATORS, operator)) return `${name} ${COMPARATORS[operator]} ${b.value(field, operator, operand)}`;
  switch (operator) {
    case 'contains':
      return `contains(${name}, ${b.value(field, operator, operand)})`;
    case 'notContains':
      return `NOT contains(${name}, ${b.value(field, operator, operand)})`;
    case 'beginsWith':
      return `begins_with(${name}, ${b.value(field, operator, operand)})`;
    case 'between': {
      const [low, high] = operand as unknown[];
      return `${name} BETWEEN ${b.value(field, 'between_0', low)} AND ${b.value(field, 'between_1', high)}`;
    }
    case 'in':
      return `${name} IN (${(operand as unknown[]).map((v, i) => b.value(field, `in_${i}`, v)).join(', ')})`;
    case 'attributeType':
      return `attribute_type(${name}, ${b.value(field, operator, operand)})`;
    case 'attributeExists':
      if (allowConditionOnly) return operand ? `attribute_exists(${name})` : `attribute_not_exists(${name})`;
      break;
    case 'size':
      if (allowConditionOnly && isMap(operand)) {
        return Object.entries(operand)
          .map(([op, v]) => `size(${name}) ${COMPARATORS[op]} ${b.value(field, `size_${op}`, v)}`)
          .join(' AND ');
      }
      break;
  }
  throw codeError(`Unsupported ${allowConditionOnly ? 'condition' : 'filter'} operator ${operator} on ${field}`);
}

// A single condition stands alone ("contains(#title, :title_contains)", as the reference shows);
// several are each parenthesized and joined, so precedence never depends on the operators.
function joined(parts: string[], operator: 'AND' | 'OR'): string {
  return parts.length === 1 ? parts[0] : `(${parts.map((p) => `(${p})`).join(` ${operator} `)})`;
}

function filterExpression(b: ExpressionBuilder, filter: Record<string, unknown>, allowConditionOnly: boolean): string {
  const parts: string[] = [];
  for (const [key, spec] of Object.entries(filter)) {
    if (spec === undefined || spec === null) continue;
    if (key === 'and' || key === 'or') {
      const list = (Array.isArray(spec) ? spec : [spec]).map((f) => filterExpression(b, f as Record<string, unknown>, allowConditionOnly));
      parts.push(joined(list, key === 'and' ? 'AND' : 'OR'));
    } else if (key === 'not') {
      const list = (Array.isArray(spec) ? spec : [spec]).map((f) => filterExpression(b, f as Record<string, unknown>, allowConditionOnly));
      parts.push(`NOT (${joined(list, 'AND')})`);
    } else if (isMap(spec)) {
      for (const [operator, operand] of Object.entries(spec)) {
        if (operand !== undefined) parts.push(operationExpression(b, key, operator, operand, allowConditionOnly));
      }
    }
  }
  return joined(parts, 'AND');
}

export function toDynamoDBFilterObject(filter: Record<string, unknown>, allowConditionOnly: boolean): Expression {
  const b = new ExpressionBuilder();
  return b.result(filterExpression(b, filter, allowConditionOnly));
}

function keyConditionExpression(query: Record<string, unknown>): Expression {
  // Key conditions allow no OR/NOT and no parentheses around each term.
  const b = new ExpressionBuilder();
  const parts: string[] = [];
  for (const [field, spec] of Object.entries(query)) {
    if (!isMap(spec)) continue;
    for (const [operator, operand] of Object.entries(spec)) {
      if (operand === undefined) continue;
      const name = b.name(field);
      if (Object.hasOwn(COMPARATORS, operator) && operator !== 'ne') parts.push(`${name} ${COMPARATORS[operator]} ${b.value(field, operator, operand)}`);
      else if (operator === 'beginsWith') parts.push(`begins_with(${name}, ${b.value(field, operator, operand)})`);
      else if (operator === 'between') {
        const [low, high] = operand as unknown[];
        parts.push(`${name} BETWEEN ${b.value(field, 'between_0', low)} AND ${b.value(field, 'between_1', high)}`);
      } else throw codeError(`Unsupported key condition operator ${operator} on ${field}`);
    }
  }
  return b.result(parts.join(' AND '));
}

// ---------------------------------------------------------------- @aws-appsync/utils/dynamodb

type UpdateOperation = { __op: string; value?: unknown; index?: number };
const op = (name: string) => (value?: unknown, index?: number): UpdateOperation => ({ __op: name, value, index });
const operations = {
  add: op('add'),
  remove: () => ({ __op: 'remove' }),
  replace: op('replace'),
  increment: (by: number) => ({ __op: 'increment', value: by }),
  decrement: (by: number) => ({ __op: 'decrement', value: by }),
  append: op('append'),
  prepend: op('prepend'),
  updateListItem: (value: unknown, index: number) => ({ __op: 'updateListItem', value, index }),
};

function updateExpression(update: Record<string, unknown>): Expression {
  const b = new ExpressionBuilder();
  const set: string[] = [];
  const remove: string[] = [];
  const add: string[] = [];
  for (const [field, spec] of Object.entries(update)) {
    if (spec === undefined) continue;
    const name = b.name(field);
    const operation = isMap(spec) && typeof spec.__op === 'string' ? (spec as UpdateOperation) : { __op: 'replace', value: spec };
    switch (operation.__op) {
      case 'remove':
        remove.push(name);
        break;
      case 'increment':
        add.push(`${name} ${b.value(field, 'increment', operation.value)}`);
        break;
      case 'decrement':
        add.push(`${name} ${b.value(field, 'decrement', -(operation.value as number))}`);
        break;
      case 'append':
        set.push(`${name} = list_append(if_not_exists(${name}, ${b.value(field, 'empty', [])}), ${b.value(field, 'append', operation.value)})`);
        break;
      case 'prepend':
        set.push(`${name} = list_append(${b.value(field, 'prepend', operation.value)}, if_not_exists(${name}, ${b.value(field, 'empty', [])}))`);
        break;
      case 'updateListItem':
        set.push(`${name}[${operation.index}] = ${b.value(field, `item_${operation.index}`, operation.value)}`);
        break;
      default:
        set.push(`${name} = ${b.value(field, operation.__op, operation.value)}`);
    }
  }
  const clauses = [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : '', add.length ? `ADD ${add.join(', ')}` : ''].filter(Boolean);
  return b.result(clauses.join(' '));
}

function projectionOf(projection: string[] | undefined) {
  if (!projection || !projection.length) return undefined;
  const b = new ExpressionBuilder();
  return { expression: projection.map((p) => p.split('.').map((part) => b.name(part)).join('.')).join(', '), expressionNames: b.names };
}

const conditionOf = (condition: Record<string, unknown> | null | undefined) => (condition ? toDynamoDBFilterObject(condition, true) : undefined);
const filterOf = (filter: Record<string, unknown> | null | undefined) => (filter ? toDynamoDBFilterObject(filter, false) : undefined);

function withoutUndefined<T extends Record<string, unknown>>(request: T): T {
  return Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined && v !== null)) as T;
}

export const dynamodbModule = {
  operations,
  get: (p: { key: Record<string, unknown>; consistentRead?: boolean; projection?: string[] }) =>
    withoutUndefined({ operation: 'GetItem', key: toMapValues(p.key), consistentRead: p.consistentRead, projection: projectionOf(p.projection) }),
  put: (p: { key: Record<string, unknown>; item: Record<string, unknown>; condition?: Record<string, unknown>; _version?: number }) =>
    withoutUndefined({ operation: 'PutItem', key: toMapValues(p.key), attributeValues: toMapValues(p.item), condition: conditionOf(p.condition), _version: p._version }),
  remove: (p: { key: Record<string, unknown>; condition?: Record<string, unknown>; _version?: number }) =>
    withoutUndefined({ operation: 'DeleteItem', key: toMapValues(p.key), condition: conditionOf(p.condition), _version: p._version }),
  update: (p: { key: Record<string, unknown>; update: Record<string, unknown>; condition?: Record<string, unknown>; _version?: number }) =>
    withoutUndefined({ operation: 'UpdateItem', key: toMapValues(p.key), update: updateExpression(p.update), condition: conditionOf(p.condition), _version: p._version }),
  query: (p: Record<string, any>) =>
    withoutUndefined({
      operation: 'Query',
      query: keyConditionExpression(p.query),
      filter: filterOf(p.filter),
      index: p.index,
      nextToken: p.nextToken,
      limit: p.limit,
      scanIndexForward: p.scanIndexForward,
      consistentRead: p.consistentRead,
      select: p.select,
      projection: projectionOf(p.projection),
    }),
  scan: (p: Record<string, any>) =>
    withoutUndefined({
      operation: 'Scan',
      filter: filterOf(p.filter),
      index: p.index,
      nextToken: p.nextToken,
      limit: p.limit,
      consistentRead: p.consistentRead,
      segment: p.segment,
      totalSegments: p.totalSegments,
      select: p.select,
      projection: projectionOf(p.projection),
    }),
  sync: (p: Record<string, any>) =>
    withoutUndefined({ operation: 'Sync', basePartitionKey: p.basePartitionKey, deltaIndexName: p.deltaIndexName, limit: p.limit, nextToken: p.nextToken, lastSync: p.lastSync, filter: filterOf(p.filter) }),
  batchGet: (p: { tables: Record<string, { keys: Record<string, unknown>[]; consistentRead?: boolean } | Record<string, unknown>[]> }) => ({
    operation: 'BatchGetItem',
    tables: Object.fromEntries(
      Object.entries(p.tables).map(([table, spec]) => {
        const keys = Array.isArray(spec) ? spec : spec.keys;
        return [table, withoutUndefined({ keys: keys.map((k) => toMapValues(k)), consistentRead: Array.isArray(spec) ? undefined : spec.consistentRead })];
      }),
    ),
  }),
  batchPut: (p: { tables: Record<string, Record<string, unknown>[]> }) => ({
    operation: 'BatchPutItem',
    tables: Object.fromEntries(Object.entries(p.tables).map(([table, items]) => [table, items.map((i) => toMapValues(i))])),
  }),
  batchDelete: (p: { tables: Record<string, Record<string, unknown>[]> }) => ({
    operation: 'BatchDeleteItem',
    tables: Object.fromEntries(Object.entries(p.tables).map(([table, keys]) => [table, keys.map((k) => toMapValues(k))])),
  }),
};
