import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, newTotpSecret, totpCode, totpMatches } from '../../../../local/cognito/totp.ts';

/** Software token MFA codes: RFC 6238's own test vectors (SHA-1), and the drift window a phone needs. */
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP', () => {
  it('given the RFC 4648 example, then base32 round-trips', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('given RFC 6238 time %i, then the 8-digit SHA-1 code is %s', (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000, 8)).toBe(code);
  });

  it('given a code, then it matches in its own step and the ones either side, not further', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const t = 1_700_000_000_000;
    const code = totpCode(secret, t);
    expect(code).toMatch(/^\d{6}$/);
    expect(totpMatches(secret, code, t)).toBe(true);
    expect(totpMatches(secret, code, t + 30_000)).toBe(true);
    expect(totpMatches(secret, code, t - 30_000)).toBe(true);
    expect(totpMatches(secret, code, t + 90_000)).toBe(false);
    expect(totpMatches(secret, '12345', t)).toBe(false);
    expect(totpMatches(secret, undefined, t)).toBe(false);
  });
});
