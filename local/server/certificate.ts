import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

/**
 * The self-signed certificate the API serves TLS with (Amplify always opens `wss://` to the
 * GraphQL host and port). Made at first start and kept in `DATA_DIR/tls`, so a client that
 * trusts it once (`NODE_EXTRA_CA_CERTS=DATA_DIR/tls/cert.pem`) keeps trusting it.
 */
export interface Certificate {
  key: string;
  cert: string;
  certFile: string;
}

export async function loadOrCreateCertificate(dataDir: string): Promise<Certificate> {
  const dir = path.join(dataDir, 'tls');
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  try {
    return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8'), certFile };
  } catch {
    // First start: make one below.
  }
  const made = await generate([{ name: 'commonName', value: 'expense-tracker.local' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000),
    extensions: [
      // A CA flag lets NODE_EXTRA_CA_CERTS and browsers accept it as its own trust anchor.
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(keyFile, made.private, { mode: 0o600 });
  await writeFile(certFile, made.cert);
  return { key: made.private, cert: made.cert, certFile };
}
