import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { appsyncDynamoDbModule, appsyncUtilsModule, EarlyReturn, newInvocationState, UtilError } from '../../../local/appsync/util-shim.ts';

/**
 * The `@aws-appsync/utils` shim against AppSync's documented behaviour. Each group cites the
 * reference page its expectations come from.
 */
const state = newInvocationState();
const { util, runtime, extensions } = appsyncUtilsModule(state) as Record<string, any>;
const ddb = appsyncDynamoDbModule() as Record<string, any>;

describe('util.dynamodb (https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html)', () => {
  it('toMapValues converts nested values to DynamoDB attribute values', () => {
    expect(util.dynamodb.toMapValues({ foo: 'bar', baz: 1234, beep: ['boop'], flag: true, none: null, nested: { a: 1 } })).toEqual({
      foo: { S: 'bar' }, baz: { N: '1234' }, beep: { L: [{ S: 'boop' }] }, flag: { BOOL: true }, none: { NULL: true }, nested: { M: { a: { N: '1' } } },
    });
  });

  it('typed helpers and S3 objects', () => {
    expect(util.dynamodb.toStringSet(['a', 'b'])).toEqual({ SS: ['a', 'b'] });
    expect(util.dynamodb.toNumberSet([1, 2.5])).toEqual({ NS: ['1', '2.5'] });
    expect(util.dynamodb.toS3Object('key', 'bucket', 'us-west-2')).toEqual({ S: '{"s3":{"key":"key","bucket":"bucket","region":"us-west-2"}}' });
    expect(util.dynamodb.fromS3ObjectJson('{"s3":{"key":"k","bucket":"b","region":"r"}}')).toEqual({ key: 'k', bucket: 'b', region: 'r' });
  });
});

describe('util.transform (https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html)', () => {
  it('toDynamoDBFilterExpression gives the expression, names and values as a JSON string, as in the reference', () => {
    expect(JSON.parse(util.transform.toDynamoDBFilterExpression({ title: { contains: 'Hello World' } }))).toEqual({
      expression: 'contains(#title, :title_contains)',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_contains': { S: 'Hello World' } },
    });
  });

  it('combines fields with AND, supports or/not, between and attributeExists', () => {
    const out = JSON.parse(util.transform.toDynamoDBConditionExpression({ version: { eq: 3 }, or: [{ status: { eq: 'A' } }, { status: { eq: 'B' } }], owner: { attributeExists: true }, size: { between: [1, 5] } }));
    expect(out.expression).toBe('((#version = :version_eq) AND (((#status = :status_eq) OR (#status = :status_eq_1))) AND (attribute_exists(#owner)) AND (#size BETWEEN :size_between_0 AND :size_between_1))');
    expect(out.expressionValues).toMatchObject({ ':status_eq': { S: 'A' }, ':status_eq_1': { S: 'B' }, ':size_between_1': { N: '5' } });
  });

  it('toSubscriptionFilter gives filter groups (https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html)', () => {
    expect(util.transform.toSubscriptionFilter({ owner: { eq: 'u1' }, or: [{ severity: { ge: 7 } }, { priority: { eq: 'high' } }] })).toEqual({
      filterGroup: [
        { filters: [{ fieldName: 'owner', operator: 'eq', value: 'u1' }, { fieldName: 'severity', operator: 'ge', value: 7 }] },
        { filters: [{ fieldName: 'owner', operator: 'eq', value: 'u1' }, { fieldName: 'priority', operator: 'eq', value: 'high' }] },
      ],
    });
  });
});

