import { randomInt, timingSafeEqual } from 'node:crypto';
import { CognitoError } from './errors.ts';
import type { CodePurpose, StoredUser } from './state.ts';

/**
 * The six-digit codes of sign-up confirmation and password reset, sent by email. Five wrong
 * codes end the guessing for an hour (LimitExceededException), counted across every code sent
 * in that hour: asking for a new code does not give new guesses.
 */
export const CODE_LIFETIME_MS: Record<CodePurpose, number> = {
  signUp: 24 * 3600 * 1000,
  forgotPassword: 3600 * 1000,
};
const MAX_FAILURES = 5;
const FAILURES_WINDOW_MS = 3600 * 1000;

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export const maskedEmail = (email: string) => ({
  Destination: `${email[0] ?? ''}***@${email.split('@')[1]?.[0] ?? ''}***`,
  DeliveryMedium: 'EMAIL',
  AttributeName: 'email',
});

const expired = () => new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
export const codeMismatch = () =>
  new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');

export function createCodes(deps: {
  now: () => number;
  save: () => Promise<void>;
  sendEmail(message: EmailMessage): Promise<void>;
}) {
  const { now } = deps;
  return {
    async send(user: StoredUser, purpose: CodePurpose) {
      const value = String(randomInt(0, 1_000_000)).padStart(6, '0');
      user.code = { value, purpose, expiresAt: now() + CODE_LIFETIME_MS[purpose] };
      await deps.save();
      const subject = purpose === 'signUp' ? 'Your verification code' : 'Your password reset code';
      const line = purpose === 'signUp' ? `Your verification code is ${value}` : `Your password reset code is ${value}`;
      await deps.sendEmail({ to: user.email, subject, text: `${line}\n`, html: `<p>${line}</p>` });
      return { CodeDeliveryDetails: maskedEmail(user.email) };
    },

    /** Uses up the user's code for `purpose` when `code` is it; throws Cognito's error otherwise. Saved either way. */
    async check(user: StoredUser, purpose: CodePurpose, code: string): Promise<void> {
      try {
        const failures = user.codeFailures?.[purpose];
        if (failures && failures.since + FAILURES_WINDOW_MS <= now()) delete user.codeFailures![purpose];
        else if (failures && failures.count >= MAX_FAILURES)
          throw new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
        const stored = user.code;
        if (!stored || stored.purpose !== purpose || stored.expiresAt < now()) throw expired();
        const [given, expected] = [Buffer.from(code), Buffer.from(stored.value)];
        const matches = given.length === expected.length && timingSafeEqual(given, expected);
        if (!matches) {
          const counted = user.codeFailures?.[purpose] ?? { count: 0, since: now() };
          counted.count += 1;
          user.codeFailures = { ...user.codeFailures, [purpose]: counted };
          throw codeMismatch();
        }
        user.code = undefined;
        delete user.codeFailures?.[purpose];
      } finally {
        await deps.save();
      }
    },
  };
}

export type Codes = ReturnType<typeof createCodes>;
