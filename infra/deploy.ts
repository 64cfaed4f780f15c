import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateEmailIdentityCommand,
  GetAccountCommand,
  GetEmailIdentityCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { PROJECT_ROOT, STACK_NAME } from './app.ts';
import { SENDER_EMAIL_REQUIRED } from './deploy-config.ts';

/**
 * `npm run deploy -- -c senderEmail=you@example.org [cdk deploy options]`: what a first deploy
 * needs beyond `cdk deploy`, then `cdk deploy` itself (the pinned aws-cdk CLI), then the client
 * configuration.
 *
 * 1. The sender must be a verified SES identity before the stack deploys (Cognito refuses an
 *    unverified one). Missing: SES is asked to verify it (it emails a link) and the deploy stops
 *    until it is clicked. The SES sandbox (new accounts) is reported: mail then reaches verified
 *    addresses only, sign-up codes included.
 * 2. `cdk deploy` with `--outputs-file cdk-outputs.json`.
 * 3. amplify_outputs.json written from the stack's AmplifyOutputs output: the same clients that
 *    talk to `npm start` talk to the deployed stack when given this file.
 */
export interface SesCheck {
  /** Go on with the deploy. */
  ready: boolean;
  /** What the deployer is told, in order. */
  messages: string[];
}

export type SesPort = Pick<SESv2Client, 'send'>;

export async function checkSender(ses: SesPort, senderEmail: string, region: string): Promise<SesCheck> {
  const messages: string[] = [];
  let verified = false;
  try {
    const identity = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: senderEmail }));
    verified = identity.VerifiedForSendingStatus === true;
    if (!verified)
      messages.push(
        `SES has not verified ${senderEmail} in ${region} yet: open the link SES emailed to it (sent when it was added), then run npm run deploy again.`,
      );
  } catch (error) {
    if ((error as { name?: string }).name !== 'NotFoundException') throw error;
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: senderEmail }));
    messages.push(
      `${senderEmail} was added to SES in ${region} and SES emailed it a verification link. Open the link, then run npm run deploy again ` +
        '(Cognito refuses a sender SES has not verified).',
    );
  }
  const account = await ses.send(new GetAccountCommand({}));
  if (account.SendingEnabled === false) {
    messages.push(`SES sending is disabled for this account in ${region} (AWS paused it): no email can go out.`);
    return { ready: false, messages };
  }
  if (!account.ProductionAccessEnabled) {
    messages.push(
      `SES is in the sandbox for this account in ${region}: email reaches verified addresses only, and that includes ` +
        'sign-up codes, budget alerts and reports. Verify each address you test with ' +
        '(aws sesv2 create-email-identity --email-identity ADDRESS, then open its link), and request production access before ' +
        'real users sign up: aws sesv2 put-account-details --production-access-enabled --mail-type TRANSACTIONAL ' +
        '--website-url URL --use-case-description "Sign-up codes, budget alerts and reports of a personal expense tracker". ' +
        `Sending quota now: ${account.SendQuota?.Max24HourSend ?? '?'} emails a day.`,
    );
  }
  return { ready: verified, messages };
}

/** The `-c key=value` / `--context key=value` pairs of a cdk command line. */
export function contextOf(args: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  args.forEach((arg, i) => {
    const pair = arg === '-c' || arg === '--context' ? args[i + 1] : /^--context=(.*)$/s.exec(arg)?.[1];
    if (!pair) return;
    const [key, value] = pair.split(/=(.*)/s, 2);
    if (key && value !== undefined) context[key] = value;
  });
  return context;
}

/** amplify_outputs.json from `cdk deploy --outputs-file`'s JSON. */
export function amplifyOutputsFromCdkOutputs(cdkOutputs: Record<string, Record<string, string>>): unknown {
  const stack = cdkOutputs[STACK_NAME];
  if (!stack?.AmplifyOutputs) throw new Error(`No ${STACK_NAME}.AmplifyOutputs in the cdk outputs`);
  return JSON.parse(stack.AmplifyOutputs);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const senderEmail = contextOf(args).senderEmail;
  if (!senderEmail) throw new Error(SENDER_EMAIL_REQUIRED);
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('Set AWS_REGION to the region to deploy to (one with AppSync, Textract and Comprehend)');

  const check = await checkSender(new SESv2Client({ region }), senderEmail, region);
  for (const message of check.messages) console.error(message);
  if (!check.ready) {
    process.exitCode = 1;
    return;
  }

  const outputsFile = path.join(PROJECT_ROOT, 'cdk-outputs.json');
  const cdk = spawn('npx', ['cdk', 'deploy', STACK_NAME, '--outputs-file', outputsFile, ...args], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: { ...process.env, CDK_DEFAULT_REGION: region },
  });
  const code = await new Promise<number>((resolve) => cdk.on('exit', (exit) => resolve(exit ?? 1)));
  if (code !== 0) {
    console.error(
      'cdk deploy failed. A first deploy in an account and region needs `npx cdk bootstrap` once (see README, "Deploy to AWS").',
    );
    process.exitCode = code;
    return;
  }
  const outputs = amplifyOutputsFromCdkOutputs(JSON.parse(await readFile(outputsFile, 'utf8')));
  const amplifyFile = path.join(PROJECT_ROOT, 'amplify_outputs.json');
  await writeFile(amplifyFile, `${JSON.stringify(outputs, null, 2)}\n`);
  console.log(
    `Client configuration: ${amplifyFile}. Try it: npm run smoke -- --outputs amplify_outputs.json --email ADDRESS`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    await main();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
