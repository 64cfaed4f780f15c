import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from '../../local/appsync/data-sources/data-source.ts';
import { INVALID_NEXT_TOKEN_ERROR } from '../../local/appsync/data-sources/page-tokens.ts';
import { startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/**
 * The DynamoDB data source against dynalite: AppSync request objects in the documented form,
 * condition failures handled as AppSync's DynamoDB function documents, and sealed nextTokens.
 */
let h: ResolverHarness;
let budgets: DataSource;

beforeAll(async () => {
  h = await startResolverHarness();
  budgets = h.dataSources.get('Budgets')!;
});

afterAll(async () => {
  await h?.stop();
});

const key = (id: string) => ({ user_id: { S: 'user-a' }, budget_id: { S: id } });

describe('typed values', () => {
  it('given a PutItem written the documented way ({ "N" : 5 }, { "NULL" : null }, nested), then DynamoDB stores the numbers and the null', async () => {
    const out = await budgets({
      operation: 'PutItem',
      key: key('documented'),
      attributeValues: {
        amount: { N: 5 },
        thresholds: { L: [{ N: 50 }, { N: 100 }] },
        fired: { M: { '2026-11-01': { NS: [50] } } },
        category: { NULL: null },
      },
    });
    expect(out.error).toBeUndefined();
    const stored = await h.db.send(
      new GetCommand({ TableName: 'Budgets', Key: { user_id: 'user-a', budget_id: 'documented' } }),
    );
    expect(stored.Item).toMatchObject({ amount: 5, thresholds: [50, 100], category: null });
    expect([...(stored.Item!.fired['2026-11-01'] as Set<number>)]).toEqual([50]);
  });

  it('given the wire form ({ "N": "5" }, { "NULL": true }), then it is accepted too', async () => {
    expect(
      (
        await budgets({
          operation: 'PutItem',
          key: key('wire'),
          attributeValues: { amount: { N: '7' }, category: { NULL: true } },
        })
      ).error,
    ).toBeUndefined();
    const updated = await budgets({
      operation: 'UpdateItem',
      key: key('wire'),
      update: {
        expression: 'SET #a = #a + :one',
        expressionNames: { '#a': 'amount' },
        expressionValues: { ':one': { N: 1 } },
      },
    });
    expect(updated.result).toMatchObject({ amount: 8, category: null });
  });
});

describe('condition failures (js-aws-appsync-resolver-reference-dynamodb-condition-expressions, "Handling a condition check failure")', () => {
  const version = (v: number) => ({
    expression: '#v = :v',
    expressionNames: { '#v': 'version' },
    expressionValues: { ':v': { N: v } },
  });

  it('given a PutItem whose condition fails but the item already is what it writes (bar equalsIgnore), then it succeeds with that item', async () => {
    await budgets({
      operation: 'PutItem',
      key: key('retried'),
      attributeValues: { name: { S: 'Food' }, version: { N: 2 } },
    });
    const retried = await budgets({
      operation: 'PutItem',
      key: key('retried'),
      attributeValues: { name: { S: 'Food' }, version: { N: 3 } },
      condition: { ...version(1), equalsIgnore: ['version'] },
    });
    expect(retried).toEqual({ result: expect.objectContaining({ name: 'Food', version: 2 }) });
    const different = await budgets({
      operation: 'PutItem',
      key: key('retried'),
      attributeValues: { name: { S: 'Rent' } },
      condition: version(1),
    });
    expect(different.error).toEqual({
      message: 'The conditional request failed',
      type: 'DynamoDB:ConditionalCheckFailedException',
    });
  });

  it('given a DeleteItem whose condition fails because there is no item, then it succeeds with no item', async () => {
    expect(
      await budgets({
        operation: 'DeleteItem',
        key: key('never-there'),
        condition: { expression: 'attribute_exists(#id)', expressionNames: { '#id': 'budget_id' } },
      }),
    ).toEqual({ result: null });
  });

  it('given an UpdateItem whose condition fails, then the Reject strategy: an error, with the current item', async () => {
    await budgets({ operation: 'PutItem', key: key('updated'), attributeValues: { version: { N: 4 } } });
    const out = await budgets({
      operation: 'UpdateItem',
      key: key('updated'),
      update: { expression: 'SET #v = :n', expressionNames: { '#v': 'version' }, expressionValues: { ':n': { N: 2 } } },
      condition: version(1),
    });
    expect(out).toEqual({
      result: expect.objectContaining({ version: 4 }),
      error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
    });
  });
});

describe('nextToken', () => {
  const query = (sub: string, nextToken?: string) => ({
    operation: 'Query',
    query: { expression: '#u = :u', expressionNames: { '#u': 'user_id' }, expressionValues: { ':u': { S: sub } } },
    limit: 1,
    nextToken,
  });

  beforeAll(async () => {
    for (const sub of ['pager-a', 'pager-b']) {
      for (const id of ['one', 'two', 'three'])
        await budgets({
          operation: 'PutItem',
          key: { user_id: { S: sub }, budget_id: { S: id } },
          attributeValues: {},
        });
    }
  });

  it('given a page, then its token reveals nothing of the key and leads to the next page', async () => {
    const first = (await budgets(query('pager-a'))).result as {
      items: Array<{ budget_id: string }>;
      nextToken: string;
    };
    expect(Buffer.from(first.nextToken, 'base64url').toString('latin1')).not.toMatch(/pager-a|budget_id|one/);
    const second = (await budgets(query('pager-a', first.nextToken))).result as { items: Array<{ budget_id: string }> };
    expect(second.items.map((i) => i.budget_id)).not.toEqual(first.items.map((i) => i.budget_id));
  });

  it("given garbage, a tampered token or another caller's token, then AppSync's invalid-token error", async () => {
    const mine = ((await budgets(query('pager-a'))).result as { nextToken: string }).nextToken;
    const raw = Buffer.from(mine, 'base64url');
    raw[raw.length - 1] ^= 1;
    for (const token of [
      'garbage',
      Buffer.from('{"user_id":{"S":"pager-a"}}').toString('base64url'),
      raw.toString('base64url'),
    ]) {
      expect(await budgets(query('pager-a', token))).toEqual({ result: null, error: INVALID_NEXT_TOKEN_ERROR });
    }
    expect(await budgets(query('pager-b', mine))).toEqual({ result: null, error: INVALID_NEXT_TOKEN_ERROR });
  });
});
