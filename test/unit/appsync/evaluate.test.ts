import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { evaluateCode } from '../../../local/appsync/evaluate.ts';
import { PROJECT_ROOT } from '../../../local/stack.ts';

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
    const out = await evaluateCode({ code: GET_BY_ID, context: JSON.stringify({ arguments: { id: 'e-1' } }), function: 'request', runtime: RUNTIME });
    expect(out.error).toBeUndefined();
    expect(JSON.parse(out.evaluationResult!)).toEqual({ operation: 'GetItem', key: { id: { S: 'e-1' } } });
    expect(out.logs.join('\n')).toContain('reading e-1');
    expect(JSON.parse(out.stash!)).toEqual({ asked: 'e-1' });
  });

  it('given util.error in the response, then the error message comes back and no result', async () => {
    const out = await evaluateCode({ code: GET_BY_ID, context: JSON.stringify({ arguments: { id: 'e-2' }, result: null }), function: 'response', runtime: RUNTIME });
    expect(out.evaluationResult).toBeUndefined();
    expect(out.error?.message).toBe('Not found');
  });

  it('given util.appendError, then the result stays and the error is in outErrors', async () => {
    const out = await evaluateCode({ code: GET_BY_ID, context: JSON.stringify({ arguments: { id: 'e-3' }, result: { id: 'e-3', draft: true } }), function: 'response', runtime: RUNTIME });
    expect(JSON.parse(out.evaluationResult!)).toEqual({ id: 'e-3', draft: true });
    expect(JSON.parse(out.outErrors!)).toMatchObject([{ message: 'Draft item', errorType: 'Warning' }]);
  });

  it('given code that does not parse or another runtime, then a clear error', async () => {
    const broken = await evaluateCode({ code: 'export function request( {', context: '{}', runtime: RUNTIME });
    expect(broken.error?.codeErrors?.[0].errorType).toBe('PARSER_ERROR');
    const vtl = await evaluateCode({ code: GET_BY_ID, context: '{}', runtime: { name: 'VTL', runtimeVersion: '1.0.0' } });
    expect(vtl.error?.message).toMatch(/APPSYNC_JS/);
  });

  it('given a JSONL file, when the CLI runs, then it prints one response per line in order', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'evaluate-cli-'));
    const file = path.join(dir, 'requests.jsonl');
    const lines = ['a', 'b'].map((id) => JSON.stringify({ code: GET_BY_ID, context: JSON.stringify({ arguments: { id } }), function: 'request', runtime: RUNTIME }));
    await writeFile(file, `${lines.join('\n')}\n`);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'local/appsync/evaluate-cli.ts'), file], { cwd: PROJECT_ROOT });
    const answers = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(answers.map((a) => JSON.parse(a.evaluationResult).key.id.S)).toEqual(['a', 'b']);
    await rm(dir, { recursive: true, force: true });
  });
});
