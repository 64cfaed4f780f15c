import type { JWTPayload } from 'jose';
import { createAdmin } from './admin.ts';
import { createAuthFlows } from './auth-flows.ts';
import { createCodes, type EmailMessage } from './codes.ts';
import type { PoolContext } from './context.ts';
import { CognitoError } from './errors.ts';
import { createLockout } from './lockout.ts';
import { createMfa } from './mfa.ts';
import { PASSWORD_POLICY } from '../../model/password-policy.ts';
import { isOperation, parseRequest, type Operation, type Requests } from './requests.ts';
import { createSignUp, type PostConfirmationEvent } from './sign-up.ts';
import { openPoolState } from './state.ts';
import { createSigningKeys, createTokens } from './tokens.ts';
import { createUserExistenceMask } from './user-existence.ts';

export { CognitoError } from './errors.ts';
export type { EmailMessage } from './codes.ts';
export type { PostConfirmationEvent } from './sign-up.ts';

export interface UserPoolOptions {
  dataDir: string;
  /** Base URL this pool is served at; the issuer is `${endpoint}/${userPoolId}`. */
  endpoint: string;
  region?: string;
  /** Cognito's `region_id` form, e.g. us-east-1_LocalPool1. */
  userPoolId?: string;
  clientId?: string;
  sendEmail(message: EmailMessage): Promise<void>;
  onPostConfirmation?(event: PostConfirmationEvent): Promise<void>;
  now?: () => number;
}

/**
 * The user pool: Cognito's operations over persisted state, transport-free (handler.ts serves
 * them over HTTP). Each concern is its own unit: sign-up and codes (sign-up.ts, codes.ts),
 * sign-in flows with SRP (auth-flows.ts, srp.ts), MFA (mfa.ts), tokens and sessions
 * (tokens.ts), the lockout (lockout.ts), answers for unknown users (user-existence.ts),
 * and persistence (state.ts). Every request is checked against its shape (requests.ts)
 * before an operation reads it.
 */
export async function openUserPool(options: UserPoolOptions) {
  const region = options.region ?? 'us-east-1';
  const userPoolId = options.userPoolId ?? `${region}_LocalPool1`;
  const now = options.now ?? Date.now;
  const context: PoolContext = {
    region,
    userPoolId,
    clientId: options.clientId ?? 'localclient1234567890abcd',
    poolName: userPoolId.split('_')[1],
    issuer: `${options.endpoint.replace(/\/$/, '')}/${userPoolId}`,
    now,
    state: await openPoolState(options.dataDir, createSigningKeys),
  };
  const tokens = await createTokens(context);
  const lockout = createLockout(now);
  const existence = createUserExistenceMask(context.state.keys);
  const codes = createCodes({ now, save: () => context.state.save(), sendEmail: options.sendEmail });
  const mfa = createMfa(context, { tokens, lockout });

  const operations: { [O in Operation]: (input: Requests[O]) => Promise<unknown> } = {
    ...createSignUp(context, { codes, tokens, existence, onPostConfirmation: options.onPostConfirmation }),
    ...createAuthFlows(context, { tokens, mfa, lockout, existence }),
    ...mfa.operations,
    ...tokens.operations,
    ...createAdmin(context, { tokens }),
  };

  return {
    userPoolId,
    clientId: context.clientId,
    issuer: context.issuer,
    region,
    passwordPolicy: PASSWORD_POLICY,
    /** JWKS document served at `${issuer}/.well-known/jwks.json`. */
    jwks: tokens.jwks,
    /** True when the token's sign-in session was ended (RevokeToken, GlobalSignOut, a password reset). */
    isRevoked: (claims: JWTPayload) => tokens.isRevoked(claims),
    /** Calls `listener` after any session ends; returns the unsubscribe. */
    onSessionsEnded: tokens.onSessionsEnded,
    async call(operation: string, body: unknown): Promise<unknown> {
      if (!isOperation(operation))
        throw new CognitoError(
          'InvalidAction',
          `Operation ${operation} is not supported by the local Cognito stand-in.`,
        );
      const run = operations[operation] as (input: unknown) => Promise<unknown>;
      return run(parseRequest(operation, body));
    },
  };
}

export type UserPool = Awaited<ReturnType<typeof openUserPool>>;
