import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * AppSync's DynamoDB request objects in the SDK's terms. Names and values come from request
 * data, so every record here is built with own properties only (Object.fromEntries): an
 * attribute named `__proto__` stays an attribute.
 */
export type Av = Record<string, AttributeValue>;
export type Expression = { expression: string; expressionNames?: Record<string, string>; expressionValues?: Av };

export function fromItem(item: Av | undefined): Record<string, unknown> | null {
  return item ? unmarshall(item) : null;
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
  if (Object.hasOwn(v, 'N') && typeof v.N === 'number') return { N: String(v.N) };
  if (Object.hasOwn(v, 'NS') && Array.isArray(v.NS)) return { NS: v.NS.map(String) };
  if (Object.hasOwn(v, 'NULL') && (v.NULL === null || v.NULL === true)) return { NULL: true };
  if (Object.hasOwn(v, 'L') && Array.isArray(v.L)) return { L: v.L.map(toSdkValue) };
  if (Object.hasOwn(v, 'M') && v.M && typeof v.M === 'object') return { M: toSdkItem(v.M as Record<string, unknown>) };
  return value as AttributeValue;
}

export function toSdkItem(values: Record<string, unknown> | undefined | null): Av {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, toSdkValue(v)]));
}

/** The expression attribute names of several expressions, merged (undefined when none). */
export function names(...expressions: Array<Expression | undefined | null>): Record<string, string> | undefined {
  const merged = Object.fromEntries(expressions.flatMap((e) => Object.entries(e?.expressionNames ?? {})));
  return Object.keys(merged).length ? merged : undefined;
}

/** The expression attribute values of several expressions, merged and typed for the SDK (undefined when none). */
export function values(...expressions: Array<Expression | undefined | null>): Av | undefined {
  const merged = toSdkItem(Object.fromEntries(expressions.flatMap((e) => Object.entries(e?.expressionValues ?? {}))));
  return Object.keys(merged).length ? merged : undefined;
}

export function projectionOf(projection: { expression: string; expressionNames?: Record<string, string> } | undefined) {
  return projection ? { ProjectionExpression: projection.expression } : {};
}
