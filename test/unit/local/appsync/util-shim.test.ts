import { describe, expect, it } from 'vitest';
import { bundleResolverSource } from '../../../../resolvers/bundle.ts';
import { loadResolverModule } from '../../../../local/appsync/vm-module.ts';
import { PROJECT_ROOT } from '../../../../local/stack.ts';

/**
 * The `@aws-appsync/utils` shim, run as resolver code runs it (inside the vm realm), against
 * the examples of AppSync's references. Each group cites the page its examples are quoted from.
 */
async function run(body: string, ctx: Record<string, unknown> = {}) {
  const code = `import { util, runtime, extensions } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) { ${body} }`;
  const module = loadResolverModule(await bundleResolverSource(code, PROJECT_ROOT), 'case.js');
  return module.call(
    'request',
    JSON.stringify({ arguments: {}, stash: {}, ...ctx }),
    'User Pool Authorization',
    Date.now() + 5000,
  );
}

async function value(expression: string) {
  const outcome = await run(`return ${expression};`);
  expect(outcome, expression).toMatchObject({ kind: 'value' });
  return outcome.value;
}

async function failure(expression: string) {
  const outcome = await run(`return ${expression};`);
  expect(outcome.kind, expression).toBe('code');
  return outcome.message;
}

describe('util.dynamodb, as https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html shows it', () => {
  it('toDynamoDB: "foo" → { "S" : "foo" }, 12345 → { "N" : 12345 }, true → { "BOOL" : true }', async () => {
    expect(await value('util.dynamodb.toDynamoDB("foo")')).toEqual({ S: 'foo' });
    expect(await value('util.dynamodb.toDynamoDB(12345)')).toEqual({ N: 12345 });
    expect(await value('util.dynamodb.toDynamoDB(true)')).toEqual({ BOOL: true });
  });

  it('toDynamoDB of a list: [ "foo", 123, { "bar" : "baz" } ] → L of S, N and M', async () => {
    expect(await value('util.dynamodb.toDynamoDB([ "foo", 123, { "bar" : "baz" } ])')).toEqual({
      L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
    });
  });

  it('toDynamoDB, toMap and toMapValues of { "foo": "bar", "baz" : 1234, "beep": [ "boop"] }', async () => {
    const values = { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } };
    expect(await value('util.dynamodb.toDynamoDB({ "foo": "bar", "baz" : 1234, "beep": [ "boop"] })')).toEqual({
      M: values,
    });
    expect(await value('util.dynamodb.toMap({ "foo": "bar", "baz" : 1234, "beep": [ "boop"] })')).toEqual({
      M: values,
    });
    expect(await value('util.dynamodb.toMapValues({ "foo": "bar", "baz" : 1234, "beep": [ "boop"] })')).toEqual(values);
  });

  it('typed helpers: toString, toStringSet, toNumber, toNumberSet, toBinary, toBinarySet, toBoolean, toNull, toList', async () => {
    expect(await value('util.dynamodb.toString("foo")')).toEqual({ S: 'foo' });
    expect(await value('util.dynamodb.toStringSet([ "foo", "bar", "baz" ])')).toEqual({ SS: ['foo', 'bar', 'baz'] });
    expect(await value('util.dynamodb.toNumber(12345)')).toEqual({ N: 12345 });
    expect(await value('util.dynamodb.toNumberSet([ 1, 23, 4.56 ])')).toEqual({ NS: [1, 23, 4.56] });
    expect(await value('util.dynamodb.toBinary("foo")')).toEqual({ B: 'foo' });
    expect(await value('util.dynamodb.toBinarySet([ "foo", "bar", "baz" ])')).toEqual({ BS: ['foo', 'bar', 'baz'] });
    expect(await value('util.dynamodb.toBoolean(true)')).toEqual({ BOOL: true });
    expect(await value('util.dynamodb.toNull()')).toEqual({ NULL: null });
    expect(await value('util.dynamodb.toList([ "foo", 123, { "bar" : "baz" } ])')).toEqual({
      L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
    });
  });

  it('S3 objects: toS3Object("foo", "bar", "baz") and fromS3ObjectJson', async () => {
    expect(JSON.parse(((await value('util.dynamodb.toS3Object("foo", "bar", "baz")')) as { S: string }).S)).toEqual({
      s3: { key: 'foo', bucket: 'bar', region: 'baz' },
    });
    expect(
      await value(
        `util.dynamodb.fromS3ObjectJson('{ "s3" : { "key" : "foo", "bucket" : "bar", "region" : "baz", "version" : "beep" } }')`,
      ),
    ).toEqual({ key: 'foo', bucket: 'bar', region: 'baz', version: 'beep' });
  });
});

