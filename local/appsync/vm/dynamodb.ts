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
export type Expression = {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, AttributeValue>;
};

export const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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
  toS3Object: (key: string, bucket: string, region: string, version?: string) => ({
    S: JSON.stringify({ s3: version ? { key, bucket, region, version } : { key, bucket, region } }),
  }),
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
 * The filter and condition objects of util.transform (and of the module's `condition` / `filter`),
 * written as AppSync writes them, checked against its EvaluateCode: every comparison in its own
 * parentheses, a function without a space after its comma, terms joined by AND at the top level
 * without outer parentheses, a group of several terms parenthesized as a whole
 * (`{ title: { contains: "Hello World" } }` → `(contains(#title,:title_contains))`;
 * `{ id: { attributeExists: true }, version: { eq: 10 } }` → `(attribute_exists(#id)) AND (#version = :version_eq)`).
 * Values under `and`/`or`/`not` are prefixed with the path to them (`:or_0_status_eq`), so the
 * same field compared twice keeps two placeholders.
 *
 * `allowConditionOnly`: toDynamoDBConditionExpression "supports the remaining methods that
 * DynamoDB condition expressions support, such as size, attribute_exists" (the reference and
 * @aws-appsync/utils' TransformUtils); toDynamoDBFilterExpression does not.
 */
class FilterBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};

  constructor(private readonly allowConditionOnly: boolean) {}

  /** The terms of one filter object, each already parenthesized, joined with AND. */
  terms(filter: Record<string, unknown>, prefix: string): string[] {
    const out: string[] = [];
    for (const [key, spec] of Object.entries(filter)) {
      if (spec === undefined || spec === null) continue;
      if (key === 'and' || key === 'or') {
        const joiner = key === 'and' ? ' AND ' : ' OR ';
        const groups = Array.isArray(spec)
          ? spec.map((f, i) => this.terms(f as Record<string, unknown>, path(prefix, key, String(i))).join(' AND '))
          : [this.terms(spec as Record<string, unknown>, path(prefix, key)).join(' AND ')];
        const nonEmpty = groups.filter(Boolean);
        if (nonEmpty.length) out.push(group(nonEmpty.join(joiner), nonEmpty.length > 1));
      } else if (key === 'not') {
        const inner = this.terms(spec as Record<string, unknown>, path(prefix, key));
        if (inner.length) out.push(`NOT ${group(inner.join(' AND '), inner.length > 1)}`);
      } else if (isMap(spec)) {
        const fieldTerms = Object.entries(spec)
          .filter(([, operand]) => operand !== undefined)
          .map(([operator, operand]) => this.term(key, operator, operand, prefix));
        if (fieldTerms.length) out.push(group(fieldTerms.join(' AND '), fieldTerms.length > 1));
      }
    }
    return out;
  }

  private name(field: string): string {
    const placeholder = `#${field}`;
    this.names[placeholder] = field;
    return placeholder;
  }

  private value(field: string, operator: string, prefix: string, value: unknown): string {
    const placeholder = `:${path(prefix, field, operator)}`;
    this.values[placeholder] = toDynamoDB(value);
    return placeholder;
  }

  private term(field: string, operator: string, operand: unknown, prefix: string): string {
    const name = this.name(field);
    if (Object.hasOwn(COMPARATORS, operator))
      return `(${name} ${COMPARATORS[operator]} ${this.value(field, operator, prefix, operand)})`;
    switch (operator) {
      case 'contains':
        return `(contains(${name},${this.value(field, operator, prefix, operand)}))`;
      case 'notContains':
        return `(NOT contains(${name},${this.value(field, operator, prefix, operand)}))`;
      case 'beginsWith':
        return `(begins_with(${name},${this.value(field, operator, prefix, operand)}))`;
      case 'between': {
        const [low, high] = operand as unknown[];
        return `(${name} BETWEEN ${this.value(field, 'between_1', prefix, low)} AND ${this.value(field, 'between_2', prefix, high)})`;
      }
      case 'in':
        return `(${name} IN (${(operand as unknown[]).map((v, i) => this.value(field, `in_${i}`, prefix, v)).join(',')}))`;
      case 'attributeType':
        return `(attribute_type(${name},${this.value(field, operator, prefix, operand)}))`;
      case 'attributeExists':
        if (this.allowConditionOnly) return operand ? `(attribute_exists(${name}))` : `(attribute_not_exists(${name}))`;
        break;
      case 'size':
        if (this.allowConditionOnly && isMap(operand)) {
          const sizes = Object.entries(operand).map(
            ([op, v]) => `(size(${name}) ${COMPARATORS[op]} ${this.value(field, `size_${op}`, prefix, v)})`,
          );
          return group(sizes.join(' AND '), sizes.length > 1);
        }
        break;
    }
    throw codeError(`Unsupported ${this.allowConditionOnly ? 'condition' : 'filter'} operator ${operator} on ${field}`);
  }
}

