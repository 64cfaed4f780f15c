import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  confirmSignIn,
  fetchAuthSession,
  fetchMFAPreference,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import { decodeJwt, type JSONWebKeySet } from 'jose';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCognitoTokenVerifier, TokenVerificationError } from '../../local/auth/verify-token.ts';
import { startLocalCognito } from '../../local/cognito/handler.ts';
import { cognitoSdkClient, configureAmplifyFor, lastCodeIn } from '../support/local-cognito.ts';
import { totpCode } from '../../local/cognito/totp.ts';
import type { EmailMessage, PostConfirmationEvent } from '../../local/cognito/user-pool.ts';

type Cognito = Awaited<ReturnType<typeof startLocalCognito>>;
const PASSWORD = 'Corr3ct-Horse!';
const emails: EmailMessage[] = [];
const confirmations: PostConfirmationEvent[] = [];
let dataDir: string;
let cognito: Cognito;
let client: CognitoIdentityProviderClient;
let verify: ReturnType<typeof createCognitoTokenVerifier>;

const start = () =>
  startLocalCognito({
    dataDir,
    sendEmail: async (m) => void emails.push(m),
    onPostConfirmation: async (e) => void confirmations.push(e),
  });
const lastCodeTo = (to: string) => lastCodeIn(emails, to);
const ClientId = () => cognito.pool.clientId;

