import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '../../model/functions.ts';
import { createLocalCognitoStandIn } from '../../local/cognito/stand-in.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';

/**
 * The local Lambda Invoke API, as `@aws-sdk/client-lambda` calls it: signed callers holding
 * the stack's credentials run functions; anyone else is refused before a function runs.
 */
const ECHO: FunctionDefinition = { name: 'EchoFn', entry: 'unused.ts', memoryMb: 128, timeoutSeconds: 3, tables: {} };
const calls: unknown[] = [];
let stack: LocalStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'invoke-api-'));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    quiet: true,
    env: {},
    functions: [ECHO],
    loadHandler: async () => async (event: unknown) => {
      calls.push(event);
      return { echoed: event };
    },
    createResolvers: async () => ({ hasResolver: () => false, run: async () => ({ data: null, errors: [] }) }),
    createCognito: createLocalCognitoStandIn,
  });
});

afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new LambdaClient({ endpoint: new URL(stack.urls.graphql).origin, region: stack.config.region, credentials });

describe('Lambda Invoke API', () => {
  it('given the stack credentials, when invoking with the SDK, then the function runs and answers', async () => {
    const out = await client(stack.config.credentials).send(
      new InvokeCommand({ FunctionName: 'EchoFn', Payload: Buffer.from(JSON.stringify({ hello: 'world' })) }),
    );
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({ echoed: { hello: 'world' } });
  });

  it('given other credentials or no signature, then it is refused and the function never runs', async () => {
    const before = calls.length;
    await expect(
      client({ accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' }).send(
        new InvokeCommand({ FunctionName: 'EchoFn', Payload: Buffer.from('{}') }),
      ),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    const wrongSecret = { ...stack.config.credentials, secretAccessKey: 'not-the-secret' };
    await expect(
      client(wrongSecret).send(new InvokeCommand({ FunctionName: 'EchoFn', Payload: Buffer.from('{}') })),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    const unsigned = await fetch(`${new URL(stack.urls.graphql).origin}/2015-03-31/functions/EchoFn/invocations`, {
      method: 'POST',
      body: '{}',
    });
    expect(unsigned.status).toBe(403);
    expect(calls.length).toBe(before);
  });
});
