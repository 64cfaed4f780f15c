import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { evaluateCode } from '../../../../local/appsync/evaluate.ts';
import { PROJECT_ROOT } from '../../../../local/stack.ts';

/** EvaluateCode's request/response shapes: https://docs.aws.amazon.com/appsync/latest/APIReference/API_EvaluateCode.html */
const RUNTIME = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };

const GET_BY_ID = `import { util } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  console.log('reading', ctx.args.id);
  ctx.stash.asked = ctx.args.id;
  return get({ key: { id: ctx.args.id } });
}
export function response(ctx) {
  if (!ctx.result) util.error('Not found', 'NotFound', null, { id: ctx.args.id });
  if (ctx.result.draft) util.appendError('Draft item', 'Warning');
  return ctx.result;
}`;

describe('evaluateCode', () => {
  it('given a request handler using the dynamodb helpers, then the request object is the evaluation result with logs and stash', async () => {
    const out = await evaluateCode({
      code: GET_BY_ID,
      context: JSON.stringify({ arguments: { id: 'e-1' } }),
      function: 'request',
      runtime: RUNTIME,
    });
    expect(out.error).toBeUndefined();
    expect(JSON.parse(out.evaluationResult!)).toEqual({ operation: 'GetItem', key: { id: { S: 'e-1' } } });
    expect(out.logs.join('\n')).toContain('reading e-1');
    expect(JSON.parse(out.stash!)).toEqual({ asked: 'e-1' });
  });

  it('given util.error in the response, then the error message comes back and no result', async () => {
    const out = await evaluateCode({
      code: GET_BY_ID,
      context: JSON.stringify({ arguments: { id: 'e-2' }, result: null }),
      function: 'response',
      runtime: RUNTIME,
    });
    expect(out.evaluationResult).toBeUndefined();
    expect(out.error?.message).toBe('Not found');
  });

  it('given util.appendError, then the result stays and the error is in outErrors', async () => {
    const out = await evaluateCode({
      code: GET_BY_ID,
      context: JSON.stringify({ arguments: { id: 'e-3' }, result: { id: 'e-3', draft: true } }),
      function: 'response',
      runtime: RUNTIME,
    });
    expect(JSON.parse(out.evaluationResult!)).toEqual({ id: 'e-3', draft: true });
    expect(JSON.parse(out.outErrors!)).toMatchObject([{ message: 'Draft item', errorType: 'Warning' }]);
  });

  it('given code that does not parse or another runtime, then a clear error', async () => {
    const broken = await evaluateCode({ code: 'export function request( {', context: '{}', runtime: RUNTIME });
    expect(broken.error?.codeErrors).toEqual([
      expect.objectContaining({ errorType: 'PARSER_ERROR', location: expect.objectContaining({ line: 1 }) }),
    ]);
    const vtl = await evaluateCode({
      code: GET_BY_ID,
      context: '{}',
      runtime: { name: 'VTL', runtimeVersion: '1.0.0' },
    });
    expect(vtl.error?.message).toMatch(/APPSYNC_JS/);
  });

  it('given code APPSYNC_JS rejects (async, while, try, class), then codeErrors name each with its line, column and span, and nothing runs', async () => {
    const code = [
      'export async function request(ctx) {',
      '  let i = 0;',
      '  while (i < 3) { i = i + 1; }',
      '  try { i = 2; } catch (e) { i = 3; }',
      '  class Item {}',
      '  console.log("ran");',
      '  return {};',
      '}',
      'export function response(ctx) { return ctx.result; }',
    ].join('\n');
    const out = await evaluateCode({ code, context: '{}', function: 'request', runtime: RUNTIME });
    expect(out.evaluationResult).toBeUndefined();
    expect(out.logs).toEqual([]);
    expect(out.error?.codeErrors).toEqual([
      {
        errorType: 'LINT_ERROR',
        value: expect.stringMatching(/Async functions are not supported/),
        location: { line: 1, column: 8, span: expect.any(Number) },
      },
      {
        errorType: 'LINT_ERROR',
        value: expect.stringMatching(/While statements are not supported/),
        location: { line: 3, column: 3, span: 'while (i < 3) { i = i + 1; }'.length },
      },
      {
        errorType: 'LINT_ERROR',
        value: expect.stringMatching(/Try statements are not supported/),
        location: { line: 4, column: 3, span: 'try { i = 2; } catch (e) { i = 3; }'.length },
      },
      {
        errorType: 'LINT_ERROR',
        value: expect.stringMatching(/Class declarations are not supported/),
        location: { line: 5, column: 3, span: 'class Item {}'.length },
      },
    ]);
  }, 30_000);
});