describe('util.transform (https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html)', () => {
  it('the condition helper also supports attribute_exists and size; the filter helper refuses them', async () => {
    const condition = JSON.parse(
      (await value(
        'util.transform.toDynamoDBConditionExpression({ version: { eq: 3 }, owner: { attributeExists: true }, tags: { size: { gt: 2 } } })',
      )) as string,
    );
    expect(condition.expression).toBe(
      '(#version = :version_eq) AND (attribute_exists(#owner)) AND (size(#tags) > :tags_size_gt)',
    );
    expect(condition.expressionValues).toEqual({ ':version_eq': { N: 3 }, ':tags_size_gt': { N: 2 } });
    expect(await failure('util.transform.toDynamoDBFilterExpression({ owner: { attributeExists: true } })')).toMatch(
      /Unsupported filter operator attributeExists/,
    );
    expect(await failure('util.transform.toDynamoDBFilterExpression({ tags: { size: { gt: 2 } } })')).toMatch(
      /Unsupported filter operator size/,
    );
  });

  it('combines fields with AND, groups or and not, names values by their path, and between', async () => {
    const out = JSON.parse(
      (await value(
        'util.transform.toDynamoDBFilterExpression({ or: [{ status: { eq: "A" } }, { status: { eq: "B" } }], size: { between: [1, 5] }, not: { n: { ge: 1, le: 3 } } })',
      )) as string,
    );
    expect(out.expression).toBe(
      '((#status = :or_0_status_eq) OR (#status = :or_1_status_eq)) AND (#size BETWEEN :size_between_1 AND :size_between_2) AND NOT ((#n >= :not_n_ge) AND (#n <= :not_n_le))',
    );
    expect(out.expressionValues).toMatchObject({
      ':or_0_status_eq': { S: 'A' },
      ':or_1_status_eq': { S: 'B' },
      ':size_between_2': { N: 5 },
      ':not_n_le': { N: 3 },
    });
  });

  it('toSubscriptionFilter gives filter groups (https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html)', async () => {
    expect(
      await value(
        'util.transform.toSubscriptionFilter({ owner: { eq: "u1" }, or: [{ severity: { ge: 7 } }, { priority: { eq: "high" } }] })',
      ),
    ).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'owner', operator: 'eq', value: 'u1' },
            { fieldName: 'severity', operator: 'ge', value: 7 },
          ],
        },
        {
          filters: [
            { fieldName: 'owner', operator: 'eq', value: 'u1' },
            { fieldName: 'priority', operator: 'eq', value: 'high' },
          ],
        },
      ],
    });
  });
});

