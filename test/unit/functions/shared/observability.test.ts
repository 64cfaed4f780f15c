import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionObservability, tracer } from '../../../../functions/shared/observability.ts';
import { createLocalLambda } from '../../../../local/lambda.ts';
import { PROJECT_ROOT } from '../../../../local/stack.ts';

const execFileAsync = promisify(execFile);

/**
 * The functions' Powertools setup on its own: what reaches the log (no secret), what a
 * failing invocation leaves behind (nothing), and the Tracer off the Lambda service (a no-op).
 */
let printed: string[];
let restore: () => void;

beforeEach(() => {
  printed = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = ((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  restore = () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
});
afterEach(() => restore());

const lines = () =>
  printed
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);
const context = (awsRequestId: string) => ({ awsRequestId, functionName: 'TestFn' }) as Context;

describe('log redaction', () => {
  it('given secrets in what a function logs, when the line is written, then tokens, passwords, signatures and receipt bytes are gone and the rest stays', () => {
    const { logger } = functionObservability('redaction');
    const signature = 'f00dfeed'.repeat(8);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLWJ5dGVz';
    const presigned = `https://bucket.s3.amazonaws.com/receipts/ada/01J.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20261201%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Expires=900&X-Amz-Security-Token=sessiontoken123&X-Amz-Signature=${signature}`;
    const image = Buffer.from('the bytes of a receipt photo');
    logger.info('upload ready', {
      uploadUrl: presigned,
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'image/jpeg' },
      input: { password: 'Corr3ct-Horse!', image: image.toString('base64'), fileName: 'lunch.jpg' },
      bytes: image,
      raw: new Uint8Array(image),
      accessToken: jwt,
    });
    logger.error('call failed', new Error(`token ${jwt} rejected for ${presigned}`));

    const text = printed.join('');
    for (const secret of [
      signature,
      jwt,
      'AKIAEXAMPLE',
      'sessiontoken123',
      'Corr3ct-Horse!',
      image.toString('base64'),
      'the bytes of a receipt photo',
    ])
      expect(text).not.toContain(secret);
    // Buffer.toJSON would print the bytes as numbers.
    expect(text).not.toContain(`[${[...image.subarray(0, 4)].join(',')}`);
    const [info, error] = lines();
    expect(info.uploadUrl).toMatch(
      /^https:\/\/bucket\.s3\.amazonaws\.com\/receipts\/ada\/01J\.jpg\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=\[redacted\]&X-Amz-Expires=900&/,
    );
    expect(info.headers['content-type']).toBe('image/jpeg');
    expect(info.input.fileName).toBe('lunch.jpg');
    expect(info.bytes).toBe(`[${image.length} bytes]`);
    expect(info.raw).toBe(`[${image.length} bytes]`);
    expect(error.error.message).toContain('rejected for https://bucket.s3.amazonaws.com/receipts/ada/01J.jpg?');
  });
});