const path = (...parts: string[]) => parts.filter(Boolean).join('_');
const group = (terms: string, several: boolean) => (several ? `(${terms})` : terms);

export function toDynamoDBFilterObject(filter: Record<string, unknown>, allowConditionOnly: boolean): Expression {
  const b = new FilterBuilder(allowConditionOnly);
  return { expression: b.terms(filter, '').join(' AND '), expressionNames: b.names, expressionValues: b.values };
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
      if (Object.hasOwn(COMPARATORS, operator) && operator !== 'ne')
        parts.push(`${name} ${COMPARATORS[operator]} ${b.value(field, operator, operand)}`);
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

// What `operations.*` return on AppSync (EvaluateCode of `ddb.operations.increment(10)` is
// `{ "type": "OPERATION_INCREMENT", "by": 10 }`); update() reads them back.
type UpdateOperation =
  | { type: 'OPERATION_ADD' | 'OPERATION_REPLACE'; value: unknown }
  | { type: 'OPERATION_REMOVE' }
  | { type: 'OPERATION_INCREMENT' | 'OPERATION_DECREMENT'; by: number }
  | { type: 'OPERATION_APPEND' | 'OPERATION_PREPEND'; items: unknown[] }
  | { type: 'OPERATION_UPDATE_LIST_ITEM'; value: unknown; index: number };

const operations = {
  add: (value: unknown): UpdateOperation => ({ type: 'OPERATION_ADD', value }),
  remove: (): UpdateOperation => ({ type: 'OPERATION_REMOVE' }),
  replace: (value: unknown): UpdateOperation => ({ type: 'OPERATION_REPLACE', value }),
  increment: (by = 1): UpdateOperation => ({ type: 'OPERATION_INCREMENT', by }),
  decrement: (by = 1): UpdateOperation => ({ type: 'OPERATION_DECREMENT', by }),
  append: (items: unknown[]): UpdateOperation => ({ type: 'OPERATION_APPEND', items }),
  prepend: (items: unknown[]): UpdateOperation => ({ type: 'OPERATION_PREPEND', items }),
  updateListItem: (value: unknown, index: number): UpdateOperation => ({
    type: 'OPERATION_UPDATE_LIST_ITEM',
    value,
    index,
  }),
};

const isOperation = (value: unknown): value is UpdateOperation =>
  isMap(value) && typeof value.type === 'string' && value.type.startsWith('OPERATION_');

/**
 * AppSync's update(): one SET clause (and a REMOVE one) with placeholders numbered in the
 * order of the update object (`#expName_1`, `:expValue_1`), as its EvaluateCode answers
 * (`{ age: operations.increment(10) }` → `SET #expName_1 = #expName_1 + :expValue_1`). Plain
 * values (null included) are set as given; an increment, an append or a prepend reads the
 * attribute, so like DynamoDB it fails on an item without it: give those a value first. A
 * plain object updates its keys one by one under the attribute's path; `replace` (or `add`)
 * sets the whole value.
 */
function updateExpression(update: Record<string, unknown>): Expression {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const set: string[] = [];
  const remove: string[] = [];
  let nameCount = 0;
  let valueCount = 0;
  const nameOf = (field: string) => {
    const placeholder = `#expName_${(nameCount += 1)}`;
    names[placeholder] = field;
    return placeholder;
  };
  const valueOf = (value: unknown) => {
    const placeholder = `:expValue_${(valueCount += 1)}`;
    values[placeholder] = toDynamoDB(value);
    return placeholder;
  };
  const visit = (object: Record<string, unknown>, parent: string) => {
    for (const [field, spec] of Object.entries(object)) {
      if (spec === undefined) continue;
      const name = `${parent}${nameOf(field)}`;
      if (
        Array.isArray(spec) &&
        spec.length > 0 &&
        spec.every((s) => isOperation(s) && s.type === 'OPERATION_UPDATE_LIST_ITEM')
      ) {
        for (const item of spec as Array<{ value: unknown; index: number }>)
          set.push(`${name}[${item.index}] = ${valueOf(item.value)}`);
        continue;
      }
      if (!isOperation(spec)) {
        if (isMap(spec)) visit(spec, `${name}.`);
        else set.push(`${name} = ${valueOf(spec)}`);
        continue;
      }
      switch (spec.type) {
        case 'OPERATION_REMOVE':
          remove.push(name);
          break;
        case 'OPERATION_INCREMENT':
          set.push(`${name} = ${name} + ${valueOf(spec.by)}`);
          break;
        case 'OPERATION_DECREMENT':
          set.push(`${name} = ${name} - ${valueOf(spec.by)}`);
          break;
        case 'OPERATION_APPEND':
          set.push(`${name} = list_append(${name}, ${valueOf(spec.items)})`);
          break;
        case 'OPERATION_PREPEND':
          set.push(`${name} = list_append(${valueOf(spec.items)}, ${name})`);
          break;
        case 'OPERATION_UPDATE_LIST_ITEM':
          set.push(`${name}[${spec.index}] = ${valueOf(spec.value)}`);
          break;
        default:
          set.push(`${name} = ${valueOf(spec.value)}`);
      }
    }
  };
  visit(update, '');
  const clauses = [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''];
  const out: Expression = { expression: clauses.filter(Boolean).join(' ') };
  if (nameCount) out.expressionNames = names;
  if (valueCount) out.expressionValues = values;
  return out;
}

function projectionOf(projection: string[] | undefined) {
  if (!projection || !projection.length) return undefined;
  const b = new ExpressionBuilder();
  return {
    expression: projection
      .map((p) =>
        p
          .split('.')
          .map((part) => b.name(part))
          .join('.'),
      )
      .join(', '),
    expressionNames: b.names,
  };
}

const conditionOf = (condition: Record<string, unknown> | null | undefined) =>
  condition ? toDynamoDBFilterObject(condition, true) : undefined;
const filterOf = (filter: Record<string, unknown> | null | undefined) =>
  filter ? toDynamoDBFilterObject(filter, false) : undefined;

function withoutUndefined<T extends Record<string, unknown>>(request: T): T {
  return Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined && v !== null)) as T;
}

