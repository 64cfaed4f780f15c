import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pageTokens } from './appsync/data-sources/page-tokens.ts';
import { createResolverExecutor } from './appsync/executor.ts';
import { createLocalDataSources } from './appsync/local-data-sources.ts';
import { createLocalCognitoStandIn } from './cognito/stand-in.ts';
import type { LocalConfig } from './config.ts';
import { createOcrEngineProcess } from './ocr-engine-process.ts';
import type { Route } from './server/http.ts';
import { createLocalTextractRoute, textractSigV4Check } from './textract.ts';
import type { ResolverRunner } from './server/graphql.ts';
import type { ResolverFactoryInput } from './stack.ts';

/**
 * The seams between `npm start` and the modules other issues deliver. Each factory adapts one
 * of them to the port the stack uses (local/stack.ts):
 *
 * - `createResolvers` → `ResolverRunner`: the resolver executor of local/appsync (issue 3)
 *   over the bindings of resolvers/manifest.ts, with DynamoDB at `dynamoDbEndpoint` and Lambda
 *   data sources invoking `lambda.invoke(name, payload, 'RequestResponse' | 'Event')`. It must
 *   return `data`, `errors` (util.error / appendError) and, for subscription resolvers, the
 *   filters recorded by `extensions.setSubscriptionFilter` / `setSubscriptionInvalidationFilter`.
 * - `createCognito` → `CognitoStandIn`: the Cognito stand-in of local/cognito served under
 *   `/cognito` (codes through the outbox, the post-confirmation function run), its tokens
 *   verified by local/auth/verify-token.ts into AppSync's `ctx.identity`.
 * - `createExtraRoutes`: the Textract stand-in (local/textract*), reached by the functions
 *   through AWS_ENDPOINT_URL_TEXTRACT (this port).
 */
export async function createResolvers(input: ResolverFactoryInput): Promise<ResolverRunner> {
  const dataSources = createLocalDataSources({
    dynamoDbEndpoint: input.dynamoDbEndpoint,
    dynamoDbInProcess: input.dynamoDbInProcess,
    region: input.region,
    credentials: input.credentials,
    invokeLambda: (name, payload, invocationType) => input.lambda.invoke(name, payload, invocationType),
    pageTokens: pageTokens(await pageTokenKey(input.dataDir)),
  });
  return createResolverExecutor({ projectRoot: input.projectRoot, dataSources });
}

/** The key nextTokens are sealed with, kept in DATA_DIR so a page token still works after a restart. */
async function pageTokenKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, 'page-token.key');
  try {
    const key = await readFile(file);
    if (key.length === 32) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await writeFile(file, key, { mode: 0o600 });
  return key;
}

export const createCognito = createLocalCognitoStandIn;

export async function createExtraRoutes(input: { config: LocalConfig }): Promise<Route[]> {
  return [
    createLocalTextractRoute({
      // Off the API's thread and at a lower priority: a query never waits behind a receipt.
      engine: createOcrEngineProcess(),
      authorize: textractSigV4Check(input.config.credentials, input.config.region),
    }),
  ];
}
