import fc from 'fast-check';
import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';
import { valueOf } from './schema-operations.ts';

/**
 * fast-check arbitraries for hostile input: values of each GraphQL input type that mostly pass
 * GraphQL's own coercion (so the resolvers' and functions' checks are what answers), mixed with
 * the shapes attackers send: empty and huge strings, every script, control characters, lone
 * surrogates, prototype names, injection strings, out-of-range and wrong-typed numbers, unknown
 * enum values, missing and extra input fields.
 */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '\u0000\u0001\u001f',
  '\uD800',
  '\u202Eevil',
  '星巴克',
  'مطعم',
  '☕',
  '👩‍👩‍👧‍👦',
  'a'.repeat(5000),
  'x'.repeat(300_000),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://127.0.0.1/x}',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '{"$ne":null}',
  '#',
  'A#B',
];

// JSON.parse makes `__proto__` an own key, as a client's JSON would carry it.
const WRONG_TYPES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  'str',
  [],
  {},
  JSON.parse('{"__proto__":{"polluted":true}}'),
  [null],
];

export const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

const dates = fc.oneof(
  fc.constantFrom(
    '2026-11-20',
    '2026-02-29',
    '2024-02-29',
    '2026-13-01',
    '0000-01-01',
    '9999-12-31',
    '2026-11-20T00:00:00Z',
  ),
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);
const dateTimes = fc.oneof(
  fc.constantFrom('2026-11-20T10:00:00.000Z', '2026-11-20', 'yesterday', '2026-11-20T25:00:00Z'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
const ints = fc.oneof(
  fc.constantFrom(0, -1, 1, 100, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, Number.MAX_SAFE_INTEGER, 1.5),
  fc.integer(),
);
const floats = fc.oneof(
  fc.constantFrom(0, -0.5, 1e308, -1e308, 2 ** 53, 0.1 + 0.2),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const SCALARS: Record<string, fc.Arbitrary<unknown>> = {
  String: hostileString,
  ID: fc.oneof(fc.constantFrom('01JAAAAAAAAAAAAAAAAAAAAAAA', 'DINING-MONTHLY'), hostileString),
  Int: ints,
  Float: floats,
  Boolean: fc.boolean(),
  AWSDate: dates,
  AWSDateTime: dateTimes,
  AWSEmail: fc.oneof(fc.constantFrom('a@example.com', 'not-an-email', '@', 'a@b'), hostileString),
  AWSURL: fc.oneof(fc.constantFrom('https://example.com', 'javascript:alert(1)', 'file:///etc/passwd'), hostileString),
  AWSJSON: fc.oneof(fc.constantFrom('{}', '[]', '{"__proto__":{"x":1}}', '{'), hostileString),
};

/** A value for `type` (or, now and then, one of the wrong type, or null even where it is required). */
export function hostileValueOf(type: GraphQLInputType, ids: readonly string[] = []): fc.Arbitrary<unknown> {
  const inner = getNullableType(type) as GraphQLInputType;
  let typed: fc.Arbitrary<unknown>;
  if (isListType(inner)) typed = fc.array(hostileValueOf(inner.ofType, ids), { maxLength: 6 });
  else if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields());
    typed = fc
      .tuple(
        fc.record(
          Object.fromEntries(fields.map((f) => [f.name, hostileValueOf(f.type, ids)])),
          // Required fields present most of the time; optional ones at random.
          { requiredKeys: [] },
        ),
        fc.constantFrom(...fields.filter((f) => isNonNullType(f.type)).map((f) => f.name), '__none__'),
        fc.option(fc.constantFrom('__proto__', 'constructor', 'unknownField'), { nil: undefined }),
      )
      .map(([record, dropped, extra]) => {
        const value: Record<string, unknown> = { ...record };
        for (const f of fields)
          if (isNonNullType(f.type) && !Object.hasOwn(value, f.name) && f.name !== dropped)
            value[f.name] = valueOf(f.type, f.name, {});
        if (extra)
          Object.defineProperty(value, extra, { value: 'extra', enumerable: true, writable: true, configurable: true });
        return value;
      });
  } else if (isEnumType(inner)) typed = fc.constantFrom(...inner.getValues().map((v) => v.value), 'NOT_A_VALUE');
  else if (isScalarType(inner) && inner.name === 'ID' && ids.length)
    typed = fc.oneof(fc.constantFrom(...ids), SCALARS.ID);
  else typed = isScalarType(inner) ? (SCALARS[inner.name] ?? hostileString) : hostileString;
  return fc.oneof({ weight: 12, arbitrary: typed }, { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES) });
}
