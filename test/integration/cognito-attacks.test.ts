import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { confirmSignIn, setUpTOTP, signIn, signOut, updateMFAPreference, verifyTOTPSetup } from 'aws-amplify/auth';
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCognito } from '../../local/cognito/handler.ts';
import { cognitoSdkClient, configureAmplifyFor, lastCodeIn } from '../support/local-cognito.ts';
import { totpCode } from '../../local/cognito/totp.ts';
import type { EmailMessage } from '../../local/cognito/user-pool.ts';

/**
 * The local Cognito attacked through the AWS SDK client, Amplify v6 and raw HTTP, as someone on
 * the same machine would: request data that names Object.prototype's properties, values of the
 * wrong type, oversized bodies, password and code guessing, and timing. The pool runs on a
 * clock the test moves, so lockouts are checked to the second without waiting.
 */
const PASSWORD = 'Corr3ct-Horse!';
const WRONG = 'Wr0ng-Horse!';
const emails: EmailMessage[] = [];
let clock = Date.now();
let dataDir: string;
let cognito: Awaited<ReturnType<typeof startLocalCognito>>;
let client: CognitoIdentityProviderClient;
const ClientId = () => cognito.pool.clientId;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cognito-attacks-'));
  cognito = await startLocalCognito({ dataDir, sendEmail: async (m) => void emails.push(m), now: () => clock });
  client = cognitoSdkClient(cognito.endpoint);
  configureAmplifyFor(cognito);
});
afterAll(async () => {
  await cognito?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const lastCodeTo = (to: string) => lastCodeIn(emails, to);
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { name: string; message: string }) => `${e.name}: ${e.message}`,
  );
const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

