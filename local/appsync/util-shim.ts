import { randomBytes, randomUUID } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * `@aws-appsync/utils` and `@aws-appsync/utils/dynamodb` for the local executor, following
 * the APPSYNC_JS references (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html,
 * .../dynamodb-helpers-in-util-dynamodb-js.html, .../transformation-helpers-in-utils-transform-js.html,
 * .../time-helpers-in-util-time-js.html, .../extensions-js.html, .../runtime-utils-js.html).
 *
 * The objects live in the host realm but are called by code in a vm realm: values coming
 * from resolver code are inspected with Array.isArray/typeof, never `instanceof`.
 * Not emulated: util.rds, util.http, util.xml, extensions.evictFromApiCache (no cache locally).
 */
export interface InvocationState {
  errors: Array<{ message: string; errorType: string | null; data: unknown; errorInfo: unknown }>;
  logs: string[];
  subscriptionFilter?: unknown;
  invalidationFilter?: unknown;
  invalidations: Array<{ subscriptionField: string; payload: Record<string, unknown> }>;
  /** What util.authType() answers, e.g. 'User Pool Authorization'. */
  authType?: string;
}

export function newInvocationState(authType?: string): InvocationState {
  return { errors: [], logs: [], invalidations: [], authType };
}

/** Thrown by util.error and util.unauthorized: ends the resolution with this field error. */
export class UtilError extends Error {
  constructor(
    message: string,
    readonly errorType: string | null,
    readonly data: unknown,
    readonly errorInfo: unknown,
  ) {
    super(message);
  }
}

/** Thrown by runtime.earlyReturn. */
export class EarlyReturn {
  constructor(
    readonly value: unknown,
    readonly options?: { skipTo?: 'END' | 'NEXT' },
  ) {}
}

type AttributeValue = Record<string, unknown>;
type Expression = { expression: string; expressionNames?: Record<string, string>; expressionValues?: Record<string, AttributeValue> };

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------- util.dynamodb

function toDynamoDB(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toDynamoDB) };
  if (isMap(value)) return { M: toMapValues(value) };
  throw new UtilError(`Unsupported value for DynamoDB: ${String(value)}`, 'Code', null, null);
}

function toMapValues(value: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toDynamoDB(v);
  return out;
}

const dynamodbUtils = {
  toDynamoDB,
  toMapValues,
  toString: (s: string | null | undefined) => (s === null || s === undefined ? null : { S: s }),
  toStringSet: (l: string[] | null | undefined) => (l ? { SS: [...l] } : null),
  toNumber: (n: number | null | undefined) => (n === null || n === undefined ? null : { N: String(n) }),
  toNumberSet: (l: number[] | null | undefined) => (l ? { NS: l.map(String) } : null),
  toBinary: (b: string | null | undefined) => (b === null || b === undefined ? null : { B: b }),
  toBinarySet: (l: string[] | null | undefined) => (l ? { BS: [...l] } : null),
  toBoolean: (b: boolean | null | undefined) => (b === null || b === undefined ? null : { BOOL: b }),
  toNull: () => ({ NULL: true }),
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
    for (let i = 1; placeholder in this.values; i += 1) placeholder = `${base}_${i}`;
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

function operationExpression(b: ExpressionBuilder, field: string, operator: string, operand: unknown, allowSize: boolean): string {
  const name = b.name(field);
  if (operator in COMPARATORS) return `${name} ${COMPARATORS[operator]} ${b.value(field, operator, operand)}`;
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
    case 'attributeExists':
      return operand ? `attribute_exists(${name})` : `attribute_not_exists(${name})`;
    case 'attributeType':
      return `attribute_type(${name}, ${b.value(field, operator, operand)})`;
    case 'size':
      if (allowSize && isMap(operand)) {
        return Object.entries(operand)
          .map(([op, v]) => `size(${name}) ${COMPARATORS[op]} ${b.value(field, `size_${op}`, v)}`)
          .join(' AND ');
      }
      break;
  }
  throw new UtilError(`Unsupported filter operator ${operator} on ${field}`, 'Code', null, null);
}

