import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from '../../../../local/appsync/data-sources/data-source.ts';
import { noneDataSource } from '../../../../local/appsync/data-sources/none.ts';
import { createResolverExecutor, type ResolverExecutor } from '../../../../local/appsync/executor.ts';
import { PROJECT_ROOT } from '../../../../local/stack.ts';
import { cognitoIdentity } from '../../../support/resolver-harness.ts';

/**
 * The executor's AppSync semantics on a small project of its own: unit and pipeline
 * resolvers, ctx.stash/prev, runtime.earlyReturn, util.error vs util.appendError, data source
 * errors left to the handler, isolation between resolver contexts.
 */
const SCHEMA = `
type Item { id: ID! name: String }
type Query {
  echo(name: String): Item
  failing: Item
  appended: Item
  early: Item
  pipeline(name: String): Item
  pipelineEarly: Item
  skipToEnd: Item
  dsError: Item
  dsErrorRaised: Item
  leak: Int
  leakOther: Int
  crash: Item
  hijack: Item
  readTime: Item
  runaway: Item
  hanging: Item
}
`;

const FILES: Record<string, string> = {
  'Query.echo.NONE.ts': `import { util } from '@aws-appsync/utils';
export function request(ctx) { return { payload: { id: util.autoId(), name: ctx.args.name } }; }
export function response(ctx) { return ctx.result; }`,
  'Query.failing.NONE.ts': `import { util } from '@aws-appsync/utils';
export function request() { return { payload: {} }; }
export function response() { util.error('Amount must be positive', 'ValidationError', { id: 'x' }, { field: 'amount' }); }`,
  'Query.appended.NONE.ts': `import { util } from '@aws-appsync/utils';
export function request() { return { payload: { id: '1', name: 'kept' } }; }
export function response(ctx) { util.appendError('partial', 'Warning'); return ctx.result; }`,
  'Query.early.NONE.ts': `import { runtime } from '@aws-appsync/utils';
export function request() { runtime.earlyReturn({ id: 'early' }); return { payload: { id: 'not-early' } }; }
export function response() { return { id: 'response-ran' }; }`,
  'Query.pipeline/index.ts': `export function request(ctx) { ctx.stash.trail = ['before']; return { started: ctx.args.name }; }
export function response(ctx) { return { id: ctx.stash.trail.join('>'), name: ctx.prev.result.name }; }`,
  'Query.pipeline/1.one.NONE.ts': `export function request(ctx) { ctx.stash.trail.push('one:' + ctx.prev.result.started); return { payload: { name: ctx.prev.result.started + '-1' } }; }
export function response(ctx) { return ctx.result; }`,
  'Query.pipeline/2.two.NONE.ts': `export function request(ctx) { ctx.stash.trail.push('two'); return { payload: { name: ctx.prev.result.name + '-2' } }; }
export function response(ctx) { return ctx.result; }`,
  'Query.pipelineEarly/1.returnEarly.NONE.ts': `import { runtime } from '@aws-appsync/utils';
export function request() { runtime.earlyReturn({ id: 'skipped-one' }); }
export function response() { return { id: 'never' }; }`,
  'Query.pipelineEarly/2.two.NONE.ts': `export function request(ctx) { return { payload: { id: 'two saw ' + ctx.prev.result.id } }; }
export function response(ctx) { return ctx.result; }`,
  'Query.skipToEnd/1.skip.NONE.ts': `import { runtime } from '@aws-appsync/utils';
export function request() { runtime.earlyReturn({ id: 'ended' }, { skipTo: 'END' }); }
export function response() { return { id: 'never' }; }`,
  'Query.skipToEnd/2.two.NONE.ts': `export function request() { return { payload: { id: 'two ran' } }; }
export function response(ctx) { return ctx.result; }`,
  'Query.dsError.Budgets.ts': `export function request() { return { payload: {} }; }
export function response(ctx) { return { id: 'handled', name: ctx.error.type }; }`,
  'Query.dsErrorRaised.Budgets.ts': `import { util } from '@aws-appsync/utils';
export function request() { return { payload: {} }; }
export function response(ctx) { if (ctx.error) util.error(ctx.error.message, ctx.error.type); return ctx.result; }`,
  'Query.leak.NONE.ts': `export function request() { globalThis.shared = (globalThis.shared || 0) + 1; return { payload: globalThis.shared }; }
export function response(ctx) { return ctx.result; }`,
  'Query.leakOther.NONE.ts': `export function request() { globalThis.shared = (globalThis.shared || 0) + 1; return { payload: globalThis.shared }; }
export function response(ctx) { return ctx.result; }`,
  'Query.crash.NONE.ts': `export function request(ctx) { return { payload: ctx.args.missing.field }; }
export function response(ctx) { return ctx.result; }`,
  'Query.hijack.NONE.ts': `import { util } from '@aws-appsync/utils';
export function request() { util.time.nowISO8601 = () => 'hijacked'; return { payload: { id: util.time.nowISO8601() } }; }
export function response(ctx) { return ctx.result; }`,
  'Query.readTime.NONE.ts': `import { util } from '@aws-appsync/utils';
export function request() { return { payload: { id: util.time.nowISO8601() } }; }
export function response(ctx) { return ctx.result; }`,
  'Query.hanging.Expenses.ts': `export function request() { return { payload: {} }; }
export function response(ctx) { return ctx.result; }`,
  'Query.runaway.NONE.ts': `export function request() {
  const endless = { [Symbol.iterator]: () => ({ next: () => ({ done: false, value: 1 }) }) };
  let n = 0;
  for (const x of endless) { n = n + x; }
  return { payload: { id: String(n) } };
}
export function response(ctx) { return ctx.result; }`,
};

