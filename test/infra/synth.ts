import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createApp } from '../../infra/app.ts';
import type { ExpenseTrackerStack } from '../../infra/stack.ts';

/** The sender every test synthesis deploys with (a deployment must name one). */
export const TEST_SENDER_EMAIL = 'alerts@expenses.example.org';

/**
 * One synthesis of the real app (cdk-nag included) into a temp dir. `bundleFunctions: false`
 * skips esbuild for the Lambda assets, for tests about options unrelated to function code.
 */
export interface Synthesized {
  stack: ExpenseTrackerStack;
  template: Template;
  assembly: CloudAssembly;
  /** Logical id of a construct's CloudFormation resource. */
  logicalId(construct: { node: { defaultChild?: unknown } }): string;
  dispose(): void;
}

export async function synthesize(
  options: {
    context?: Record<string, unknown>;
    bundleFunctions?: boolean;
    functions?: Parameters<typeof createApp>[1];
  } = {},
): Promise<Synthesized> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-test-'));
  const context = {
    senderEmail: TEST_SENDER_EMAIL,
    ...options.context,
    ...(options.bundleFunctions === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
  };
  const { app, stack } = await createApp({ outdir, context }, options.functions);
  const assembly = app.synth();
  return {
    stack,
    template: Template.fromStack(stack),
    assembly,
    logicalId: (construct) => (stack as Stack).getLogicalId(construct.node.defaultChild as CfnResource),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
