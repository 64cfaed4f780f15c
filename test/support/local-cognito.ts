import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import type { EmailMessage, UserPool } from '../../local/cognito/user-pool.ts';

/**
 * Clients of a Cognito stand-in started on its own port (local/cognito/handler.ts
 * startLocalCognito): the AWS SDK's, and Amplify v6 in this process pointed at it.
 */

/** The SDK client for `endpoint`: unauthenticated Cognito calls, so any credentials; no retries to hide an answer. */
export const cognitoSdkClient = (endpoint: string) =>
  new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });

/** Amplify's Auth category configured for the pool (the custom endpoint is the one line README documents). */
export function configureAmplifyFor(cognito: { endpoint: string; pool: UserPool }) {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: cognito.pool.userPoolId,
        userPoolClientId: cognito.pool.clientId,
        userPoolEndpoint: cognito.endpoint,
      },
    },
  });
}

/** The six-digit code in the last email sent to `to`. */
export const lastCodeIn = (emails: EmailMessage[], to: string) =>
  /\b(\d{6})\b/.exec([...emails].reverse().find((m) => m.to === to)?.text ?? '')?.[1];
