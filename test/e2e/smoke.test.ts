import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/stack.ts';
import type { LocalStack } from '../../local/stack.ts';
import { givenRunningStack } from './steps.ts';

/**
 * `npm run smoke` against the local stack, as a user runs it against a deployed one: the CLI in
 * its own process, knowing the stack only by its amplify_outputs.json.
 */
const run = promisify(execFile);
let stack: LocalStack;
let stopStack: () => Promise<void>;
beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('smoke'));
}, 60_000);
afterAll(() => stopStack?.());

describe('npm run smoke', () => {
  it('given the local stack, when the smoke journey runs from its amplify_outputs.json, then every step passes: sign-up, upload, processed event, budget alert, report', async () => {
    const outputs = new URL('/amplify_outputs.json', stack.urls.graphql).href;

    const { stdout } = await run('npx', ['tsx', 'local/cli/smoke.ts', '--outputs', outputs, '--timeout-s', '60'], {
      cwd: PROJECT_ROOT,
      timeout: 240_000,
    });

    for (const step of ['sign up', 'receipt processed', 'budget crossed', 'report emailed'])
      expect(stdout).toMatch(new RegExp(`^ok  ${step}`, 'm'));
    expect(stdout).toMatch(/^smoke passed: 8 steps/m);
    const report = (await stack.outbox.list()).find((m) => m.subject.startsWith('Your monthly spending report'));
    expect(report?.to[0]).toMatch(/^smoke-\d+@example\.com$/);
  }, 240_000);
});
