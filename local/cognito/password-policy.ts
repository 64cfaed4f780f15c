import { PASSWORD_POLICY, type PasswordPolicy } from '../../model/password-policy.ts';

/** Cognito's special characters for the "symbols" rule. */
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Cognito's message for the first rule a password breaks, or undefined when it conforms. */
export function passwordPolicyViolation(
  password: string,
  policy: PasswordPolicy = PASSWORD_POLICY,
): string | undefined {
  const prefix = 'Password did not conform with policy: ';
  if (password.length < policy.minLength) return `${prefix}Password not long enough`;
  if (policy.requireLowercase && !/[a-z]/.test(password)) return `${prefix}Password must have lowercase characters`;
  if (policy.requireUppercase && !/[A-Z]/.test(password)) return `${prefix}Password must have uppercase characters`;
  if (policy.requireDigits && !/[0-9]/.test(password)) return `${prefix}Password must have numeric characters`;
  if (policy.requireSymbols && !SYMBOLS.test(password)) return `${prefix}Password must have symbol characters`;
  return undefined;
}
