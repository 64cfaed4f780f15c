import { createDiffieHellman, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Cognito's SRP-6a variant, server side, matching what Amplify v6 computes in
 * @aws-amplify/auth `utils/srp` (AuthenticationHelper, getHkdfKey, getSignatureString):
 * N = RFC 5054 3072-bit group, g = 2, k = H(pad(N) | pad(g)), u = H(pad(A) | pad(B)),
 * x = H(pad(salt) | H(poolName + userId + ':' + password)), the session key is
 * HKDF(ikm = pad(S), salt = pad(u), info = 'Caldera Derived Key' + 0x01)[0..16) and the client
 * proves it with HMAC(key, poolName + userId + secretBlock + timestamp).
 * "pad" is Java BigInteger.toByteArray() hex: even length, a leading 00 when the top bit is set.
 */
const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;
const evenHex = (value: bigint) => value.toString(16).padStart(Math.ceil(value.toString(16).length / 2) * 2, '0');
const N_BYTES = Buffer.from(evenHex(N), 'hex');
const G_BYTES = Buffer.from([2]);

export function paddedHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hashOfHex = (hex: string) => sha256Hex(Buffer.from(hex, 'hex'));
const k = BigInt(`0x${hashOfHex(paddedHex(N) + paddedHex(g))}`);

/**
 * base^exponent mod N, by OpenSSL: a Diffie-Hellman group over N with `exponent` as the private
 * key computes exactly this for a peer key `base`, in about a millisecond where BigInt
 * arithmetic takes tens (it would hold the event loop for every sign-in). OpenSSL refuses a
 * base of 0, 1 or N - 1 and a zero exponent: undefined then, values an honest client never
 * sends (the caller fails the sign-in).
 */
export function modPow(base: bigint, exponent: bigint): bigint | undefined {
  try {
    const group = createDiffieHellman(N_BYTES, G_BYTES);
    group.setPrivateKey(Buffer.from(evenHex(exponent), 'hex'));
    return BigInt(`0x${group.computeSecret(Buffer.from(evenHex(base % N), 'hex')).toString('hex')}`);
  } catch {
    return undefined;
  }
}

const randomBigInt = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);

/** What the pool stores instead of the password: the salt (hex) and verifier v = g^x mod N (hex). */
export interface SrpVerifier {
  salt: string;
  verifier: string;
}

export function createSrpVerifier(poolName: string, userIdForSrp: string, password: string): SrpVerifier {
  const salt = paddedHex(randomBigInt(16));
  const x = BigInt(`0x${hashOfHex(salt + sha256Hex(`${poolName}${userIdForSrp}:${password}`))}`);
  return { salt, verifier: modPow(g, x)!.toString(16) };
}

/** The server's half of one sign-in: `b` stays on the server, `B` goes to the client as SRP_B. */
export interface SrpServerSession {
  b: string;
  B: string;
}

export function startSrpSession(stored: SrpVerifier): SrpServerSession {
  const v = BigInt(`0x${stored.verifier}`);
  for (;;) {
    const b = randomBigInt(128);
    const B = (k * v + modPow(g, b)!) % N;
    if (B !== 0n) return { b: b.toString(16), B: B.toString(16) };
  }
}

/** HKDF key the client derives from the password; undefined when A is unusable (A mod N = 0, u = 0). */
export function srpSessionKey(stored: SrpVerifier, session: SrpServerSession, srpA: string): Buffer | undefined {
  const A = BigInt(`0x${srpA}`);
  if (A % N === 0n) return undefined;
  const B = BigInt(`0x${session.B}`);
  const u = BigInt(`0x${hashOfHex(paddedHex(A) + paddedHex(B))}`);
  if (u === 0n) return undefined;
  const v = BigInt(`0x${stored.verifier}`);
  const vu = modPow(v, u);
  const S = vu === undefined ? undefined : modPow(A * vu, BigInt(`0x${session.b}`));
  if (S === undefined) return undefined;
  const prk = createHmac('sha256', Buffer.from(paddedHex(u), 'hex'))
    .update(Buffer.from(paddedHex(S), 'hex'))
    .digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

export function passwordClaimSignature(
  key: Buffer,
  poolName: string,
  userIdForSrp: string,
  secretBlock: string,
  timestamp: string,
): string {
  return createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolName + userIdForSrp, 'utf8'),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest('base64');
}

export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64');
  const right = Buffer.from(b, 'base64');
  return left.length === right.length && timingSafeEqual(left, right);
}
