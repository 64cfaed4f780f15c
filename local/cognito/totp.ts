import { createHmac, randomBytes } from 'node:crypto';

/**
 * Time-based one-time passwords as Cognito's software token MFA uses them (RFC 6238: HMAC-SHA1,
 * 30-second steps, 6 digits) with the shared secret in base32, the form authenticator apps
 * and Amplify's `setUpTOTP().getSetupUri()` take.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_SECONDS = 30;
const DIGITS = 6;

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error('Not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new shared secret: 160 bits, as RFC 4226 recommends (32 base32 characters). */
export const newTotpSecret = () => base32Encode(randomBytes(20));

/** The code for the step containing `timeMs`; `digits` other than 6 only for the RFC's test vectors. */
export function totpCode(secret: string, timeMs: number, digits = DIGITS): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 1000 / STEP_SECONDS)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

/** Whether `code` is the one for now or the step before or after (clock drift between phone and server). */
export function totpMatches(secret: string, code: unknown, timeMs: number): boolean {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return false;
  return [-1, 0, 1].some((drift) => totpCode(secret, timeMs + drift * STEP_SECONDS * 1000) === code);
}