describe('evaluateCode isolation', () => {
  const hijack = `import { util } from '@aws-appsync/utils';
export function request(ctx) {
  util.time.nowISO8601 = () => 'hijacked';
  util.dynamodb.toDynamoDB = () => 'hijacked';
  return {};
}
export function response(ctx) { return ctx.result; }`;
  const reader = `import { util } from '@aws-appsync/utils';
export function request(ctx) { return { now: util.time.nowISO8601(), value: util.dynamodb.toDynamoDB(1) }; }
export function response(ctx) { return ctx.result; }`;

  it('given a request that overwrites util helpers, when a later separate request reads them, then it gets the real ones', async () => {
    await evaluateCode({ code: hijack, context: '{}', runtime: RUNTIME });
    const later = JSON.parse((await evaluateCode({ code: reader, context: '{}', runtime: RUNTIME })).evaluationResult!);
    expect(later.now).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(later.value).toEqual({ N: 1 });
  }, 30_000);

  it.each([
    ['util.error.constructor', `util.error.constructor('return process.version')()`],
    ['ctx.constructor.constructor', `ctx.constructor.constructor('return process.version')()`],
    ['console.log.constructor', `console.log.constructor('return process.version')()`],
    ['globalThis.constructor.constructor', `globalThis.constructor.constructor('return process.version')()`],
  ])(
    'given code reaching for the Function constructor through %s, then it cannot run code from a string',
    async (_, expression) => {
      const code = `import { util } from '@aws-appsync/utils';\nexport function request(ctx) { return { escaped: ${expression} }; }\nexport function response(ctx) { return ctx.result; }`;
      const out = await evaluateCode({ code, context: '{}', runtime: RUNTIME });
      expect(out.evaluationResult).toBeUndefined();
      expect(out.error?.message).toMatch(/Code generation from strings disallowed/);
    },
    30_000,
  );

  it("given a handler that never ends, then it stops at the execution limit with ExecutionTimeout's message", async () => {
    const code = `export function request(ctx) {
  const endless = { [Symbol.iterator]: () => ({ next: () => ({ done: false, value: 1 }) }) };
  let n = 0;
  for (const x of endless) { n = n + x; }
  return { n };
}
export function response(ctx) { return ctx.result; }`;
    const started = Date.now();
    const out = await evaluateCode({ code, context: '{}', runtime: RUNTIME }, { timeoutMs: 300 });
    expect(out.error?.message).toBe('Execution timed out.');
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});

describe('evaluateCode CLI', () => {
  // A new process: tsx, then the first lint builds its TypeScript program (seconds on a busy machine).
  it('given a JSONL file, when the CLI runs, then it prints one response per line in order', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'evaluate-cli-'));
    const file = path.join(dir, 'requests.jsonl');
    const lines = ['a', 'b'].map((id) =>
      JSON.stringify({
        code: GET_BY_ID,
        context: JSON.stringify({ arguments: { id } }),
        function: 'request',
        runtime: RUNTIME,
      }),
    );
    await writeFile(file, `${lines.join('\n')}\n`);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'local/appsync/evaluate-cli.ts'), file],
      { cwd: PROJECT_ROOT },
    );
    const answers = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => JSON.parse(a.evaluationResult).key.id.S)).toEqual(['a', 'b']);
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
});
