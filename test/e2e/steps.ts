import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { LocalStack } from '../../local/stack.ts';
import type { OutboxMessage } from '../../local/ses-outbox.ts';

/**
 * Given / when steps shared by the end-to-end tests and the API benchmark: users signed up
 * through the local Cognito with their code read from the outbox, and GraphQL calls.
 */
export interface SignedInUser {
  email: string;
  password: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export const PASSWORD = 'Corr3ct-Horse!';

/** Where a running stack answers; from an in-process stack or from its amplify_outputs.json. */
export interface StackEndpoints {
  graphql: string;
  cognito: string;
  outbox: string;
  region: string;
  clientId: string;
}

export function endpointsOf(stack: LocalStack): StackEndpoints {
  return { graphql: stack.urls.graphql, cognito: stack.urls.cognito, outbox: stack.urls.outbox, region: stack.config.region, clientId: stack.cognito.userPoolClientId };
}

export async function endpointsFromOutputs(amplifyOutputsUrl: string): Promise<StackEndpoints> {
  const outputs = (await (await fetch(amplifyOutputsUrl)).json()) as { auth: { user_pool_endpoint: string; user_pool_client_id: string; aws_region: string }; data: { url: string } };
  return { graphql: outputs.data.url, cognito: outputs.auth.user_pool_endpoint, outbox: new URL('/outbox', outputs.data.url).href, region: outputs.auth.aws_region, clientId: outputs.auth.user_pool_client_id };
}

export async function verificationCodeFor(stack: StackEndpoints | LocalStack, email: string, timeoutMs = 5000): Promise<string> {
  const endpoints = 'urls' in stack ? endpointsOf(stack) : stack;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = (await (await fetch(`${endpoints.outbox}.json`)).json()) as OutboxMessage[];
    const message = messages.filter((m) => m.to.includes(email)).at(-1);
    const code = message && /\b(\d{6})\b/.exec(`${message.text ?? ''} ${message.html ?? ''}`)?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`No verification code for ${email} in the outbox`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function cognitoClient(endpoints: StackEndpoints): CognitoIdentityProviderClient {
  // Sign-up and sign-in are unauthenticated Cognito calls: any credentials do.
  return new CognitoIdentityProviderClient({ region: endpoints.region, endpoint: endpoints.cognito, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
}

/** Given a confirmed user (code read from the outbox), signed in with USER_PASSWORD_AUTH. */
export async function givenSignedInUser(stack: StackEndpoints | LocalStack, email: string, password = PASSWORD): Promise<SignedInUser> {
  const endpoints = 'urls' in stack ? endpointsOf(stack) : stack;
  const cognito = cognitoClient(endpoints);
  const ClientId = endpoints.clientId;
  await cognito.send(new SignUpCommand({ ClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }));
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: await verificationCodeFor(endpoints, email) }));
  return signIn(endpoints, email, password);
}

export async function signIn(endpoints: StackEndpoints, email: string, password = PASSWORD): Promise<SignedInUser> {
  const result = await cognitoClient(endpoints).send(
    new InitiateAuthCommand({ ClientId: endpoints.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }),
  );
  const tokens = result.AuthenticationResult!;
  return { email, password, accessToken: tokens.AccessToken!, idToken: tokens.IdToken!, refreshToken: tokens.RefreshToken! };
}

export interface GraphQLAnswer<T = any> {
  status: number;
  errorType: string | null;
  body: { data?: T; errors?: Array<{ message: string; errorType?: string; path?: unknown }> };
}

/** When a client posts an operation to the GraphQL endpoint (as Amplify does: raw token, no Bearer). */
export async function graphql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, authorization?: string): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: (await response.json()) as GraphQLAnswer<T>['body'] };
}