export const dynamodbModule = {
  operations,
  get: (p: { key: Record<string, unknown>; consistentRead?: boolean; projection?: string[] }) =>
    withoutUndefined({
      operation: 'GetItem',
      key: toMapValues(p.key),
      consistentRead: p.consistentRead,
      projection: projectionOf(p.projection),
    }),
  put: (p: {
    key: Record<string, unknown>;
    item: Record<string, unknown>;
    condition?: Record<string, unknown>;
    _version?: number;
  }) =>
    withoutUndefined({
      operation: 'PutItem',
      key: toMapValues(p.key),
      attributeValues: toMapValues(p.item),
      condition: conditionOf(p.condition),
      _version: p._version,
    }),
  remove: (p: { key: Record<string, unknown>; condition?: Record<string, unknown>; _version?: number }) =>
    withoutUndefined({
      operation: 'DeleteItem',
      key: toMapValues(p.key),
      condition: conditionOf(p.condition),
      _version: p._version,
    }),
  update: (p: {
    key: Record<string, unknown>;
    update: Record<string, unknown>;
    condition?: Record<string, unknown>;
    _version?: number;
  }) =>
    withoutUndefined({
      operation: 'UpdateItem',
      key: toMapValues(p.key),
      update: updateExpression(p.update),
      condition: conditionOf(p.condition),
      _version: p._version,
    }),
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
    withoutUndefined({
      operation: 'Sync',
      basePartitionKey: p.basePartitionKey,
      deltaIndexName: p.deltaIndexName,
      limit: p.limit,
      nextToken: p.nextToken,
      lastSync: p.lastSync,
      filter: filterOf(p.filter),
    }),
  batchGet: (p: {
    tables: Record<string, { keys: Record<string, unknown>[]; consistentRead?: boolean } | Record<string, unknown>[]>;
  }) => ({
    operation: 'BatchGetItem',
    tables: Object.fromEntries(
      Object.entries(p.tables).map(([table, spec]) => {
        const keys = Array.isArray(spec) ? spec : spec.keys;
        return [
          table,
          withoutUndefined({
            keys: keys.map((k) => toMapValues(k)),
            consistentRead: Array.isArray(spec) ? undefined : spec.consistentRead,
          }),
        ];
      }),
    ),
  }),
  batchPut: (p: { tables: Record<string, Record<string, unknown>[]> }) => ({
    operation: 'BatchPutItem',
    tables: Object.fromEntries(
      Object.entries(p.tables).map(([table, items]) => [table, items.map((i) => toMapValues(i))]),
    ),
  }),
  batchDelete: (p: { tables: Record<string, Record<string, unknown>[]> }) => ({
    operation: 'BatchDeleteItem',
    tables: Object.fromEntries(
      Object.entries(p.tables).map(([table, keys]) => [table, keys.map((k) => toMapValues(k))]),
    ),
  }),
};
