/**
 * The user pool's password policy as plain data: the CDK auth construct and the local
 * stand-in read this one object, so both enforce the same rules.
 */
export const PASSWORD_POLICY = {
  minLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireDigits: true,
  requireSymbols: true,
} as const;

export type PasswordPolicy = typeof PASSWORD_POLICY;

/** Cognito's special characters for the "symbols" rule. */
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Cognito's message for the first rule a password breaks, or undefined when it conforms. */
export function passwordPolicyViolation(password: string, policy: PasswordPolicy = PASSWORD_POLICY): string | undefined {
  const prefix = 'Password did not conform with policy: ';
  if (password.length < policy.minLength) return `${prefix}Password not long enough`;
  if (policy.requireLowercase && !/[a-z]/.test(password)) return `${prefix}Password must have lowercase characters`;
  if (policy.requireUppercase && !/[A-Z]/.test(password)) return `${prefix}Password must have uppercase characters`;
  if (policy.requireDigits && !/[0-9]/.test(password)) return `${prefix}Password must have numeric characters`;
  if (policy.requireSymbols && !SYMBOLS.test(password)) return `${prefix}Password must have symbol characters`;
  return undefined;
}

/** The policy in amplify_outputs.json's `auth.password_policy` form. */
export function amplifyPasswordPolicy(policy: PasswordPolicy = PASSWORD_POLICY) {
  return {
    min_length: policy.minLength,
    require_uppercase: policy.requireUppercase,
    require_lowercase: policy.requireLowercase,
    require_numbers: policy.requireDigits,
    require_symbols: policy.requireSymbols,
  };
}