async function signUpAndConfirm(email: string, password = PASSWORD) {
  await client.send(
    new SignUpCommand({
      ClientId: ClientId(),
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  await client.send(
    new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: lastCodeTo(email) }),
  );
}
const passwordSignIn = async (email: string, password = PASSWORD) =>
  (
    await client.send(
      new InitiateAuthCommand({
        ClientId: ClientId(),
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    )
  ).AuthenticationResult!;
const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (e: { name: string }) => e.name,
  );

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cognito-'));
  cognito = await start();
  client = cognitoSdkClient(cognito.endpoint);
  const jwks = (await (await fetch(`${cognito.pool.issuer}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
  verify = createCognitoTokenVerifier({
    issuer: cognito.pool.issuer,
    jwks,
    clientId: ClientId(),
    isRevoked: (claims) => cognito.pool.isRevoked(claims),
  });
  configureAmplifyFor(cognito);
});
afterAll(async () => {
  await cognito?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('local Cognito stand-in', () => {
  it('given a password breaking the policy, when signing up, then InvalidPasswordException', async () => {
    expect(
      await errorName(
        client.send(new SignUpCommand({ ClientId: ClientId(), Username: 'weak@example.com', Password: 'password1' })),
      ),
    ).toBe('InvalidPasswordException');
  });

  it('given a sign-up, when confirmed with the emailed code, then the post-confirmation event has the real shape and the user signs in', async () => {
    const email = 'ann@example.com';
    const signedUp = await client.send(
      new SignUpCommand({
        ClientId: ClientId(),
        Username: email,
        Password: PASSWORD,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'name', Value: 'Ann' },
        ],
      }),
    );
    expect(signedUp).toMatchObject({
      UserConfirmed: false,
      CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    expect(await errorName(passwordSignInAttempt(email))).toBe('UserNotConfirmedException');
    expect(
      await errorName(client.send(new SignUpCommand({ ClientId: ClientId(), Username: email, Password: PASSWORD }))),
    ).toBe('UsernameExistsException');

    const firstCode = lastCodeTo(email)!;
    await client.send(new ResendConfirmationCodeCommand({ ClientId: ClientId(), Username: email }));
    const code = lastCodeTo(email)!;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(
      await errorName(
        client.send(new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: wrong })),
      ),
    ).toBe('CodeMismatchException');
    if (firstCode !== code)
      expect(
        await errorName(
          client.send(new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: firstCode })),
        ),
      ).toBe('CodeMismatchException');
    await client.send(new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: code }));

    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]).toEqual({
      version: '1',
      region: 'us-east-1',
      userPoolId: cognito.pool.userPoolId,
      userName: signedUp.UserSub,
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      callerContext: { awsSdkVersion: expect.any(String), clientId: ClientId() },
      request: {
        userAttributes: expect.objectContaining({
          sub: signedUp.UserSub,
          email,
          name: 'Ann',
          email_verified: 'true',
          'cognito:user_status': 'CONFIRMED',
        }),
      },
      response: {},
    });

    const tokens = await passwordSignIn(email);
    const identity = await verify(tokens.AccessToken!, ['127.0.0.1']);
    expect(identity.sub).toBe(signedUp.UserSub);
    expect(decodeJwt(tokens.AccessToken!)).toMatchObject({
      token_use: 'access',
      client_id: ClientId(),
      scope: 'aws.cognito.signin.user.admin',
      iss: cognito.pool.issuer,
    });
    expect(decodeJwt(tokens.IdToken!)).toMatchObject({
      token_use: 'id',
      aud: ClientId(),
      email,
      email_verified: true,
      'cognito:username': signedUp.UserSub,
    });
    const user = await client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: email });
    expect(await errorName(passwordSignInAttempt(email, 'Wrong-Passw0rd'))).toBe('NotAuthorizedException');
  });

  it('given a confirmed user, when signing in with unmodified Amplify v6 (SRP) and forcing a refresh, then the tokens verify', async () => {
    await signUpAndConfirm('srp@example.com');
    const result = await signIn({ username: 'srp@example.com', password: PASSWORD });
    expect(result.isSignedIn).toBe(true);
    const first = await fetchAuthSession();
    const refreshed = await fetchAuthSession({ forceRefresh: true });
    expect(refreshed.tokens!.accessToken.toString()).not.toBe(first.tokens!.accessToken.toString());
    expect((await verify(refreshed.tokens!.accessToken.toString())).claims.origin_jti).toBe(
      first.tokens!.accessToken.payload.origin_jti,
    );
    await verify(refreshed.tokens!.idToken!.toString());

    await signOut();
    // Amplify's sign-out revokes the refresh token: the session's tokens stop working.
    expect(await rejectionReason(refreshed.tokens!.accessToken.toString())).toBe('revoked');
  });

  it('given a wrong password, when Amplify signs in with SRP, then NotAuthorizedException', async () => {
    await expect(signIn({ username: 'srp@example.com', password: 'Wrong-Passw0rd!' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it('given five wrong codes, when the right one is tried, then LimitExceededException', async () => {
    const email = 'guess@example.com';
    await client.send(
      new SignUpCommand({
        ClientId: ClientId(),
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    const code = lastCodeTo(email)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(
        await errorName(
          client.send(new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: wrong })),
        ),
      ).toBe('CodeMismatchException');
    }
    expect(
      await errorName(
        client.send(new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: code })),
      ),
    ).toBe('LimitExceededException');
  });

  it('given a failing post-confirmation trigger, when confirming, then UserLambdaValidationException and the user is still confirmed', async () => {
    const failingDir = await mkdtemp(path.join(tmpdir(), 'cognito-failing-'));
    const failing = await startLocalCognito({
      dataDir: failingDir,
      sendEmail: async (m) => void emails.push(m),
      onPostConfirmation: async () => Promise.reject(new Error('table missing')),
    });
    const failingClient = cognitoSdkClient(failing.endpoint);
    try {
      const email = 'trigger@example.com';
      await failingClient.send(
        new SignUpCommand({
          ClientId: ClientId(),
          Username: email,
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      );
      const confirm = failingClient.send(
        new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: lastCodeTo(email) }),
      );
      await expect(confirm).rejects.toMatchObject({
        name: 'UserLambdaValidationException',
        message: 'PostConfirmation failed with error table missing.',
      });
      const signedIn = await failingClient.send(
        new InitiateAuthCommand({
          ClientId: ClientId(),
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD },
        }),
      );
      expect(signedIn.AuthenticationResult?.AccessToken).toBeTruthy();
    } finally {
      await failing.stop();
      await rm(failingDir, { recursive: true, force: true });
    }
  });

  it('given a forgotten password, when reset with the emailed code, then only the new password works', async () => {
    await signUpAndConfirm('forgot@example.com');
    await client.send(new ForgotPasswordCommand({ ClientId: ClientId(), Username: 'forgot@example.com' }));
    const code = lastCodeTo('forgot@example.com');
    expect(
      await errorName(
        client.send(
          new ConfirmForgotPasswordCommand({
            ClientId: ClientId(),
            Username: 'forgot@example.com',
            ConfirmationCode: code,
            Password: 'short',
          }),
        ),
      ),
    ).toBe('InvalidPasswordException');
    await client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: ClientId(),
        Username: 'forgot@example.com',
        ConfirmationCode: code,
        Password: 'N3w-Password!',
      }),
    );
    expect(await errorName(passwordSignInAttempt('forgot@example.com'))).toBe('NotAuthorizedException');
    expect((await passwordSignIn('forgot@example.com', 'N3w-Password!')).AccessToken).toBeTruthy();
  });

  it('given two sessions, when one refresh token is revoked and then the user signs out globally, then each session stops working', async () => {
    await signUpAndConfirm('revoke@example.com');
    const a = await passwordSignIn('revoke@example.com');
    const b = await passwordSignIn('revoke@example.com');
    const refreshed = await client.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: ClientId(), RefreshToken: a.RefreshToken }),
    );
    await verify(refreshed.AuthenticationResult!.AccessToken!);

    await client.send(new RevokeTokenCommand({ ClientId: ClientId(), Token: a.RefreshToken }));
    expect(await rejectionReason(a.AccessToken!)).toBe('revoked');
    expect(
      await errorName(
        client.send(
          new InitiateAuthCommand({
            ClientId: ClientId(),
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: a.RefreshToken! },
          }),
        ),
      ),
    ).toBe('NotAuthorizedException');
    await verify(b.AccessToken!);

    await client.send(new GlobalSignOutCommand({ AccessToken: b.AccessToken }));
    expect(await rejectionReason(b.IdToken!)).toBe('revoked');
    expect(await errorName(client.send(new GetUserCommand({ AccessToken: b.AccessToken })))).toBe(
      'NotAuthorizedException',
    );
  });

  it('given a restart on the same port and data dir, then users, the signing key and revocations survive and no password is stored', async () => {
    const before = await passwordSignIn('ann@example.com');
    const revokedBefore = await passwordSignIn('revoke@example.com').then((t) => t.AccessToken!);
    await client.send(new GlobalSignOutCommand({ AccessToken: revokedBefore }));
    const port = Number(new URL(cognito.endpoint).port);
    await cognito.stop();
    cognito = await startLocalCognito({ port, dataDir, sendEmail: async (m) => void emails.push(m) });

    const state = await readFile(path.join(dataDir, 'cognito', 'state.json'), 'utf8');
    expect(state).not.toContain(PASSWORD);
    const jwks = (await (await fetch(`${cognito.pool.issuer}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const verifyAfter = createCognitoTokenVerifier({
      issuer: cognito.pool.issuer,
      jwks,
      clientId: ClientId(),
      isRevoked: cognito.pool.isRevoked,
    });
    expect((await verifyAfter(before.AccessToken!)).sub).toBe(decodeJwt(before.AccessToken!).sub);
    expect(await verifyAfter(revokedBefore).catch((e: TokenVerificationError) => e.reason)).toBe('revoked');
    expect((await passwordSignIn('ann@example.com')).AccessToken).toBeTruthy();
  });
});

describe('parity with the app client infra/constructs/auth.ts deploys', () => {
  // preventUserExistenceErrors: ENABLED. https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html
  it('given a user name that does not exist, then confirmation and recovery answer as for a real user and sign-in fails only as a wrong password', async () => {
    const ghost = 'nobody@example.com';
    await signUpAndConfirm('somebody@example.com');
    const real = await client.send(
      new ForgotPasswordCommand({ ClientId: ClientId(), Username: 'somebody@example.com' }),
    );
    const fake = await client.send(new ForgotPasswordCommand({ ClientId: ClientId(), Username: ghost }));
    expect(fake.CodeDeliveryDetails).toEqual({
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
      Destination: 'n***@e***',
    });
    expect(Object.keys(fake.CodeDeliveryDetails!).sort()).toEqual(Object.keys(real.CodeDeliveryDetails!).sort());
    expect(
      (await client.send(new ResendConfirmationCodeCommand({ ClientId: ClientId(), Username: ghost })))
        .CodeDeliveryDetails,
    ).toEqual(fake.CodeDeliveryDetails);
    expect(
      await errorName(
        client.send(new ConfirmSignUpCommand({ ClientId: ClientId(), Username: ghost, ConfirmationCode: '123456' })),
      ),
    ).toBe('ExpiredCodeException');
    expect(
      await errorName(
        client.send(
          new ConfirmForgotPasswordCommand({
            ClientId: ClientId(),
            Username: ghost,
            ConfirmationCode: '123456',
            Password: 'N3w-Password!',
          }),
        ),
      ),
    ).toBe('CodeMismatchException');
    expect(await errorName(passwordSignInAttempt(ghost))).toBe('NotAuthorizedException');
    expect(emails.filter((m) => m.to === ghost)).toEqual([]);

    // SRP: a simulated first step, the same salt and user id each time for the same name, then the proof fails.
    const first = async (username: string) =>
      (
        await client.send(
          new InitiateAuthCommand({
            ClientId: ClientId(),
            AuthFlow: 'USER_SRP_AUTH',
            AuthParameters: { USERNAME: username, SRP_A: 'abc123' },
          }),
        )
      ).ChallengeParameters!;
    const [a, b] = [await first(ghost), await first(ghost)];
    expect(a).toMatchObject({ SALT: b.SALT, USER_ID_FOR_SRP: b.USER_ID_FOR_SRP });
    expect(a.USER_ID_FOR_SRP).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.SRP_B).not.toBe(b.SRP_B);
    expect(Object.keys(a).sort()).toEqual(Object.keys(await first('somebody@example.com')).sort());
    await expect(signIn({ username: ghost, password: PASSWORD })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it('given an unconfirmed user, when signing in with SRP, then a wrong password is NotAuthorized and only the right one tells it is unconfirmed', async () => {
    const email = 'pending-srp@example.com';
    await client.send(
      new SignUpCommand({
        ClientId: ClientId(),
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await expect(signIn({ username: email, password: 'Wrong-Passw0rd!' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    const right = await signIn({ username: email, password: PASSWORD }).then(
      (r) => r.nextStep.signInStep,
      (e: Error) => e.name,
    );
    // Amplify turns UserNotConfirmedException into its CONFIRM_SIGN_UP step.
    expect(right).toBe('CONFIRM_SIGN_UP');
  });

  it('given a refresh token, then it refreshes for 30 days after the sign-in and is refused after', async () => {
    let clock = Date.now();
    const dir = await mkdtemp(path.join(tmpdir(), 'cognito-clock-'));
    const pool = await startLocalCognito({
      dataDir: dir,
      sendEmail: async (m) => void emails.push(m),
      now: () => clock,
    });
    const poolClient = cognitoSdkClient(pool.endpoint);
    try {
      const email = 'thirty-days@example.com';
      await poolClient.send(
        new SignUpCommand({
          ClientId: ClientId(),
          Username: email,
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      );
      await poolClient.send(
        new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: lastCodeTo(email) }),
      );
      const tokens = (
        await poolClient.send(
          new InitiateAuthCommand({
            ClientId: ClientId(),
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD },
          }),
        )
      ).AuthenticationResult!;
      clock += 29 * 24 * 3600 * 1000;
      expect(
        (
          await poolClient.send(
            new GetTokensFromRefreshTokenCommand({ ClientId: ClientId(), RefreshToken: tokens.RefreshToken }),
          )
        ).AuthenticationResult!.AccessToken,
      ).toBeTruthy();
      clock += 2 * 24 * 3600 * 1000;
      await expect(
        poolClient.send(
          new GetTokensFromRefreshTokenCommand({ ClientId: ClientId(), RefreshToken: tokens.RefreshToken }),
        ),
      ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
    } finally {
      await pool.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('given the unmodified Amplify v6 client, when a user sets up TOTP and prefers it, then the next sign-in asks for the code and only the right one signs in', async () => {
    const email = 'totp@example.com';
    await signUpAndConfirm(email);
    expect((await signIn({ username: email, password: PASSWORD })).isSignedIn).toBe(true);
    expect(await fetchMFAPreference()).toEqual({});

    const setup = await setUpTOTP();
    expect(setup.getSetupUri('SmartExpenseTracker', email).href).toMatch(
      /^otpauth:\/\/totp\/SmartExpenseTracker:totp@example\.com\?secret=[A-Z2-7]{32}&issuer=SmartExpenseTracker$/,
    );
    await expect(
      verifyTOTPSetup({ code: '000000' === totpCode(setup.sharedSecret, Date.now()) ? '111111' : '000000' }),
    ).rejects.toMatchObject({ name: 'EnableSoftwareTokenMFAException' });
    await verifyTOTPSetup({ code: totpCode(setup.sharedSecret, Date.now()) });
    await updateMFAPreference({ totp: 'PREFERRED' });
    expect(await fetchMFAPreference()).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
    await signOut();

    const challenged = await signIn({ username: email, password: PASSWORD });
    expect(challenged).toMatchObject({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    const wrong = totpCode(setup.sharedSecret, Date.now() + 10 * 60 * 1000);
    await expect(confirmSignIn({ challengeResponse: wrong })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect((await confirmSignIn({ challengeResponse: totpCode(setup.sharedSecret, Date.now()) })).isSignedIn).toBe(
      true,
    );
    const session = await fetchAuthSession();
    expect((await verify(session.tokens!.accessToken.toString())).username).toBe(
      session.tokens!.accessToken.payload.sub,
    );

    // Password sign-in is challenged the same way; turning TOTP off removes the challenge.
    const byPassword = await client.send(
      new InitiateAuthCommand({
        ClientId: ClientId(),
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD },
      }),
    );
    expect(byPassword).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: expect.any(String) });
    expect(byPassword.AuthenticationResult).toBeUndefined();
    await updateMFAPreference({ totp: 'DISABLED' });
    expect((await passwordSignIn(email)).AccessToken).toBeTruthy();
    await signOut();
  });
});

function passwordSignInAttempt(email: string, password = PASSWORD) {
  return client.send(
    new InitiateAuthCommand({
      ClientId: ClientId(),
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
}
async function rejectionReason(token: string) {
  return verify(token).then(
    () => 'accepted',
    (e: TokenVerificationError) => e.reason,
  );
}
