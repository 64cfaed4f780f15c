import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { QUERY_DEPTH_LIMIT, RESOLVER_COUNT_LIMIT } from '../../model/api-limits.ts';
import { createGraphQLExecutor, type ResolverRunner } from '../../local/server/graphql.ts';
import { MAX_QUERY_TOKENS } from '../../local/server/request-errors/syntax.ts';
import { loadApiSchema } from '../../local/server/schema.ts';
import { cognitoIdentity } from '../support/resolver-harness.ts';

/**
 * What one request may cost, as AppSync bounds it: its depth and the resolvers it runs
 * (QueryDepthLimitReached / ResolverExecutionLimitReached on the fields past the limit, the
 * rest answered), the size of its document (graphql-java's parser limits) and the errors its
 * validation reports (at most 100, never a failure of the server).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const caller = { mode: 'AMAZON_COGNITO_USER_POOLS' as const, identity: cognitoIdentity('u1') };

/** Resolvers that answer every field with a receipt-and-expense shape, counting their runs. */
function countingResolvers() {
  const runs = { count: 0 };
  const expense = { id: 'e1', merchant: 'Cafe', amount: 100, currency: 'EUR', receiptId: 'r1' };
  const receipt = { id: 'r1', status: 'PROCESSED' };
  const resolvers: ResolverRunner = {
    hasResolver: (type, field) =>
      ['Query.me', 'Query.expense', 'Expense.receipt', 'Receipt.expense'].includes(`${type}.${field}`),
    async run(type, field) {
      runs.count += 1;
      if (field === 'me') return { data: { id: 'u1', email: 'u1@example.com' }, errors: [] };
      return { data: field === 'receipt' ? receipt : expense, errors: [] };
    },
  };
  return { runs, resolvers };
}

describe('query depth', () => {
  it('given an expense → receipt → expense … chain deeper than the limit, then the field past it is null with QueryDepthLimitReached and the levels above are answered', async () => {
    const { resolvers } = countingResolvers();
    const executor = createGraphQLExecutor(loadApiSchema(root), resolvers);
    // expense(1) receipt(2) expense(3) … then id at depth QUERY_DEPTH_LIMIT + 1.
    const links = Array.from({ length: QUERY_DEPTH_LIMIT - 1 }, (_, i) => (i % 2 === 0 ? 'receipt' : 'expense'));
    const query = `{ expense(id: "e1") { ${links.map((l) => `${l} { id `).join('')}${'}'.repeat(links.length)} } }`;
    const outcome = await executor.execute({ query }, caller, {});
    const errors = outcome.body.errors ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ errorType: 'QueryDepthLimitReached', path: ['expense', ...links, 'id'] });
    // Everything above the limit came back.
    let level = (outcome.body.data as Record<string, any>).expense;
    for (const link of links.slice(0, -1)) level = level[link];
    expect(level[links.at(-1)!]).toBeNull();
  });

  it('given the standard introspection query tools send, then it is within the limit', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const executor = createGraphQLExecutor(loadApiSchema(root), countingResolvers().resolvers);
    const outcome = await executor.execute({ query: getIntrospectionQuery() }, caller, {});
    expect(outcome.body.errors).toBeUndefined();
  });
});

describe('resolver count', () => {
  it('given one field under 300 aliases, then the first RESOLVER_COUNT_LIMIT run and the others are null with ResolverExecutionLimitReached, never run', async () => {
    const { runs, resolvers } = countingResolvers();
    const executor = createGraphQLExecutor(loadApiSchema(root), resolvers);
    const query = `{ ${Array.from({ length: 300 }, (_, i) => `m${i}: me { id }`).join(' ')} }`;
    const outcome = await executor.execute({ query }, caller, {});
    expect(runs.count).toBe(RESOLVER_COUNT_LIMIT);
    const data = outcome.body.data as Record<string, unknown>;
    expect(Object.values(data).filter((v) => v !== null)).toHaveLength(RESOLVER_COUNT_LIMIT);
    const errors = outcome.body.errors ?? [];
    expect(errors).toHaveLength(300 - RESOLVER_COUNT_LIMIT);
    expect(new Set(errors.map((e) => e.errorType))).toEqual(new Set(['ResolverExecutionLimitReached']));
    expect(errors[0].path).toEqual([`m${RESOLVER_COUNT_LIMIT}`]);
  });
});

describe('document size and validation errors', () => {
  const neverRuns: ResolverRunner = {
    hasResolver: () => true,
    run: () => {
      throw new Error('no resolver may run for an invalid request');
    },
  };
  const executor = createGraphQLExecutor(loadApiSchema(root), neverRuns);

  it("given a document with 500 unknown fields, then 99 errors and graphql-java's MaxValidationErrorsReached, not a server failure", async () => {
    const query = `{ me { ${Array.from({ length: 500 }, (_, i) => `nope${i}`).join(' ')} } }`;
    const outcome = await executor.execute({ query }, caller, {});
    const errors = outcome.body.errors!;
    expect(outcome.body.data).toBeNull();
    expect(errors).toHaveLength(100);
    expect(errors[0].message).toBe(
      "Validation error of type FieldUndefined: Field 'nope0' in type 'User' is undefined @ 'me/nope0'",
    );
    expect(errors[98].message).toMatch(/nope98'/);
    expect(errors[99]).toEqual({
      path: null,
      locations: null,
      message:
        'Validation error of type MaxValidationErrorsReached: The maximum number of validation errors has been reached. (100)',
    });
  });

  it('given repeated duplicate directives (once classified by walking the document per error), then answered in one walk', async () => {
    const query = `{ me { ${Array.from({ length: 800 }, (_, i) => `a${i}: id @skip(if: false) @skip(if: false)`).join(' ')} } }`;
    const started = performance.now();
    const outcome = await executor.execute({ query }, caller, {});
    expect(outcome.body.errors).toHaveLength(100);
    expect(outcome.body.errors![0].message).toMatch(/DuplicateDirectiveName.*used on a 'Field' is not unique/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('given more tokens than graphql-java parses, then an Invalid Syntax refusal before parsing', async () => {
    const query = `{ me { ${'id '.repeat(MAX_QUERY_TOKENS)} } }`;
    const outcome = await executor.execute({ query }, caller, {});
    expect(outcome.body.errors).toEqual([
      {
        path: null,
        locations: null,
        message: `Invalid Syntax : More than ${MAX_QUERY_TOKENS} 'grammar' tokens have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.`,
      },
    ]);
  });
});
