import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The certificate the API serves TLS with (Amplify always opens `wss://` to the GraphQL host
 * and port), issued by a local certificate authority made at first start and kept in
 * `DATA_DIR/tls`. Clients trust the authority once, `DATA_DIR/tls/ca.pem`: Node with
 * `NODE_EXTRA_CA_CERTS`, browsers through the OS or browser trust store. A CA plus a separate
 * server certificate, as mkcert does, because browsers refuse a CA certificate used as the
 * server's own (Firefox: MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY), and trust stores
 * expect to hold an authority.
 *
 * Trusting it must not let its key (readable by anyone who reads the data dir) vouch for other
 * sites: the authority carries critical name constraints permitting only localhost,
 * 127.0.0.0/8 and ::1 (OpenSSL, hence Node, and browsers enforce them on a trusted root), and
 * lives a year. Its server certificate names localhost, 127.0.0.1 and ::1, is for serverAuth
 * only and lives 90 days, reissued from the same authority at a start in its last 30 days; an
 * authority in its last 30 days, or one made before the constraints, is replaced
 * (`newAuthority`: users trust the new one).
 */
export interface Certificate {
  key: string;
  /** The server certificate followed by the authority's: the chain the server presents. */
  cert: string;
  /** The authority to trust (PEM). */
  certFile: string;
  /** True when this start made the authority: whoever trusted the previous one must trust this one. */
  newAuthority: boolean;
}

const DAY_MS = 24 * 3600 * 1000;
export const CA_LIFETIME_MS = 365 * DAY_MS;
export const SERVER_LIFETIME_MS = 90 * DAY_MS;
const RENEW_BEFORE_MS = 30 * DAY_MS;
export const LOOPBACK_NAMES = ['localhost', '127.0.0.0/8', '::1/128'];
/** id-ce-nameConstraints (2.5.29.30) as DER encodes the OID: only the authorities with the constraints hold it. */
const NAME_CONSTRAINTS_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x1e]);

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** Whether `pem` is an authority this version made (constrained) with more than 30 days left. */
function usableAuthority(pem: string | null, now: number): boolean {
  if (!pem) return false;
  const authority = new X509Certificate(pem);
  return authority.raw.includes(NAME_CONSTRAINTS_OID) && Date.parse(authority.validTo) - now > RENEW_BEFORE_MS;
}

function usableServerCertificate(pem: string | null, authorityPem: string, now: number): boolean {
  if (!pem) return false;
  const server = new X509Certificate(pem);
  const authority = new X509Certificate(authorityPem);
  return (
    server.issuer === authority.subject &&
    server.verify(authority.publicKey) &&
    Date.parse(server.validTo) - now > RENEW_BEFORE_MS
  );
}

export async function loadOrCreateCertificate(dataDir: string, now: () => number = Date.now): Promise<Certificate> {
  const dir = path.join(dataDir, 'tls');
  const files = {
    caCert: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca-key.pem'),
    cert: path.join(dir, 'cert.pem'),
    key: path.join(dir, 'key.pem'),
  };
  await mkdir(dir, { recursive: true });

  let authority = { cert: await readOrNull(files.caCert), key: await readOrNull(files.caKey) };
  const newAuthority = !authority.key || !usableAuthority(authority.cert, now());
  if (newAuthority) {
    const { createAuthority } = await import('./certificate-issue.ts');
    authority = await createAuthority(now());
    await writeFile(files.caKey, authority.key!, { mode: 0o600 });
    await chmod(files.caKey, 0o600);
    await writeFile(files.caCert, authority.cert!);
  }
  const ca = { cert: authority.cert!, key: authority.key! };

  let server = { cert: await readOrNull(files.cert), key: await readOrNull(files.key) };
  if (newAuthority || !server.key || !usableServerCertificate(server.cert, ca.cert, now())) {
    const { issueServerCertificate } = await import('./certificate-issue.ts');
    server = await issueServerCertificate(ca, now());
    await writeFile(files.key, server.key!, { mode: 0o600 });
    await chmod(files.key, 0o600);
    await writeFile(files.cert, server.cert!);
  }
  return {
    key: server.key!,
    cert: `${server.cert!.trim()}\n${ca.cert.trim()}\n`,
    certFile: files.caCert,
    newAuthority,
  };
}