async function givenUser(email: string, confirmed = true) {
  await client.send(
    new SignUpCommand({
      ClientId: ClientId(),
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  if (confirmed)
    await client.send(
      new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: lastCodeTo(email) }),
    );
}
const passwordSignIn = (email: string, password = PASSWORD) =>
  client.send(
    new InitiateAuthCommand({
      ClientId: ClientId(),
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );

/** A raw POST to the Cognito endpoint: status and parsed body. */
async function rawCall(operation: string, body: string) {
  const response = await fetch(cognito.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as { __type: string; message: string } };
}

/** A first SRP step for `username`, then a proof with a random signature: the milliseconds the server takes to refuse it. */
async function srpProofTime(username: string) {
  const first = await client.send(
    new InitiateAuthCommand({
      ClientId: ClientId(),
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: { USERNAME: username, SRP_A: randomBytes(384).toString('hex') },
    }),
  );
  const p = first.ChallengeParameters!;
  const started = performance.now();
  await client
    .send(
      new RespondToAuthChallengeCommand({
        ClientId: ClientId(),
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeResponses: {
          USERNAME: p.USER_ID_FOR_SRP,
          PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK,
          PASSWORD_CLAIM_SIGNATURE: randomBytes(32).toString('base64'),
          TIMESTAMP: 'Mon Jan 1 00:00:00 UTC 2026',
        },
      }),
    )
    .catch(() => {});
  return performance.now() - started;
}

describe('request data naming Object.prototype properties', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

  it('given a confirmed user, when ForgotPassword is asked for "__proto__" and its code is used on the user, then nothing is polluted, nothing is mailed and the password stays', async () => {
    await givenUser('victim@example.com');
    const before = emails.length;
    const delivery = await client.send(new ForgotPasswordCommand({ ClientId: ClientId(), Username: '__proto__' }));
    expect(delivery.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(emails.slice(before)).toEqual([]);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).code).toBeUndefined();

    // Whatever code an attacker could know (the last one mailed to anyone) does not reset the victim's password.
    const code = [...emails].reverse().map((m) => /\b(\d{6})\b/.exec(m.text)?.[1])[0] ?? '123456';
    expect(
      await outcome(
        client.send(
          new ConfirmForgotPasswordCommand({
            ClientId: ClientId(),
            Username: 'victim@example.com',
            ConfirmationCode: code,
            Password: 'Att4cker-Owned!',
          }),
        ),
      ),
    ).toMatch(/^(CodeMismatchException|ExpiredCodeException)/);
    expect((await passwordSignIn('victim@example.com')).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it.each(NAMES)(
    'given the user name %s, then every operation answers as for a user who does not exist',
    async (name) => {
      const ghost = `ghost-for-${name.replace(/\W/g, '')}@example.com`;
      const answers = async (username: string) => [
        await outcome(client.send(new ForgotPasswordCommand({ ClientId: ClientId(), Username: username }))),
        await outcome(client.send(new ResendConfirmationCodeCommand({ ClientId: ClientId(), Username: username }))),
        await outcome(
          client.send(
            new ConfirmSignUpCommand({ ClientId: ClientId(), Username: username, ConfirmationCode: '123456' }),
          ),
        ),
        await outcome(
          client.send(
            new ConfirmForgotPasswordCommand({
              ClientId: ClientId(),
              Username: username,
              ConfirmationCode: '123456',
              Password: PASSWORD,
            }),
          ),
        ),
        await outcome(passwordSignIn(username, WRONG)),
      ];
      const before = emails.length;
      expect(await answers(name)).toEqual(await answers(ghost));
      expect(emails.slice(before)).toEqual([]);
      const srp = await client.send(
        new InitiateAuthCommand({
          ClientId: ClientId(),
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: name, SRP_A: 'abc123' },
        }),
      );
      expect(srp.ChallengeParameters?.USER_ID_FOR_SRP).toMatch(/^[0-9a-f-]{36}$/);
      expect(Object.keys(Object.prototype)).toEqual([]);
    },
  );

  it('given a sign-up whose attributes name __proto__ or an attribute not in the schema, then InvalidParameterException and no user', async () => {
    for (const Name of ['__proto__', 'constructor', 'custom:role', 'cognito:user_status']) {
      const email = `attr-${Name.replace(/\W/g, '')}@example.com`;
      expect(
        await outcome(
          client.send(
            new SignUpCommand({
              ClientId: ClientId(),
              Username: email,
              Password: PASSWORD,
              UserAttributes: [
                { Name: 'email', Value: email },
                { Name, Value: '{"admin":true}' },
              ],
            }),
          ),
        ),
      ).toMatch(/^InvalidParameterException: Attributes did not conform to the schema/);
      expect(await outcome(givenUser(email))).toBe('ok');
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('values of the wrong type', () => {
  const bodies: Array<[string, string]> = [
    ['ConfirmSignUp', JSON.stringify({ ClientId: 'C', Username: 'a@example.com', ConfirmationCode: {} })],
    ['ConfirmSignUp', JSON.stringify({ ClientId: 'C', Username: 'a@example.com', ConfirmationCode: { toString: 1 } })],
    ['ConfirmSignUp', JSON.stringify({ ClientId: 'C', Username: { toLowerCase: 1 }, ConfirmationCode: '123456' })],
    ['ConfirmForgotPassword', JSON.stringify({ ClientId: 'C', Username: 'a@x.io', ConfirmationCode: ['1'] })],
    [
      'ConfirmForgotPassword',
      JSON.stringify({ ClientId: 'C', Username: 'a@x.io', ConfirmationCode: '1', Password: {} }),
    ],
    ['ForgotPassword', JSON.stringify({ ClientId: 'C', Username: 12 })],
    ['SignUp', JSON.stringify({ ClientId: 'C', Username: 'a@x.io', Password: PASSWORD, UserAttributes: {} })],
    ['SignUp', JSON.stringify({ ClientId: 'C', Username: 'a@x.io', Password: PASSWORD, UserAttributes: [1] })],
    [
      'SignUp',
      JSON.stringify({ ClientId: 'C', Username: 'a@x.io', Password: PASSWORD, UserAttributes: [{ Name: {} }] }),
    ],
    ['InitiateAuth', JSON.stringify({ ClientId: 'C', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: 'x' })],
    [
      'InitiateAuth',
      JSON.stringify({ ClientId: 'C', AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'a', SRP_A: {} } }),
    ],
    ['InitiateAuth', JSON.stringify({ ClientId: 'C', AuthFlow: ['USER_SRP_AUTH'] })],
    [
      'RespondToAuthChallenge',
      JSON.stringify({ ClientId: 'C', ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: [] }),
    ],
    ['RespondToAuthChallenge', JSON.stringify({ ClientId: 'C', ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: {} })],
    ['GetUser', JSON.stringify({ AccessToken: { toString: 1 } })],
    ['GlobalSignOut', JSON.stringify({ AccessToken: [] })],
    ['RevokeToken', JSON.stringify({ ClientId: 'C', Token: {} })],
    ['SetUserMFAPreference', JSON.stringify({ AccessToken: 'x', SoftwareTokenMfaSettings: 'on' })],
    ['GetTokensFromRefreshToken', JSON.stringify({ ClientId: 'C', RefreshToken: true })],
    ['SignUp', '[]'],
    ['SignUp', 'null'],
    ['SignUp', '"text"'],
    ['SignUp', '{"ClientId": "C", '],
  ];

  it.each(bodies)('given %s with %s, then a typed 400 that names no internals', async (operation, body) => {
    const answer = await rawCall(operation, body.replaceAll('"C"', JSON.stringify(ClientId())));
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toMatch(
      /^(SerializationException|InvalidParameterException|NotAuthorizedException|ResourceNotFoundException)$/,
    );
    expect(answer.body.message).not.toMatch(/TypeError|is not a function|Cannot |undefined|\bat \w/);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('request bodies', () => {
  /** Sends `declared` bytes of headers-promised body but writes only `written`: the answer must come before the rest. */
  function postLarge(declared: number | undefined, written: number) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(cognito.endpoint);
      const req = request({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp',
          ...(declared === undefined ? {} : { 'content-length': String(declared) }),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write(`{"ClientId":"${'x'.repeat(written)}`);
      // The rest never comes: only an answer given before reading it all ends this test.
    });
  }

  it('given a body declared at 400 MB, then 413 RequestTooLargeException before it is read', async () => {
    const answer = await postLarge(400 * 1024 * 1024, 1024);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'RequestTooLargeException' });
  });

  it('given a chunked body that keeps coming past the limit, then 413 once the limit is passed', async () => {
    const answer = await postLarge(undefined, 2 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'RequestTooLargeException' });
  });
});

describe('password guessing', () => {
  it('given five wrong passwords, then the account is locked 1 s, then 2 s, 4 s…, refusing even the right password with "Password attempts exceeded"', async () => {
    const email = 'lockout@example.com';
    await givenUser(email);
    for (let i = 0; i < 5; i++)
      expect(await outcome(passwordSignIn(email, WRONG))).toBe(
        'NotAuthorizedException: Incorrect username or password.',
      );
    const exceeded = 'NotAuthorizedException: Password attempts exceeded';
    expect(await outcome(passwordSignIn(email))).toBe(exceeded);
    clock += 900;
    expect(await outcome(passwordSignIn(email))).toBe(exceeded);
    clock += 200;
    // Past the 1 s lockout: a sixth wrong password locks for 2 s.
    expect(await outcome(passwordSignIn(email, WRONG))).toBe('NotAuthorizedException: Incorrect username or password.');
    clock += 1500;
    expect(await outcome(passwordSignIn(email))).toBe(exceeded);
    clock += 600;
    expect(await outcome(passwordSignIn(email, WRONG))).toBe('NotAuthorizedException: Incorrect username or password.');
    clock += 3900;
    expect(await outcome(passwordSignIn(email))).toBe(exceeded);
    clock += 200;
    // Past the lockout the right password signs in, and that resets the count.
    expect(await outcome(passwordSignIn(email))).toBe('ok');
    for (let i = 0; i < 4; i++) expect(await outcome(passwordSignIn(email, WRONG))).toMatch(/Incorrect/);
    expect(await outcome(passwordSignIn(email))).toBe('ok');
  });

  it('given a lockout, when no attempt comes for 15 minutes, then the count starts again', async () => {
    const email = 'lockout-idle@example.com';
    await givenUser(email);
    for (let i = 0; i < 9; i++) {
      expect(await outcome(passwordSignIn(email, WRONG))).toMatch(/Incorrect/);
      if (i < 8) clock += 60_000;
    }
    // Nine failures: locked for 2^4 s.
    expect(await outcome(passwordSignIn(email))).toBe('NotAuthorizedException: Password attempts exceeded');
    clock += 15 * 60_000 + 1000;
    // Counted from zero again: one more failure does not lock (a tenth would lock 32 s).
    expect(await outcome(passwordSignIn(email, WRONG))).toMatch(/Incorrect/);
    expect(await outcome(passwordSignIn(email))).toBe('ok');
  });

  it('given a user name that does not exist, then the sixth attempt is refused the same way', async () => {
    for (let i = 0; i < 5; i++)
      expect(await outcome(passwordSignIn('nobody-locked@example.com', WRONG))).toMatch(/Incorrect/);
    expect(await outcome(passwordSignIn('nobody-locked@example.com', WRONG))).toBe(
      'NotAuthorizedException: Password attempts exceeded',
    );
  });

  it('given five wrong passwords through Amplify (SRP), then the right one is refused with "Password attempts exceeded" until the lockout ends', async () => {
    const email = 'lockout-srp@example.com';
    await givenUser(email);
    for (let i = 0; i < 5; i++)
      await expect(signIn({ username: email, password: WRONG })).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
    await expect(signIn({ username: email, password: PASSWORD })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Password attempts exceeded',
    });
    clock += 1100;
    expect((await signIn({ username: email, password: PASSWORD })).isSignedIn).toBe(true);
    await signOut();
  }, 120_000);

  it('given TOTP MFA, when five wrong codes are sent, then the right code is refused until the lockout ends', async () => {
    const email = 'totp-guess@example.com';
    await givenUser(email);
    await signIn({ username: email, password: PASSWORD });
    const setup = await setUpTOTP();
    // Codes for the pool's clock, which these tests move.
    await verifyTOTPSetup({ code: totpCode(setup.sharedSecret, clock) });
    await updateMFAPreference({ totp: 'PREFERRED' });
    await signOut();

    const challenged = await signIn({ username: email, password: PASSWORD });
    expect(challenged.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    const right = () => totpCode(setup.sharedSecret, clock);
    for (let i = 0; i < 5; i++)
      await expect(confirmSignIn({ challengeResponse: otherThan(right()) })).rejects.toMatchObject({
        name: 'CodeMismatchException',
      });
    await expect(confirmSignIn({ challengeResponse: right() })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Password attempts exceeded',
    });
    clock += 1100;
    // The refused session is spent: the user signs in again.
    const again = await signIn({ username: email, password: PASSWORD });
    expect(again.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    expect((await confirmSignIn({ challengeResponse: right() })).isSignedIn).toBe(true);
    await signOut();
  });
});

describe('code guessing', () => {
  it('given four wrong sign-up codes, when a new code is sent, then the count goes on: the fifth wrong guess is the last and the new right code is refused', async () => {
    const email = 'resend-guess@example.com';
    await givenUser(email, false);
    const confirm = (code: string) =>
      outcome(client.send(new ConfirmSignUpCommand({ ClientId: ClientId(), Username: email, ConfirmationCode: code })));
    for (let i = 0; i < 4; i++) expect(await confirm(otherThan(lastCodeTo(email)!))).toMatch(/^CodeMismatchException/);
    await client.send(new ResendConfirmationCodeCommand({ ClientId: ClientId(), Username: email }));
    expect(await confirm(otherThan(lastCodeTo(email)!))).toMatch(/^CodeMismatchException/);
    expect(await confirm(lastCodeTo(email)!)).toMatch(/^LimitExceededException/);
    await client.send(new ResendConfirmationCodeCommand({ ClientId: ClientId(), Username: email }));
    expect(await confirm(lastCodeTo(email)!)).toMatch(/^LimitExceededException/);
    // The limit lasts an hour from the first failure, then a fresh code works.
    clock += 3600_000;
    await client.send(new ResendConfirmationCodeCommand({ ClientId: ClientId(), Username: email }));
    expect(await confirm(lastCodeTo(email)!)).toBe('ok');
  });

  it('given password reset codes, when guesses are spread over new codes, then five wrong guesses end the guessing too', async () => {
    const email = 'reset-guess@example.com';
    await givenUser(email);
    const reset = (code: string) =>
      outcome(
        client.send(
          new ConfirmForgotPasswordCommand({
            ClientId: ClientId(),
            Username: email,
            ConfirmationCode: code,
            Password: 'N3w-Password!',
          }),
        ),
      );
    for (let i = 0; i < 5; i++) {
      await client.send(new ForgotPasswordCommand({ ClientId: ClientId(), Username: email }));
      expect(await reset(otherThan(lastCodeTo(email)!))).toMatch(/^CodeMismatchException/);
    }
    await client.send(new ForgotPasswordCommand({ ClientId: ClientId(), Username: email }));
    expect(await reset(lastCodeTo(email)!)).toMatch(/^LimitExceededException/);
    expect(await outcome(passwordSignIn(email))).toBe('ok');
  });
});

describe('what a sign-in reveals', () => {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  /** The mean of the middle half (interquartile mean): steadier than a median when samples cluster at two values. */
  const middleMean = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((sorted.length * 3) / 4));
    return middle.reduce((sum, value) => sum + value, 0) / middle.length;
  };
  async function timed(run: () => Promise<unknown>) {
    const started = performance.now();
    await run().catch(() => {});
    return performance.now() - started;
  }

  it('given real and unknown user names, then a wrong password takes as long for both (USER_PASSWORD_AUTH)', async () => {
    const real: number[] = [];
    const ghost: number[] = [];
    for (let i = 0; i < 6; i++) {
      const email = `timing-${i}@example.com`;
      await givenUser(email);
      // Alternated sample by sample, so load on the machine hits both alike.
      real.push(await timed(() => passwordSignIn(email, WRONG)));
      ghost.push(await timed(() => passwordSignIn(`timing-ghost-${i}@example.com`, WRONG)));
      real.push(await timed(() => passwordSignIn(email, WRONG)));
      ghost.push(await timed(() => passwordSignIn(`timing-ghost-${i}@example.com`, WRONG)));
    }
    const ratio = median(ghost) / median(real);
    expect(ratio, `ghost ${median(ghost).toFixed(1)} ms, real ${median(real).toFixed(1)} ms`).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1 / 0.6);
  }, 120_000);

  it('given real and unknown user names, then a failed SRP proof takes as long for both', async () => {
    const real: number[] = [];
    const ghost: number[] = [];
    // A proof takes 4-20 ms, so a single scheduling hiccup moves a median of a dozen: 40 samples
    // each, alternated sample by sample (a burst of load hits both alike), and the mean of their
    // middle half. Two proofs per name, as the lockout answers at once after five failures.
    // A proof that skipped its work for unknown names would still be a fraction.
    const emails = Array.from({ length: 20 }, (_, i) => `srp-timing-${i}@example.com`);
    for (const email of emails) await givenUser(email);
    for (let i = 0; i < 40; i++) {
      real.push(await srpProofTime(emails[i % emails.length]));
      ghost.push(await srpProofTime(`srp-timing-ghost-${i % emails.length}@example.com`));
    }
    const ratio = middleMean(ghost) / middleMean(real);
    expect(ratio, `ghost ${middleMean(ghost).toFixed(1)} ms, real ${middleMean(real).toFixed(1)} ms`).toBeGreaterThan(
      0.6,
    );
    expect(ratio).toBeLessThan(1 / 0.6);
  }, 120_000);

  it('given sign-ins by password and SRP proofs, then hardly any holds the event loop for half of what one synchronous hash takes', async () => {
    const users = [0, 1, 2, 3, 4, 5].map((i) => `loop-${i}@example.com`);
    for (const email of users) await givenUser(email);
    // The longest gap between 2 ms ticks during each sign-in, against a synchronous scrypt timed
    // here and now (a loaded machine stretches both alike). A hash on the loop makes every
    // sign-in hold it that long; a busy machine, now and then one.
    const longest: Record<'password' | 'srp', number[]> = { password: [], srp: [] };
    let gap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const at = performance.now();
      gap = Math.max(gap, at - last);
      last = at;
    }, 2);
    const measured = async (kind: keyof typeof longest, call: () => Promise<unknown>) => {
      gap = 0;
      await call();
      longest[kind].push(Math.round(gap));
    };
    try {
      for (const email of users) {
        await measured('password', () => passwordSignIn(email));
        await measured('srp', () => srpProofTime(email));
      }
    } finally {
      clearInterval(ticker);
    }
    const hashes = [0, 1, 2].map(() => {
      const started = performance.now();
      scryptSync(PASSWORD, randomBytes(16), 32);
      return performance.now() - started;
    });
    const oneHash = hashes.sort((x, y) => x - y)[1];
    const report = `longest gaps ${JSON.stringify(longest)} ms; one hash ${oneHash.toFixed(0)} ms`;
    expect(longest.password.filter((ms) => ms >= oneHash / 2).length, report).toBeLessThanOrEqual(2);
    expect(longest.srp.filter((ms) => ms >= oneHash / 2).length, report).toBeLessThanOrEqual(2);
  }, 120_000);
});

describe('what the pool keeps on disk', () => {
  it('given users, then cognito/state.json (signing key, hashes, TOTP secrets) is readable by its owner only', async () => {
    expect((await stat(path.join(dataDir, 'cognito', 'state.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dataDir, 'cognito'))).mode & 0o077).toBe(0);
  });
});

describe('password reset ends every session', () => {
  it('given a signed-in user, when the password is reset, then the old access token and refresh token stop working', async () => {
    const email = 'reset-sessions@example.com';
    await givenUser(email);
    const tokens = (await passwordSignIn(email)).AuthenticationResult!;
    await client.send(new ForgotPasswordCommand({ ClientId: ClientId(), Username: email }));
    await client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: ClientId(),
        Username: email,
        ConfirmationCode: lastCodeTo(email),
        Password: 'N3w-Password!',
      }),
    );
    expect(await outcome(client.send(new GetUserCommand({ AccessToken: tokens.AccessToken })))).toMatch(
      /^NotAuthorizedException/,
    );
    expect(
      await outcome(
        client.send(new GetTokensFromRefreshTokenCommand({ ClientId: ClientId(), RefreshToken: tokens.RefreshToken })),
      ),
    ).toMatch(/^NotAuthorizedException/);
    expect(cognito.pool.isRevoked(JSON.parse(Buffer.from(tokens.IdToken!.split('.')[1], 'base64url').toString()))).toBe(
      true,
    );
  });
});
