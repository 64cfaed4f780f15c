import { describe, expect, it } from 'vitest';
import { evaluateCode } from '../../../../local/appsync/evaluate.ts';
import { PROJECT_ROOT } from '../../../../local/stack.ts';

/**
 * `npm run evaluate` (local EvaluateCode) against what AppSync's own EvaluateCode answers for the
 * `util.dynamodb`, `util.transform` and `@aws-appsync/utils/dynamodb` helpers. Each expected value
 * is an answer of the service (recorded by public test suites that run the same expressions
 * against AppSync), not what the reference pages print where the two differ: the reference
 * shows `contains(#title, :title_contains)`, the service answers `(contains(#title,:title_contains))`.
 */
async function evaluated(expression: string): Promise<unknown> {
  const answer = await evaluateCode(
    {
      code: `import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return ${expression}; }
export function response(ctx) { return ctx.result; }`,
      context: '{}',
      function: 'request',
      runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
    },
    { resolveDir: PROJECT_ROOT },
  );
  expect(answer.error, expression).toBeUndefined();
  return JSON.parse(answer.evaluationResult!);
}

const KEY = { id: { S: 'test' } };
const LIST_123 = { L: [{ N: 1 }, { N: 2 }, { N: 3 }] };

describe('util.dynamodb (https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html)', () => {
  it.each([
    ['util.dynamodb.toDynamoDB("test")', { S: 'test' }],
    ['util.dynamodb.toDynamoDB(12345)', { N: 12345 }],
    ['util.dynamodb.toDynamoDB(true)', { BOOL: true }],
    ['util.dynamodb.toString("test")', { S: 'test' }],
    ['util.dynamodb.toStringSet(["foo", "bar", "baz"])', { SS: ['foo', 'bar', 'baz'] }],
    ['util.dynamodb.toNumber(12345)', { N: 12345 }],
    ['util.dynamodb.toNumberSet([1, 23, 4.56])', { NS: [1, 23, 4.56] }],
    ['util.dynamodb.toBinary("foo")', { B: 'foo' }],
    ['util.dynamodb.toBinarySet(["foo", "bar", "baz"])', { BS: ['foo', 'bar', 'baz'] }],
    ['util.dynamodb.toBoolean(true)', { BOOL: true }],
    ['util.dynamodb.toNull()', { NULL: null }],
    [
      'util.dynamodb.toList(["foo", 123, { bar: "baz" }])',
      { L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] },
    ],
    [
      'util.dynamodb.toMap({ foo: "bar", baz: 1234, beep: ["boop"] })',
      { M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } } },
    ],
    [
      'util.dynamodb.toMapValues({ foo: "bar", baz: 1234, beep: ["boop"] })',
      { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    ],
    ['util.dynamodb.toS3Object("foo", "bar", "baz")', { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' }],
    [
      'util.dynamodb.toS3Object("foo", "bar", "baz", "beep")',
      { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}' },
    ],
  ])('%s', async (expression, expected) => {
    expect(await evaluated(expression)).toEqual(expected);
  });
});

describe('@aws-appsync/utils/dynamodb requests (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-modules-js.html)', () => {
  it.each([
    ['ddb.get({ key: { id: "id" } })', { operation: 'GetItem', key: { id: { S: 'id' } } }],
    [
      'ddb.put({ key: { id: "abc" }, item: { value: 10 } })',
      { operation: 'PutItem', key: { id: { S: 'abc' } }, attributeValues: { value: { N: 10 } } },
    ],
    ['ddb.remove({ key: { id: "test" } })', { operation: 'DeleteItem', key: KEY }],
    ['ddb.scan({ limit: 10, nextToken: "abc" })', { operation: 'Scan', limit: 10, nextToken: 'abc' }],
  ])('%s', async (expression, expected) => {
    expect(await evaluated(expression)).toEqual(expected);
  });
});