describe('dynamodb module (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-modules-js.html)', () => {
  it('get, put with a condition and remove build the AppSync request objects', async () => {
    expect(await value('ddb.get({ key: { id: "1" } })')).toEqual({ operation: 'GetItem', key: { id: { S: '1' } } });
    expect(
      await value('ddb.put({ key: { id: "1" }, item: { n: 2 }, condition: { id: { attributeExists: false } } })'),
    ).toEqual({
      operation: 'PutItem',
      key: { id: { S: '1' } },
      attributeValues: { n: { N: 2 } },
      condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {} },
    });
    expect(await value('ddb.remove({ key: { id: "1" } })')).toEqual({
      operation: 'DeleteItem',
      key: { id: { S: '1' } },
    });
  });

  it('update: values, operations, list items and nested keys in one SET clause, removals in a REMOVE clause', async () => {
    const out = (await value(
      'ddb.update({ key: { id: "1" }, update: { name: "x", count: ddb.operations.increment(2), old: ddb.operations.remove(), ' +
        'tags: [ddb.operations.updateListItem("b", 1)], address: { city: "Paris", zip: ddb.operations.remove() } } })',
    )) as any;
    expect(out.update).toEqual({
      expression:
        'SET #expName_1 = :expValue_1, #expName_2 = #expName_2 + :expValue_2, #expName_4[1] = :expValue_3, ' +
        '#expName_5.#expName_6 = :expValue_4 REMOVE #expName_3, #expName_5.#expName_7',
      expressionNames: {
        '#expName_1': 'name',
        '#expName_2': 'count',
        '#expName_3': 'old',
        '#expName_4': 'tags',
        '#expName_5': 'address',
        '#expName_6': 'city',
        '#expName_7': 'zip',
      },
      expressionValues: {
        ':expValue_1': { S: 'x' },
        ':expValue_2': { N: 2 },
        ':expValue_3': { S: 'b' },
        ':expValue_4': { S: 'Paris' },
      },
    });
  });

  it('query builds the key condition and keeps paging options', async () => {
    expect(
      await value(
        'ddb.query({ query: { user_id: { eq: "u" }, date: { between: ["2026-01-01", "2026-01-31"] } }, index: "user-date-index", limit: 20, scanIndexForward: false, nextToken: "t" })',
      ),
    ).toEqual({
      operation: 'Query',
      query: {
        expression: '#user_id = :user_id_eq AND #date BETWEEN :date_between_0 AND :date_between_1',
        expressionNames: { '#user_id': 'user_id', '#date': 'date' },
        expressionValues: {
          ':user_id_eq': { S: 'u' },
          ':date_between_0': { S: '2026-01-01' },
          ':date_between_1': { S: '2026-01-31' },
        },
      },
      index: 'user-date-index',
      limit: 20,
      scanIndexForward: false,
      nextToken: 't',
    });
  });
});

describe('util.time, with the examples of https://docs.aws.amazon.com/appsync/latest/devguide/time-helpers-in-util-time.html', () => {
  // "#set( $nowEpochMillis = 1517943695758 )"
  const ms = 1517943695758;

  it('conversion examples: seconds, ISO 8601, formatted in UTC and at +08:00', async () => {
    expect(await value(`util.time.epochMilliSecondsToSeconds(${ms})`)).toBe(1517943695);
    expect(await value(`util.time.epochMilliSecondsToISO8601(${ms})`)).toBe('2018-02-06T19:01:35.758Z');
    expect(await value(`util.time.epochMilliSecondsToFormatted(${ms}, "yyyy-MM-dd HH:mm:ssZ")`)).toBe(
      '2018-02-06 19:01:35+0000',
    );
    expect(await value(`util.time.epochMilliSecondsToFormatted(${ms}, "yyyy-MM-dd HH:mm:ssZ", "+08:00")`)).toBe(
      '2018-02-07 03:01:35+0800',
    );
    expect(
      await value(`util.time.epochMilliSecondsToFormatted(${ms}, "yyyy-MM-dd HH:mm:ssZ", "Australia/Perth")`),
    ).toBe('2018-02-07 03:01:35+0800');
  });

  it('parsing examples: ISO 8601 with an offset, a pattern with Z, a pattern and a zone', async () => {
    expect(await value('util.time.parseISO8601ToEpochMilliSeconds("2018-02-01T17:21:05.180+08:00")')).toBe(
      1517476865180,
    );
    expect(
      await value('util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22+0800", "yyyy-MM-dd HH:mm:ssZ")'),
    ).toBe(1517505562000);
    expect(
      await value(
        'util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22", "yyyy-MM-dd HH:mm:ss", "+08:00")',
      ),
    ).toBe(1517505562000);
  });

  it('AppSync scalar formats: "yyyy-MM-dd[XXX]" and "yyyy-MM-dd\'T\'HH:mm:ss[XXXXX]" at "-07:00:30"', async () => {
    const at = Date.UTC(2018, 6, 11, 22, 14, 45);
    expect(await value(`util.time.epochMilliSecondsToFormatted(${at}, "yyyy-MM-dd[XXX]", "-07:00:30")`)).toBe(
      '2018-07-11-07:00',
    );
    expect(
      await value(`util.time.epochMilliSecondsToFormatted(${at}, "yyyy-MM-dd'T'HH:mm:ss[XXXXX]", "-07:00:30")`),
    ).toBe('2018-07-11T15:14:15-07:00:30');
  });

  it('nowFormatted takes offset zone ids as ZoneId.of does: "+08:00", "GMT+8"', async () => {
    const [plus, gmt] = (await value(
      '[util.time.nowFormatted("HH:mmXXX", "+08:00"), util.time.nowFormatted("HH:mmXXX", "GMT+8")]',
    )) as string[];
    expect(plus).toMatch(/^\d{2}:\d{2}\+08:00$/);
    expect(gmt).toBe(plus);
  });

  it('DateTimeFormatter letters z, x (UTC gives "+00"), D, u, w, G, E, a', async () => {
    expect(await value(`util.time.epochMilliSecondsToFormatted(${ms}, "z x xxx X")`)).toBe('UTC +00 +00:00 Z');
    expect(await value(`util.time.epochMilliSecondsToFormatted(${ms}, "D u w G")`)).toBe('37 2018 6 AD');
    expect(await value(`util.time.epochMilliSecondsToFormatted(${ms}, "DDD EEE EEEE h:mm a", "Australia/Perth")`)).toBe(
      '038 Wed Wednesday 3:01 AM',
    );
  });

  it('parses month names ("02/Feb/2018" with "dd/MMM/yyyy") and refuses days that do not exist', async () => {
    expect(await value('util.time.parseFormattedToEpochMilliSeconds("02/Feb/2018", "dd/MMM/yyyy")')).toBe(
      Date.UTC(2018, 1, 2),
    );
    expect(await failure('util.time.parseFormattedToEpochMilliSeconds("2018-02-30", "yyyy-MM-dd")')).toMatch(
      /could not be parsed/,
    );
  });

  it('parseISO8601ToEpochMilliSeconds refuses what is not ISO 8601', async () => {
    expect(await failure('util.time.parseISO8601ToEpochMilliSeconds("Feb 1 2018")')).toMatch(/ISO 8601/);
    expect(await failure('util.time.parseISO8601ToEpochMilliSeconds("2018-02-30T00:00:00Z")')).toMatch(
      /could not be parsed/,
    );
  });

  it('an unknown zone is a code error, not UTC', async () => {
    expect(await failure('util.time.nowFormatted("HH:mm", "Mars/Olympus")')).toMatch(/Unknown time zone/);
  });
});

