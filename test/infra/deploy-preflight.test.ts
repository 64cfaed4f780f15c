import {
  CreateEmailIdentityCommand,
  GetAccountCommand,
  GetEmailIdentityCommand,
  type GetAccountCommandOutput,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { STACK_NAME } from '../../infra/app.ts';
import { amplifyOutputsFromCdkOutputs, checkSender, contextOf, type SesPort } from '../../infra/deploy.ts';

/**
 * `npm run deploy`'s checks before `cdk deploy`, against an SES that answers as SESv2 does
 * (GetEmailIdentity's NotFoundException, VerifiedForSendingStatus, GetAccount's sandbox flag).
 */
function givenSes(identity: 'missing' | 'pending' | 'verified', account: Partial<GetAccountCommandOutput>) {
  const created: string[] = [];
  const ses = {
    async send(command: unknown) {
      if (command instanceof GetEmailIdentityCommand) {
        if (identity === 'missing')
          throw Object.assign(new Error('Email identity does not exist'), { name: 'NotFoundException' });
        return { VerifiedForSendingStatus: identity === 'verified' };
      }
      if (command instanceof CreateEmailIdentityCommand) {
        created.push(command.input.EmailIdentity!);
        return {};
      }
      if (command instanceof GetAccountCommand) return { SendingEnabled: true, ...account };
      throw new Error(`unexpected ${String(command)}`);
    },
  } as unknown as SesPort;
  return { ses, created };
}

const SANDBOX = { ProductionAccessEnabled: false, SendQuota: { Max24HourSend: 200 } };
const PRODUCTION = { ProductionAccessEnabled: true };

describe('the sender check before cdk deploy', () => {
  it('given a sender SES has never seen, then it is added (SES emails the link) and the deploy waits for the click', async () => {
    const { ses, created } = givenSes('missing', PRODUCTION);

    const check = await checkSender(ses, 'me@example.org', 'eu-west-1');

    expect(check.ready).toBe(false);
    expect(created).toEqual(['me@example.org']);
    expect(check.messages[0]).toMatch(/emailed it a verification link.*npm run deploy again/);
  });

  it('given a sender added but not clicked yet, then the deploy waits and nothing is added twice', async () => {
    const { ses, created } = givenSes('pending', PRODUCTION);

    const check = await checkSender(ses, 'me@example.org', 'eu-west-1');

    expect(check).toMatchObject({ ready: false, messages: [expect.stringMatching(/has not verified me@example.org/)] });
    expect(created).toEqual([]);
  });

  it('given a verified sender in a sandboxed account, then the deploy goes on and says verified recipients only, and how to leave the sandbox', async () => {
    const check = await checkSender(givenSes('verified', SANDBOX).ses, 'me@example.org', 'eu-west-1');

    expect(check.ready).toBe(true);
    expect(check.messages.join('\n')).toMatch(
      /sandbox.*verified addresses only.*sign-up codes.*put-account-details --production-access-enabled/s,
    );
  });

  it('given a verified sender with production access, then the deploy goes on silently; with sending paused, it stops', async () => {
    expect(await checkSender(givenSes('verified', PRODUCTION).ses, 'me@example.org', 'eu-west-1')).toEqual({
      ready: true,
      messages: [],
    });
    const paused = await checkSender(
      givenSes('verified', { ...PRODUCTION, SendingEnabled: false }).ses,
      'me@example.org',
      'eu-west-1',
    );
    expect(paused.ready).toBe(false);
  });
});

describe('deploy arguments and outputs', () => {
  it('reads the context of a cdk command line in each of its forms', () => {
    expect(
      contextOf([
        '-c',
        'senderEmail=me@example.org',
        '--context=alarmEmail=ops@example.org',
        '--context',
        'wafRateLimit=0',
      ]),
    ).toEqual({
      senderEmail: 'me@example.org',
      alarmEmail: 'ops@example.org',
      wafRateLimit: '0',
    });
  });

  it('writes amplify_outputs.json from the stack outputs, and says so when the output is missing', () => {
    const outputs = { version: '1.4', data: { url: 'https://x.appsync-api.eu-west-1.amazonaws.com/graphql' } };
    expect(amplifyOutputsFromCdkOutputs({ [STACK_NAME]: { AmplifyOutputs: JSON.stringify(outputs) } })).toEqual(
      outputs,
    );
    expect(() => amplifyOutputsFromCdkOutputs({})).toThrow(/AmplifyOutputs/);
  });
});