describe('update with operations: one SET clause, #expName_N / :expValue_N, no guard on a missing attribute', () => {
  const updated = (expression: string, names: Record<string, string>, values: Record<string, unknown>) => ({
    operation: 'UpdateItem',
    key: KEY,
    update: { expression, expressionNames: names, expressionValues: values },
  });
  it.each([
    [
      'ddb.update({ key: { id: "test" }, update: { age: ddb.operations.add(10) } })',
      updated('SET #expName_1 = :expValue_1', { '#expName_1': 'age' }, { ':expValue_1': { N: 10 } }),
    ],
    [
      'ddb.update({ key: { id: "test" }, update: { values: ddb.operations.append([1, 2, 3]) } })',
      updated(
        'SET #expName_1 = list_append(#expName_1, :expValue_1)',
        { '#expName_1': 'values' },
        { ':expValue_1': LIST_123 },
      ),
    ],
    [
      'ddb.update({ key: { id: "test" }, update: { age: ddb.operations.decrement(10) } })',
      updated('SET #expName_1 = #expName_1 - :expValue_1', { '#expName_1': 'age' }, { ':expValue_1': { N: 10 } }),
    ],
    [
      'ddb.update({ key: { id: "test" }, update: { age: ddb.operations.increment(10) } })',
      updated('SET #expName_1 = #expName_1 + :expValue_1', { '#expName_1': 'age' }, { ':expValue_1': { N: 10 } }),
    ],
    [
      'ddb.update({ key: { id: "test" }, update: { values: ddb.operations.prepend([1, 2, 3]) } })',
      updated(
        'SET #expName_1 = list_append(:expValue_1, #expName_1)',
        { '#expName_1': 'values' },
        { ':expValue_1': LIST_123 },
      ),
    ],
    [
      'ddb.update({ key: { id: "test" }, update: { values: ddb.operations.replace({ a: 10 }) } })',
      updated('SET #expName_1 = :expValue_1', { '#expName_1': 'values' }, { ':expValue_1': { M: { a: { N: 10 } } } }),
    ],
    [
      'ddb.update({ key: { id: "test" }, update: { name: "Toni Test", imageUrl: null, bio: "The test bio" } })',
      updated(
        'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3',
        { '#expName_1': 'name', '#expName_2': 'imageUrl', '#expName_3': 'bio' },
        { ':expValue_1': { S: 'Toni Test' }, ':expValue_2': { NULL: null }, ':expValue_3': { S: 'The test bio' } },
      ),
    ],
  ])('%s', async (expression, expected) => {
    expect(await evaluated(expression)).toEqual(expected);
  });
});

describe('operations: the objects AppSync returns', () => {
  it.each([
    ['ddb.operations.add(10)', { type: 'OPERATION_ADD', value: 10 }],
    ['ddb.operations.append([1, 2, 3])', { type: 'OPERATION_APPEND', items: [1, 2, 3] }],
    ['ddb.operations.decrement(10)', { type: 'OPERATION_DECREMENT', by: 10 }],
    ['ddb.operations.increment(10)', { type: 'OPERATION_INCREMENT', by: 10 }],
    ['ddb.operations.prepend([1, 2, 3])', { type: 'OPERATION_PREPEND', items: [1, 2, 3] }],
    ['ddb.operations.replace({ a: 10 })', { type: 'OPERATION_REPLACE', value: { a: 10 } }],
  ])('%s', async (expression, expected) => {
    expect(await evaluated(expression)).toEqual(expected);
  });
});

describe('util.transform: each term parenthesized, AND between fields at the top level', () => {
  it('toDynamoDBFilterExpression({ title: { contains: "Hello World" } }) is a JSON string', async () => {
    expect(
      JSON.parse(
        (await evaluated(
          'util.transform.toDynamoDBFilterExpression({ "title": { "contains": "Hello World" } })',
        )) as string,
      ),
    ).toEqual({
      expression: '(contains(#title,:title_contains))',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_contains': { S: 'Hello World' } },
    });
  });

  it('toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } }) is a JSON string', async () => {
    expect(
      JSON.parse(
        (await evaluated(
          'util.transform.toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } })',
        )) as string,
      ),
    ).toEqual({
      expression: '(attribute_exists(#id)) AND (#version = :version_eq)',
      expressionNames: { '#id': 'id', '#version': 'version' },
      expressionValues: { ':version_eq': { N: 10 } },
    });
  });
});
