import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

/**
 * The certificate the API serves TLS with (Amplify always opens `wss://` to the GraphQL host
 * and port), issued by a local certificate authority made at first start and kept in
 * `DATA_DIR/tls`. Clients trust the authority once, `DATA_DIR/tls/ca.pem`: Node with
 * `NODE_EXTRA_CA_CERTS`, browsers through the OS or browser trust store. A CA plus a separate
 * server certificate, as mkcert does, because browsers refuse a CA certificate used as the
 * server's own (Firefox: MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY), and trust stores
 * expect to hold an authority. The server certificate names localhost, 127.0.0.1 and ::1, is
 * for serverAuth only and lives 800 days (Apple platforms refuse TLS server certificates valid
 * for more than 825); it is reissued from the same authority when it nears its end, so the
 * trust a user set up keeps working.
 */
export interface Certificate {
  key: string;
  /** The server certificate followed by the authority's: the chain the server presents. */
  cert: string;
  /** The authority to trust (PEM). */
  certFile: string;
}

const CA_LIFETIME_MS = 10 * 365 * 24 * 3600 * 1000;
const SERVER_LIFETIME_MS = 800 * 24 * 3600 * 1000;
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function issueServerCertificate(ca: { key: string; cert: string }) {
  return generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + SERVER_LIFETIME_MS),
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
}

export async function loadOrCreateCertificate(dataDir: string): Promise<Certificate> {
  const dir = path.join(dataDir, 'tls');
  const files = { caCert: path.join(dir, 'ca.pem'), caKey: path.join(dir, 'ca-key.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
  await mkdir(dir, { recursive: true });

  let caCert = await readOrNull(files.caCert);
  let caKey = await readOrNull(files.caKey);
  if (!caCert || !caKey) {
    const ca = await generate([{ name: 'commonName', value: 'Smart Expense Tracker local CA' }, { name: 'organizationName', value: 'Smart Expense Tracker (local development)' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + CA_LIFETIME_MS),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    caCert = ca.cert;
    caKey = ca.private;
    await writeFile(files.caKey, caKey, { mode: 0o600 });
    await writeFile(files.caCert, caCert);
  }

  let cert = await readOrNull(files.cert);
  let key = await readOrNull(files.key);
  const authority = new X509Certificate(caCert);
  const current = cert && key ? new X509Certificate(cert) : undefined;
  const valid = current && current.checkIssued(authority) && current.verify(authority.publicKey) && Date.parse(current.validTo) - Date.now() > RENEW_BEFORE_MS;
  if (!valid) {
    const issued = await issueServerCertificate({ key: caKey, cert: caCert });
    cert = issued.cert;
    key = issued.private;
    await writeFile(files.key, key, { mode: 0o600 });
    await writeFile(files.cert, cert);
  }
  return { key: key!, cert: `${cert!.trim()}\n${caCert.trim()}\n`, certFile: files.caCert };
}
