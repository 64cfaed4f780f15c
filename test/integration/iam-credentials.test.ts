import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBudgetAlert } from '../../functions/shared/publish.ts';
import { readLocalConfig } from '../../local/config.ts';
import { UnauthorizedError } from '../../local/server/auth.ts';
import type { ResolverRunner } from '../../local/server/graphql.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { budgetAlertFor } from '../e2e/steps.ts';

/**
 * The IAM key pair the local endpoints check SigV4 against: made for each DATA_DIR at its first
 * start and kept there, owner-only, so nobody else on the machine can publish alerts to other
 * users with a pair printed in a README. The in-process functions sign with it.
 */
const resolvers: ResolverRunner = {
  hasResolver: (type, field) => `${type}.${field}` === 'Mutation.publishBudgetAlert',
  run: async (_type, _field, ctx) => ({ data: ctx.arguments.input, errors: [] }),
};
const stubCognito = async () => ({
  userPoolId: 'us-east-1_local',
  userPoolClientId: 'client',
  route: { matches: () => false, handle: () => {} },
  verify: async (): Promise<never> => {
    throw new UnauthorizedError('Unauthorized');
  },
});
const dataDirs: string[] = [];
const stacks: LocalStack[] = [];

async function givenStack(dataDir?: string, env: NodeJS.ProcessEnv = {}) {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'iam-credentials-')));
  if (!dataDir) dataDirs.push(dir);
  const stack = await startLocalStack({
    port: 0,
    dataDir: dir,
    quiet: true,
    env,
    functions: [],
    createResolvers: async () => resolvers,
    createCognito: stubCognito,
  });
  stacks.push(stack);
  return stack;
}

async function publishSignedWith(stack: LocalStack, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const url = new URL(stack.urls.graphql);
  const body = JSON.stringify({
    query: 'mutation ($input: BudgetAlertInput!) { publishBudgetAlert(input: $input) { owner } }',
    variables: { input: budgetAlertFor('victim', 100) },
  });
  const signed = await new SignatureV4({ credentials, region: 'us-east-1', service: 'appsync', sha256: Sha256 }).sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { 'content-type': 'application/json', host: url.host },
      body,
    }),
  );
  return (await fetch(url, { method: 'POST', headers: signed.headers, body })).status;
}

let first: LocalStack;
beforeAll(async () => {
  first = await givenStack();
});
afterAll(async () => {
  for (const stack of stacks) await stack.stop();
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

describe('the local IAM key pair', () => {
  it('given a new data dir, then its pair is new, kept owner-only in DATA_DIR/iam-credentials, and the pair the README once printed is refused', async () => {
    const file = path.join(first.config.dataDir, 'iam-credentials');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).toContain(`aws_access_key_id = ${first.config.credentials.accessKeyId}`);
    expect(text).toContain(`aws_secret_access_key = ${first.config.credentials.secretAccessKey}`);
    expect(first.config.credentials.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(first.config.credentials.secretAccessKey).toHaveLength(40);

    expect(await publishSignedWith(first, first.config.credentials)).toBe(200);
    const documented = {
      accessKeyId: 'AKIALOCALSTACK000000',
      secretAccessKey: 'local-secret-access-key-for-the-expense-tracker',
    };
    expect(await publishSignedWith(first, documented)).toBe(401);
  });

  it('given another data dir, then it has a pair of its own that the first stack refuses', async () => {
    const second = await givenStack();
    expect(second.config.credentials.accessKeyId).not.toBe(first.config.credentials.accessKeyId);
    expect(await publishSignedWith(first, second.config.credentials)).toBe(401);
    await second.stop();
    stacks.pop();
  });

  it('given a restart on the same data dir, then the pair is the same, the in-process functions sign with it, and a CLI reading DATA_DIR finds it', async () => {
    const { dataDir } = first.config;
    // The two fields only: the AWS SDK marks credential objects it was given with where they came from.
    const pair = ({ accessKeyId, secretAccessKey }: { accessKeyId: string; secretAccessKey: string }) => ({
      accessKeyId,
      secretAccessKey,
    });
    const credentials = pair(first.config.credentials);
    await first.stop();
    stacks.splice(stacks.indexOf(first), 1);
    const again = await givenStack(dataDir);
    expect(pair(again.config.credentials)).toEqual(credentials);
    // functions/shared/publish.ts signs with the environment the stack gives the functions.
    await expect(publishBudgetAlert(budgetAlertFor('someone', 50))).resolves.toBeTruthy();
    expect(pair(readLocalConfig({ DATA_DIR: dataDir }).credentials)).toEqual(credentials);
  });

  it('given AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then that pair is the one checked and no pair is made', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'iam-credentials-env-'));
    dataDirs.push(dir);
    const config = readLocalConfig({ DATA_DIR: dir, AWS_ACCESS_KEY_ID: 'AKIAMINE', AWS_SECRET_ACCESS_KEY: 'mine' });
    expect(config.credentials).toEqual({ accessKeyId: 'AKIAMINE', secretAccessKey: 'mine' });
    await expect(stat(path.join(dir, 'iam-credentials'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('SigV4 header names', () => {
  const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
  /** A request claiming SigV4 with `name` among its signed headers, which it does not carry. */
  function signedClaiming(stack: LocalStack, url: string, service: string, name: string, body: string) {
    const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    const signedHeaders = ['host', 'x-amz-date', name].sort().join(';');
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-amz-date': date,
        authorization: `AWS4-HMAC-SHA256 Credential=${stack.config.credentials.accessKeyId}/${date.slice(0, 8)}/us-east-1/${service}/aws4_request, SignedHeaders=${signedHeaders}, Signature=${'0'.repeat(64)}`,
      },
      body,
    });
  }

  it.each(NAMES)(
    "given SignedHeaders naming %s on the GraphQL API and the Lambda Invoke API, then refused as unsigned, without Object.prototype's value or an internal message",
    async (name) => {
      const stack = stacks.at(-1)!;
      const graphqlAnswer = await signedClaiming(
        stack,
        stack.urls.graphql,
        'appsync',
        name,
        JSON.stringify({ query: '{ __typename }' }),
      );
      expect(graphqlAnswer.status).toBe(401);
      expect(await graphqlAnswer.json()).toMatchObject({ errors: [{ errorType: 'UnauthorizedException' }] });
      const invokeUrl = new URL('/2015-03-31/functions/AnyFn/invocations', stack.urls.graphql).href;
      const lambdaAnswer = await signedClaiming(stack, invokeUrl, 'lambda', name, '{}');
      expect(lambdaAnswer.status).toBe(403);
      expect(((await lambdaAnswer.json()) as { message: string }).message).not.toMatch(
        /TypeError|is not a function|Cannot read|undefined/,
      );
    },
  );
});