// A single condition stands alone ("contains(#title, :title_contains)", as the reference shows);
// several are each parenthesized and joined, so precedence never depends on the operators.
function joined(parts: string[], operator: 'AND' | 'OR'): string {
  return parts.length === 1 ? parts[0] : `(${parts.map((p) => `(${p})`).join(` ${operator} `)})`;
}

function filterExpression(b: ExpressionBuilder, filter: Record<string, unknown>, allowSize: boolean): string {
  const parts: string[] = [];
  for (const [key, spec] of Object.entries(filter)) {
    if (spec === undefined || spec === null) continue;
    if (key === 'and' || key === 'or') {
      const list = (Array.isArray(spec) ? spec : [spec]).map((f) => filterExpression(b, f as Record<string, unknown>, allowSize));
      parts.push(joined(list, key === 'and' ? 'AND' : 'OR'));
    } else if (key === 'not') {
      const list = (Array.isArray(spec) ? spec : [spec]).map((f) => filterExpression(b, f as Record<string, unknown>, allowSize));
      parts.push(`NOT (${joined(list, 'AND')})`);
    } else if (isMap(spec)) {
      for (const [operator, operand] of Object.entries(spec)) {
        if (operand !== undefined) parts.push(operationExpression(b, key, operator, operand, allowSize));
      }
    }
  }
  return joined(parts, 'AND');
}

function toDynamoDBFilterObject(filter: Record<string, unknown>, allowSize: boolean): Expression {
  const b = new ExpressionBuilder();
  return b.result(filterExpression(b, filter, allowSize));
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
      if (operator in COMPARATORS && operator !== 'ne') parts.push(`${name} ${COMPARATORS[operator]} ${b.value(field, operator, operand)}`);
      else if (operator === 'beginsWith') parts.push(`begins_with(${name}, ${b.value(field, operator, operand)})`);
      else if (operator === 'between') {
        const [low, high] = operand as unknown[];
        parts.push(`${name} BETWEEN ${b.value(field, 'between_0', low)} AND ${b.value(field, 'between_1', high)}`);
      } else throw new UtilError(`Unsupported key condition operator ${operator} on ${field}`, 'Code', null, null);
    }
  }
  return b.result(parts.join(' AND '));
}

// ---------------------------------------------------------------- subscription filters

const SUBSCRIPTION_OPERATORS = new Set(['eq', 'ne', 'le', 'lt', 'ge', 'gt', 'contains', 'notContains', 'beginsWith', 'in', 'notIn', 'between', 'containsAny']);

function toSubscriptionFilter(filter: Record<string, unknown>, ignoredFields: string[] = [], rules: Record<string, unknown> = {}) {
  const conjunctions = (f: Record<string, unknown>): Array<Array<{ fieldName: string; operator: string; value: unknown }>> => {
    let groups: Array<Array<{ fieldName: string; operator: string; value: unknown }>> = [[]];
    for (const [key, spec] of Object.entries({ ...f, ...rules })) {
      if (ignoredFields.includes(key) || spec === undefined || spec === null) continue;
      if (key === 'or') {
        const alternatives = (spec as Record<string, unknown>[]).flatMap(conjunctions);
        groups = groups.flatMap((g) => alternatives.map((a) => [...g, ...a]));
      } else if (key === 'and') {
        for (const part of spec as Record<string, unknown>[]) {
          const parts = conjunctions(part);
          groups = groups.flatMap((g) => parts.map((p) => [...g, ...p]));
        }
      } else if (isMap(spec)) {
        for (const [operator, value] of Object.entries(spec)) {
          if (!SUBSCRIPTION_OPERATORS.has(operator)) throw new UtilError(`Unsupported subscription filter operator ${operator}`, 'Code', null, null);
          groups = groups.map((g) => [...g, { fieldName: key, operator, value }]);
        }
      }
    }
    return groups;
  };
  return { filterGroup: conjunctions(filter).map((filters) => ({ filters })) };
}

// ---------------------------------------------------------------- util.time

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function zonedParts(ms: number, timezone = 'UTC') {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'long' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offsetMinutes = Math.round((local - (ms - (((ms % 1000) + 1000) % 1000))) / 60000);
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), millis: ((ms % 1000) + 1000) % 1000, weekday: parts.weekday, offsetMinutes };
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