let root: string;
let executor: ResolverExecutor;

// Budgets stands in for any data source that fails (the manifest only accepts known names).
const failing: DataSource = async () => ({ result: null, error: { message: 'boom', type: 'Lambda:Unhandled' } });

async function run(field: string, args: Record<string, unknown> = {}) {
  return executor.run('Query', field, {
    arguments: args,
    source: null,
    identity: cognitoIdentity('user-a') as any,
    info: { fieldName: field, parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
    request: { headers: {}, domainName: null },
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'executor-'));
  await cp(path.join(PROJECT_ROOT, 'appsync.graphql'), path.join(root, 'appsync.graphql'));
  await writeFile(path.join(root, 'schema.graphql'), SCHEMA);
  for (const [file, code] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(root, 'resolvers', file)), { recursive: true });
    await writeFile(path.join(root, 'resolvers', file), code);
  }
  executor = await createResolverExecutor({
    projectRoot: root,
    dataSources: new Map([
      ['NONE', noneDataSource],
      ['Budgets', failing],
      // Expenses stands in for a data source that never answers.
      ['Expenses', () => new Promise(() => {})],
    ]),
    timeoutMs: 300,
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('unit resolvers', () => {
  it('given a NONE data source, when resolved, then the payload is ctx.result', async () => {
    const out = await run('echo', { name: 'Ada' });
    expect(out.errors).toEqual([]);
    expect(out.data).toMatchObject({ name: 'Ada' });
    expect((out.data as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('given util.error, then the field is null and the error keeps type, data and info', async () => {
    const out = await run('failing');
    expect(out.data).toBeNull();
    expect(out.errors).toEqual([
      {
        message: 'Amount must be positive',
        errorType: 'ValidationError',
        data: { id: 'x' },
        errorInfo: { field: 'amount' },
      },
    ]);
  });

  it('given util.appendError, then the data stays and the error is added', async () => {
    const out = await run('appended');
    expect(out.data).toEqual({ id: '1', name: 'kept' });
    expect(out.errors).toMatchObject([{ message: 'partial', errorType: 'Warning' }]);
  });

  it('given runtime.earlyReturn in the request, then neither the data source nor the response runs', async () => {
    expect((await run('early')).data).toEqual({ id: 'early' });
  });

  it('given a data source error, then it is only ctx.error until the handler raises it', async () => {
    expect((await run('dsError')).data).toEqual({ id: 'handled', name: 'Lambda:Unhandled' });
    const raised = await run('dsErrorRaised');
    expect(raised.data).toBeNull();
    expect(raised.errors).toMatchObject([{ message: 'boom', errorType: 'Lambda:Unhandled' }]);
  });

  it('given code that throws, then the field errors instead of the process', async () => {
    const out = await run('crash');
    expect(out.data).toBeNull();
    expect(out.errors[0].errorType).toBe('Code');
  });
});

describe('pipeline resolvers', () => {
  it('given before, two functions and after, then prev.result chains and one stash is shared', async () => {
    const out = await run('pipeline', { name: 'x' });
    expect(out.data).toEqual({ id: 'before>one:x>two', name: 'x-1-2' });
  });

  it('given earlyReturn in a function request, then only that function is skipped and its value is prev.result', async () => {
    expect((await run('pipelineEarly')).data).toEqual({ id: 'two saw skipped-one' });
  });

  it("given earlyReturn with skipTo 'END', then the remaining functions are skipped", async () => {
    expect((await run('skipToEnd')).data).toEqual({ id: 'ended' });
  });
});

describe('isolation', () => {
  it('given two resolvers writing the same global, then each sees only its own context', async () => {
    await run('leak');
    await run('leak');
    expect((await run('leakOther')).data).toBe(1);
  });
});

describe('isolation of the util shim and of the host', () => {
  it('given a resolver that overwrites util.time.nowISO8601, then it fails (strict mode, frozen shim) and no later request gets the replacement', async () => {
    for (const field of ['hijack', 'hijack']) {
      const out = await run(field);
      expect(out.data).toBeNull();
      expect(out.errors).toEqual([
        expect.objectContaining({
          errorType: 'Code',
          message: expect.stringMatching(/read only property 'nowISO8601'/),
        }),
      ]);
    }
    const later = await run('readTime');
    expect(later.errors).toEqual([]);
    expect((later.data as { id: string }).id).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('given a resolver that never ends, then it stops at the execution limit with ExecutionTimeout and the next request is served', async () => {
    const started = Date.now();
    const out = await run('runaway');
    expect(out.data).toBeNull();
    expect(out.errors).toEqual([
      { message: 'Execution timed out.', errorType: 'ExecutionTimeout', data: null, errorInfo: null },
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await run('echo', { name: 'after' })).data).toMatchObject({ name: 'after' });
  });

  it('given a data source that never answers, then the field ends with ExecutionTimeout at the limit', async () => {
    const out = await run('hanging');
    expect(out).toMatchObject({
      data: null,
      errors: [{ errorType: 'ExecutionTimeout', message: 'Execution timed out.' }],
    });
  });
});

describe('manifest errors', () => {
  it('given a resolver for a field missing from the schema, then loading fails and names it', async () => {
    const bad = await mkdtemp(path.join(tmpdir(), 'executor-bad-'));
    await cp(path.join(PROJECT_ROOT, 'appsync.graphql'), path.join(bad, 'appsync.graphql'));
    await writeFile(path.join(bad, 'schema.graphql'), SCHEMA);
    await mkdir(path.join(bad, 'resolvers'));
    await writeFile(path.join(bad, 'resolvers', 'Query.nope.NONE.ts'), 'export function request() { return {}; }');
    await expect(
      createResolverExecutor({ projectRoot: bad, dataSources: new Map([['NONE', noneDataSource]]) }),
    ).rejects.toThrow(/Query\.nope is not a field/);
    await writeFile(path.join(bad, 'resolvers', 'Query.nope.NONE.ts'), '');
    await rm(path.join(bad, 'resolvers', 'Query.nope.NONE.ts'));
    await writeFile(path.join(bad, 'resolvers', 'Query.echo.Nowhere.ts'), 'export function request() { return {}; }');
    await expect(
      createResolverExecutor({ projectRoot: bad, dataSources: new Map([['NONE', noneDataSource]]) }),
    ).rejects.toThrow(/unknown data source Nowhere/);
    await rm(bad, { recursive: true, force: true });
  });
});
