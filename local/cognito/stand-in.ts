import { createCognitoTokenVerifier } from '../auth/verify-token.ts';
import type { CognitoFactoryInput, CognitoStandIn } from '../stack.ts';
import { createCognitoHandler } from './handler.ts';
import { amplifyPasswordPolicy } from '../../model/password-policy.ts';
import { openUserPool } from './user-pool.ts';

const SENDER = 'no-reply@verificationemail.com';

/**
 * The Cognito stand-in as the local stack uses it (local/wiring.ts `createCognito`): the pool
 * served under the path of `input.endpoint` (e.g. /cognito), codes sent through the outbox,
 * the post-confirmation trigger run, and tokens verified for AppSync with revocation checked.
 */
export async function createLocalCognitoStandIn(input: CognitoFactoryInput): Promise<CognitoStandIn> {
  const pool = await openUserPool({
    dataDir: input.dataDir,
    region: input.region,
    endpoint: input.endpoint,
    sendEmail: (message) =>
      input.sendEmail({
        from: SENDER,
        to: [message.to],
        subject: message.subject,
        text: message.text,
        html: message.html,
      }),
    onPostConfirmation: (event) => input.onPostConfirmation(event),
  });
  const verify = createCognitoTokenVerifier({
    issuer: pool.issuer,
    jwks: pool.jwks(),
    clientId: pool.clientId,
    isRevoked: pool.isRevoked,
  });
  return {
    userPoolId: pool.userPoolId,
    userPoolClientId: pool.clientId,
    passwordPolicy: amplifyPasswordPolicy(),
    route: createCognitoHandler(pool, {
      basePath: new URL(input.endpoint).pathname,
      log: input.log,
      authorizeAdmin: input.authorizeAdmin,
    }),
    verify,
    onSessionsEnded: pool.onSessionsEnded,
  };
}