describe('util, runtime and extensions (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html)', () => {
  it('error ends the handler with type, data and info; appendError records and continues', async () => {
    expect(
      await run('util.appendError("soft", "Warning"); util.error("bad", "ValidationError", { a: 1 }, { field: "x" });'),
    ).toMatchObject({
      kind: 'error',
      error: { message: 'bad', errorType: 'ValidationError', data: { a: 1 }, errorInfo: { field: 'x' } },
      errors: [{ message: 'soft', errorType: 'Warning', data: null, errorInfo: null }],
    });
  });

  it('ids: autoId is a UUID, autoUlid sorts in creation order, autoKsuid is 27 base62 characters', async () => {
    const [id, ksuid, ulids] = (await value(
      '[util.autoId(), util.autoKsuid(), [1, 2, 3, 4, 5, 6, 7, 8].map(() => util.autoUlid())]',
    )) as [string, string, string[]];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ksuid).toMatch(/^[0-9A-Za-z]{27}$/);
    expect([...ulids].sort()).toEqual(ulids);
  });

  it('encodings: base64 of unicode round-trips, urlEncode is form encoding', async () => {
    expect(await value('util.base64Decode(util.base64Encode("Café ✓"))')).toBe('Café ✓');
    expect(await value('util.urlEncode("a b&c=d!")')).toBe('a+b%26c%3Dd%21');
    expect(await value('util.urlDecode("a+b%26c")')).toBe('a b&c');
  });

  it('runtime.earlyReturn and extensions reach the executor', async () => {
    expect(
      await run(
        'extensions.setSubscriptionFilter({ filterGroup: [] }); extensions.invalidateSubscriptions({ subscriptionField: "onX", payload: { id: "1" } }); runtime.earlyReturn({ a: 1 }, { skipTo: "END" });',
      ),
    ).toMatchObject({
      kind: 'early',
      value: { a: 1 },
      skipTo: 'END',
      subscriptionFilter: { filterGroup: [] },
      invalidations: [{ subscriptionField: 'onX', payload: { id: '1' } }],
    });
  });
});