function offsetText(minutes: number, colon: boolean): string {
  if (minutes === 0 && colon) return 'Z';
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}${colon ? ':' : ''}${pad(Math.abs(minutes) % 60)}`;
}

/** Java DateTimeFormatter-style patterns (y, M, d, H, h, m, s, S, a, E, Z, X, 'literal'). */
function formatEpoch(ms: number, pattern: string, timezone = 'UTC'): string {
  const t = zonedParts(ms, timezone);
  return pattern.replace(/'([^']*)'|y+|M+|d+|H+|h+|m+|s+|S+|a|E+|Z+|X+|x+/g, (token, literal) => {
    if (literal !== undefined) return literal === '' ? "'" : literal;
    const n = token.length;
    switch (token[0]) {
      case 'y':
        return n === 2 ? pad(t.year % 100) : pad(t.year, n);
      case 'M':
        return n >= 4 ? MONTHS[t.month - 1] : n === 3 ? MONTHS[t.month - 1].slice(0, 3) : pad(t.month, n);
      case 'd':
        return pad(t.day, n);
      case 'H':
        return pad(t.hour, n);
      case 'h':
        return pad(t.hour % 12 || 12, n);
      case 'm':
        return pad(t.minute, n);
      case 's':
        return pad(t.second, n);
      case 'S':
        return pad(t.millis, 3).slice(0, n).padEnd(n, '0');
      case 'a':
        return t.hour < 12 ? 'AM' : 'PM';
      case 'E':
        return n >= 4 ? t.weekday : t.weekday.slice(0, 3);
      case 'Z':
        return offsetText(t.offsetMinutes, false);
      default:
        return offsetText(t.offsetMinutes, true);
    }
  });
}

function offsetOf(timezone: string, utcMs: number): number {
  return zonedParts(utcMs, timezone).offsetMinutes;
}

function parseFormatted(text: string, pattern: string, timezone = 'UTC'): number {
  const fields: string[] = [];
  const regex = pattern.replace(/'([^']*)'|y+|M+|d+|H+|h+|m+|s+|S+|a|Z+|X+|[.*+?^${}()|[\]\\]/g, (token, literal) => {
    if (literal !== undefined) return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (/^[.*+?^${}()|[\]\\]$/.test(token)) return `\\${token}`;
    fields.push(token[0]);
    if (token[0] === 'a') return '(AM|PM)';
    if (token[0] === 'Z' || token[0] === 'X') return '(Z|[+-]\\d{2}:?\\d{2})';
    return '(\\d+)';
  });
  const match = new RegExp(`^${regex}$`).exec(text);
  if (!match) throw new UtilError(`Unable to parse "${text}" with format "${pattern}"`, 'Code', null, null);
  const v = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0, pm: false, offset: null as number | null };
  fields.forEach((field, i) => {
    const raw = match[i + 1];
    if (field === 'a') v.pm = raw === 'PM';
    else if (field === 'Z' || field === 'X') v.offset = raw === 'Z' ? 0 : (raw[0] === '-' ? -1 : 1) * (Number(raw.slice(1, 3)) * 60 + Number(raw.slice(-2)));
    else if (field === 'h') v.H = Number(raw) % 12;
    else if (field === 'S') v.S = Number(raw.padEnd(3, '0').slice(0, 3));
    else (v as Record<string, unknown>)[field] = Number(raw);
  });
  if (v.pm) v.H += 12;
  const asUtc = Date.UTC(v.y < 100 ? 2000 + v.y : v.y, v.M - 1, v.d, v.H, v.m, v.s, v.S);
  if (v.offset !== null) return asUtc - v.offset * 60000;
  return asUtc - offsetOf(timezone, asUtc - offsetOf(timezone, asUtc) * 60000) * 60000;
}

const time = {
  nowISO8601: () => new Date().toISOString(),
  nowEpochSeconds: () => Math.floor(Date.now() / 1000),
  nowEpochMilliSeconds: () => Date.now(),
  nowFormatted: (pattern: string, timezone?: string) => formatEpoch(Date.now(), pattern, timezone),
  parseFormattedToEpochMilliSeconds: (text: string, pattern: string, timezone?: string) => parseFormatted(text, pattern, timezone),
  parseISO8601ToEpochMilliSeconds: (text: string) => {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new UtilError(`Unable to parse "${text}" as ISO 8601`, 'Code', null, null);
    return ms;
  },
  epochMilliSecondsToSeconds: (ms: number) => Math.floor(ms / 1000),
  epochMilliSecondsToISO8601: (ms: number) => new Date(ms).toISOString(),
  epochMilliSecondsToFormatted: (ms: number, pattern: string, timezone?: string) => formatEpoch(ms, pattern, timezone),
};

// ---------------------------------------------------------------- ids and strings

const nextUlid = monotonicFactory();
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH = 1_400_000_000;

function autoKsuid(): string {
  const bytes = Buffer.concat([Buffer.alloc(4), randomBytes(16)]);
  bytes.writeUInt32BE(Math.floor(Date.now() / 1000) - KSUID_EPOCH, 0);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}

/** Java's URLEncoder, which AppSync uses: form encoding (space as +), only `*-._` left as is. */
function urlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function escapeJavaScript(value: string): string {
  return value.replace(/[\\'"/\b\f\n\r\t]|[\u0000-\u001f\u007f-\uffff]/g, (c) => {
    const simple: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return simple[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

// ---------------------------------------------------------------- the modules

export function appsyncUtilsModule(state: InvocationState): Record<string, unknown> {
  const util = {
    error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      throw new UtilError(message, errorType ?? null, data ?? null, errorInfo ?? null);
    },
    appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
      state.errors.push({ message, errorType: errorType ?? null, data: data ?? null, errorInfo: errorInfo ?? null });
    },
    unauthorized(): never {
      throw new UtilError('Unauthorized', 'Unauthorized', null, null);
    },
    autoId: () => randomUUID(),
    autoUlid: () => nextUlid(),
    autoKsuid,
    matches: (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value),
    authType: () => state.authType ?? 'User Pool Authorization',
    escapeJavaScript,
    urlEncode,
    urlDecode: (value: string) => decodeURIComponent(value.replace(/\+/g, ' ')),
    base64Encode: (value: string) => Buffer.from(value, 'utf8').toString('base64'),
    base64Decode: (value: string) => Buffer.from(value, 'base64').toString('utf8'),
    time,
    dynamodb: dynamodbUtils,
    transform: {
      toDynamoDBFilterExpression: (filter: Record<string, unknown>) => JSON.stringify(toDynamoDBFilterObject(filter, false)),
      toDynamoDBConditionExpression: (condition: Record<string, unknown>) => JSON.stringify(toDynamoDBFilterObject(condition, true)),
      toSubscriptionFilter,
    },
    math: {
      roundNum: (n: number) => Math.round(n),
      minVal: (a: number, b: number) => Math.min(a, b),
      maxVal: (a: number, b: number) => Math.max(a, b),
      randomDouble: () => Math.random(),
      randomWithinRange: (min: number, max: number) => Math.floor(Math.random() * (max - min + 1)) + min,
    },
    str: {
      normalize: (value: string, form: string) => value.normalize(form.toUpperCase() as 'NFC'),
    },
  };
  const runtime = {
    earlyReturn(value?: unknown, options?: { skipTo?: 'END' | 'NEXT' }): never {
      throw new EarlyReturn(value ?? null, options);
    },
  };
  const extensions = {
    setSubscriptionFilter(filter: unknown) {
      state.subscriptionFilter = filter;
    },
    setSubscriptionInvalidationFilter(filter: unknown) {
      state.invalidationFilter = filter;
    },
    invalidateSubscriptions(invalidation: { subscriptionField: string; payload: Record<string, unknown> }) {
      state.invalidations.push(invalidation);
    },
    evictFromApiCache() {
      // No resolver cache locally: nothing to evict.
    },
  };
  return { util, runtime, extensions };
}

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

export function appsyncDynamoDbModule(): Record<string, unknown> {
  return {
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
}