describe('dynamodb module (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-modules-js.html)', () => {
  it('get, put with a condition and remove build the AppSync request objects', () => {
    expect(ddb.get({ key: { id: '1' } })).toEqual({ operation: 'GetItem', key: { id: { S: '1' } } });
    expect(ddb.put({ key: { id: '1' }, item: { n: 2 }, condition: { id: { attributeExists: false } } })).toEqual({
      operation: 'PutItem', key: { id: { S: '1' } }, attributeValues: { n: { N: '2' } },
      condition: { expression: 'attribute_not_exists(#id)', expressionNames: { '#id': 'id' } },
    });
    expect(ddb.remove({ key: { id: '1' } })).toEqual({ operation: 'DeleteItem', key: { id: { S: '1' } } });
  });

  it('update turns values and operations into one update expression', () => {
    const out = ddb.update({ key: { id: '1' }, update: { name: 'x', count: ddb.operations.increment(2), tags: ddb.operations.append(['t']), old: ddb.operations.remove() } });
    expect(out.update.expression).toBe('SET #name = :name_replace, #tags = list_append(if_not_exists(#tags, :tags_empty), :tags_append) REMOVE #old ADD #count :count_increment');
    expect(out.update.expressionValues[':count_increment']).toEqual({ N: '2' });
  });

  it('query builds the key condition and keeps paging options', () => {
    expect(ddb.query({ query: { user_id: { eq: 'u' }, date: { between: ['2026-01-01', '2026-01-31'] } }, index: 'user-date-index', limit: 20, scanIndexForward: false, nextToken: 't' })).toEqual({
      operation: 'Query',
      query: { expression: '#user_id = :user_id_eq AND #date BETWEEN :date_between_0 AND :date_between_1', expressionNames: { '#user_id': 'user_id', '#date': 'date' }, expressionValues: { ':user_id_eq': { S: 'u' }, ':date_between_0': { S: '2026-01-01' }, ':date_between_1': { S: '2026-01-31' } } },
      index: 'user-date-index', limit: 20, scanIndexForward: false, nextToken: 't',
    });
  });
});

describe('util, time, runtime and extensions (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html)', () => {
  it('error throws with type, data and info; appendError records and continues', () => {
    expect(() => util.error('bad', 'ValidationError', { a: 1 }, { field: 'x' })).toThrow(UtilError);
    util.appendError('soft', 'Warning');
    expect(state.errors).toEqual([{ message: 'soft', errorType: 'Warning', data: null, errorInfo: null }]);
  });

  it('ids: autoId is a UUID, autoUlid sorts in creation order, autoKsuid is 27 base62 characters', () => {
    expect(util.autoId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ids = Array.from({ length: 50 }, () => util.autoUlid());
    expect([...ids].sort()).toEqual(ids);
    expect(util.autoKsuid()).toMatch(/^[0-9A-Za-z]{27}$/);
  });

  it('encodings: base64 of unicode round-trips, urlEncode is form encoding', () => {
    expect(util.base64Decode(util.base64Encode('Café ✓'))).toBe('Café ✓');
    expect(util.urlEncode('a b&c=d!')).toBe('a+b%26c%3Dd%21');
    expect(util.urlDecode('a+b%26c')).toBe('a b&c');
  });

  it('time: ISO and formatted times in a timezone, and parsing back', () => {
    const ms = Date.UTC(2018, 1, 6, 19, 1, 35, 749);
    expect(util.time.epochMilliSecondsToISO8601(ms)).toBe('2018-02-06T19:01:35.749Z');
    expect(util.time.epochMilliSecondsToFormatted(ms, 'yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth')).toBe('2018-02-07 03:01:35+0800');
    expect(util.time.parseFormattedToEpochMilliSeconds('2018-02-07 03:01:35+0800', 'yyyy-MM-dd HH:mm:ssZ')).toBe(ms - 749);
    expect(util.time.epochMilliSecondsToSeconds(ms)).toBe(Math.floor(ms / 1000));
  });

  it('runtime.earlyReturn and extensions record what the executor acts on', () => {
    expect(() => runtime.earlyReturn({ a: 1 }, { skipTo: 'END' })).toThrow(EarlyReturn);
    extensions.setSubscriptionFilter({ filterGroup: [] });
    extensions.invalidateSubscriptions({ subscriptionField: 'onX', payload: { id: '1' } });
    expect(state.subscriptionFilter).toEqual({ filterGroup: [] });
    expect(state.invalidations).toEqual([{ subscriptionField: 'onX', payload: { id: '1' } }]);
  });

  it('given values made in a vm realm, then the helpers treat them as plain arrays and objects', () => {
    const fromVm = vm.runInNewContext('({ list: [1, "a"], map: { b: true } })');
    expect(util.dynamodb.toMapValues(fromVm)).toEqual({ list: { L: [{ N: '1' }, { S: 'a' }] }, map: { M: { b: { BOOL: true } } } });
  });
});
