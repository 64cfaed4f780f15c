import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, PROJECT_ROOT, STACK_NAME } from '../../infra/app.ts';
import { TEST_SENDER_EMAIL } from './synth.ts';

/**
 * Synthesis as the CDK CLI runs it for `cdk synth` / `cdk deploy`: the app with the assembly
 * directory and context the CLI passes and, when the CLI found credentials, the account and
 * region in CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION (the stack is then pinned to them, and
 * ARNs carry them literally). cdk-nag runs either way; a finding it was told to accept must still
 * be recognised. The app is created in this process (as cdk.json's app creates it), which costs
 * a fraction of a child process; the one-line error is checked on the real command line.
 */
const run = promisify(execFile);
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function synthesizeWith(environment: { CDK_DEFAULT_ACCOUNT?: string; CDK_DEFAULT_REGION?: string }) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-cli-'));
  outdirs.push(outdir);
  const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const set = (name: string, value: string | undefined) =>
    value === undefined ? delete process.env[name] : (process.env[name] = value);
  set('CDK_DEFAULT_ACCOUNT', environment.CDK_DEFAULT_ACCOUNT);
  set('CDK_DEFAULT_REGION', environment.CDK_DEFAULT_REGION);
  try {
    // Function code plays no part in what is checked here: esbuild skips the Lambda assets.
    const { app } = await createApp({
      outdir,
      context: { senderEmail: TEST_SENDER_EMAIL, 'aws:cdk:bundling-stacks': [] },
    });
    const assembly = app.synth();
    return { assembly, stack: assembly.getStackByName(STACK_NAME) };
  } finally {
    set('CDK_DEFAULT_ACCOUNT', saved.account);
    set('CDK_DEFAULT_REGION', saved.region);
  }
}

describe('synthesis as the CDK CLI runs the app', () => {
  it.each<[string, { CDK_DEFAULT_ACCOUNT?: string; CDK_DEFAULT_REGION?: string }, string]>([
    ['without credentials (environment-agnostic)', {}, 'aws://unknown-account/unknown-region'],
    [
      'with credentials (CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION set)',
      { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' },
      'aws://123456789012/eu-west-1',
    ],
  ])(
    'given a sender, %s, then the app synthesizes with every cdk-nag finding acknowledged',
    async (_, environment, expected) => {
      // app.synth() throws on any finding that is not acknowledged.
      const { assembly, stack } = await synthesizeWith(environment);

      expect(stack.environment.name).toBe(expected);
      expect(existsSync(path.join(assembly.directory, stack.templateFile))).toBe(true);
      if (environment.CDK_DEFAULT_REGION) {
        // Pinned: the region is written out, not left to CloudFormation.
        expect(JSON.stringify(stack.template)).toContain(`:${environment.CDK_DEFAULT_REGION}:`);
      }
    },
    120_000,
  );

  it("given no sender, when cdk.json's app runs as the CLI runs it, then it stops with one line saying what to pass, no stack trace", async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-cli-'));
    outdirs.push(outdir);
    const [command, ...args] = (
      JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')).app as string
    ).split(' ');

    const outcome = await run(command, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: '{}' },
      timeout: 60_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      }),
    );

    expect(outcome.code).toBe(1);
    expect(outcome.output).toContain('Context senderEmail is required');
    expect(outcome.output).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(outdir, `${STACK_NAME}.template.json`))).toBe(false);
  }, 60_000);
});