describe('an instrumented handler', () => {
  it('given an invocation that fails after appending keys, when the next one runs, then it carries none of them and both flushed their metrics', async () => {
    const { logger, count, instrument } = functionObservability('failing');
    const handler = instrument(
      async (event: { id: string; fail: boolean }) => {
        logger.appendKeys({ step: `step-of-${event.id}` });
        count('receiptsFailed');
        logger.info('working');
        if (event.fail) throw new Error('boom');
        return 'ok';
      },
      (event) => event.id,
    );

    await expect(handler({ id: 'first', fail: true }, context('lambda-1'))).rejects.toThrow('boom');
    const afterFailure = printed.length;
    await expect(handler({ id: 'second', fail: false }, context('lambda-2'))).resolves.toBe('ok');

    const second = printed.slice(afterFailure).join('');
    expect(second).not.toContain('first');
    const emf = lines().filter((l) => l._aws && l.ReceiptsFailed === 1);
    expect(emf.map((l) => l.correlationId)).toEqual(['first', 'second']);
  });

  it('given an event without an id of its own and no context, when it runs, then it still gets a correlation id', async () => {
    const { logger, instrument } = functionObservability('no-context');
    const handler = instrument(
      async () => logger.info('hello'),
      () => undefined,
    );
    await handler({});
    expect(lines()[0].correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('tracing off the Lambda service', () => {
  it('given no Lambda environment and no X-Ray daemon, when a handler runs, then the Tracer is off and nothing complains', async () => {
    expect(process.env.AWS_EXECUTION_ENV).toBeUndefined();
    const { instrument } = functionObservability('traced');
    const handler = instrument(
      async () => {
        tracer().putAnnotation('receiptId', 'r1');
        tracer().putMetadata('detail', { a: 1 });
        return 42;
      },
      () => 'trace-test',
    );
    await expect(handler({}, context('lambda-t'))).resolves.toBe(42);
    expect(tracer().isTracingEnabled()).toBe(false);
    expect(printed.join('')).not.toMatch(/segment|daemon|X-Ray|xray/i);
  });
});

describe('the X-Ray SDK only on Lambda', () => {
  // A fresh process per case: the choice is made when the module loads.
  const probe = (env: Record<string, string>) =>
    execFileAsync(process.execPath, ['--import', 'tsx', '-e', PROBE], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, AWS_EXECUTION_ENV: '', ...env },
    }).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!));
  const PROBE = `
    const { createRequire } = await import('node:module');
    const { tracer } = await import('./functions/shared/observability.ts');
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('aws-xray-sdk-core'));
    console.log(JSON.stringify({ xray: loaded, tracing: tracer().isTracingEnabled() }));`;

  it('given no Lambda runtime, when the functions load, then the X-Ray SDK (and its async hooks, which slow every await) is not loaded', async () => {
    expect(await probe({})).toEqual({ xray: false, tracing: false });
  }, 60_000);

  it('given the Lambda runtime, then the Tracer is loaded and traces; POWERTOOLS_TRACE_ENABLED=false turns it off', async () => {
    const lambda = {
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: 'ProbeFn',
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    };
    expect(await probe(lambda)).toEqual({ xray: true, tracing: true });
    expect(await probe({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'false' })).toEqual({ xray: false, tracing: false });
  }, 60_000);
});

describe('overlapping invocations in the local Lambda', () => {
  it('given two invocations of one function at once, when the first ends after the second, then each line still names its own invocation', async () => {
    // As local/stack.ts sets it for the in-process functions.
    process.env.AWS_LAMBDA_MAX_CONCURRENCY = '1000';
    try {
      const { logger, instrument } = functionObservability('overlapping');
      // The slow one ends only once the fast one has ended, however loaded the machine is.
      let fastEnded!: () => void;
      const fastHasEnded = new Promise<void>((resolve) => (fastEnded = resolve));
      let slowStarted!: () => void;
      const slowHasStarted = new Promise<void>((resolve) => (slowStarted = resolve));
      const handler = instrument(
        async (event: { id: string }) => {
          logger.appendKeys({ step: `step-of-${event.id}` });
          if (event.id === 'slow') {
            slowStarted();
            await fastHasEnded;
          }
          logger.info('done');
        },
        (event) => event.id,
      );
      const definition = { name: 'OverlapFn', entry: 'unused', memoryMb: 128, timeoutSeconds: 5, tables: {} };
      const lambda = createLocalLambda({
        functions: [definition],
        projectRoot: '.',
        region: 'us-east-1',
        loadHandler: async () => handler as never,
      });
      const slow = lambda.invoke('OverlapFn', { id: 'slow' });
      await slowHasStarted;
      await lambda.invoke('OverlapFn', { id: 'fast' });
      fastEnded();
      await slow;
      await lambda.stop();
      const done = lines().filter((l) => l.message === 'done');
      expect(done.map((l) => [l.correlationId, l.step])).toEqual([
        ['fast', 'step-of-fast'],
        ['slow', 'step-of-slow'],
      ]);
    } finally {
      delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
    }
  });
});
