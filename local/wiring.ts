import type { Route } from './server/http.ts';
import type { ResolverRunner } from './server/graphql.ts';
import type { CognitoFactoryInput, CognitoStandIn, ResolverFactoryInput } from './stack.ts';

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
 *   `/cognito` (sending codes with `sendEmail`, running `onPostConfirmation`), and
 *   local/auth/verify-token.ts verifying its tokens into AppSync's `ctx.identity`.
 * - `createExtraRoutes`: the Textract stand-in (local/textract*), reached by the functions
 *   through AWS_ENDPOINT_URL_TEXTRACT (this port).
 *
 * Those modules are not in this tree yet; until they are, starting says so plainly.
 */
class MissingModuleError extends Error {
  constructor(what: string) {
    super(`${what} is not in this tree yet: npm start needs it (see local/wiring.ts)`);
    this.name = 'MissingModuleError';
  }
}

export async function createResolvers(_input: ResolverFactoryInput): Promise<ResolverRunner> {
  throw new MissingModuleError('The resolver executor (local/appsync) and resolvers/manifest.ts');
}

export async function createCognito(_input: CognitoFactoryInput): Promise<CognitoStandIn> {
  throw new MissingModuleError('The Cognito stand-in (local/cognito, local/auth/verify-token.ts)');
}

export async function createExtraRoutes(): Promise<Route[]> {
  return [];
}
