/**
 * The user pool's password policy as plain data: the CDK auth construct and the local
 * stand-in (local/cognito/password-policy.ts checks passwords against it) read this one
 * object, so both enforce the same rules.
 */
export const PASSWORD_POLICY = {
  minLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireDigits: true,
  requireSymbols: true,
} as const;

export type PasswordPolicy = typeof PASSWORD_POLICY;

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
