import { describe, expect, it } from 'vitest';
import { passwordPolicyViolation } from '../../../../local/cognito/password-policy.ts';

describe('password policy', () => {
  it.each([
    ['Sh0rt!a', /not long enough/],
    ['NOLOWER1!', /lowercase/],
    ['noupper1!', /uppercase/],
    ['NoDigits!!', /numeric/],
    ['NoSymbol12', /symbol/],
  ])('given %s, when checked, then Cognito names the broken rule', (password, message) => {
    expect(passwordPolicyViolation(password)).toMatch(message);
  });

  it('given a password meeting every rule, when checked, then it passes', () => {
    expect(passwordPolicyViolation('Valid-Passw0rd')).toBeUndefined();
  });
});
