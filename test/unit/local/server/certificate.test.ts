import { AsnConvert } from '@peculiar/asn1-schema';
import { id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, createServer } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateCertificate } from '../../../../local/server/certificate.ts';

/**
 * The local certificate authority users are asked to trust: it may vouch for the loopback
 * names only (name constraints, which TLS clients enforce), and lives a year.
 */
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const DAY = 24 * 3600 * 1000;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'certificate-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const authorityOf = async () => new x509.X509Certificate(await readFile(path.join(dataDir, 'tls', 'ca.pem'), 'utf8'));
const lifetime = (certificate: x509.X509Certificate) =>
  certificate.notAfter.getTime() - certificate.notBefore.getTime();

async function caKey() {
  const pem = await readFile(path.join(dataDir, 'tls', 'ca-key.pem'), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, EC, false, ['sign']);
}

/** A server certificate for `name`, signed with the local authority's key (as anyone holding DATA_DIR/tls could). */
async function issuedByLocalAuthority(name: string) {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: '0badc0de',
    subject: `CN=${name}`,
    issuer: (await authorityOf()).subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + DAY),
    signingKey: await caKey(),
    publicKey: keys.publicKey,
    signingAlgorithm: EC,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: name }])],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return {
    cert: certificate.toString('pem'),
    key: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`,
  };
}

/** A TLS handshake with a server presenting `served`, trusting only the local authority: 'ok' or the error's code. */
async function handshake(served: { cert: string; key: string }, servername: string) {
  const server = createServer(served, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ca = await readFile(path.join(dataDir, 'tls', 'ca.pem'), 'utf8');
  try {
    return await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, servername, ca });
      socket.on('secureConnect', () => {
        socket.destroy();
        resolve('ok');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(`${error.code} ${error.message}`));
    });
  } finally {
    server.close();
  }
}

describe('loadOrCreateCertificate', () => {
  it('given a new data dir, then the authority may vouch for localhost, 127.0.0.0/8 and ::1 only, for a year, and the server certificate for less', async () => {
    const made = await loadOrCreateCertificate(dataDir);
    expect(made.newAuthority).toBe(true);
    const authority = await authorityOf();
    const constraints = authority.getExtension(id_ce_nameConstraints)!;
    expect(constraints.critical).toBe(true);
    const permitted = AsnConvert.parse(constraints.value, NameConstraints).permittedSubtrees!.map((s) => s.base);
    expect(permitted.map((name) => name.dNSName ?? name.iPAddress)).toEqual(['localhost', '127.0.0.0/8', '::1/128']);
    expect(lifetime(authority)).toBeLessThanOrEqual(365 * DAY + 60_000);
    const server = new x509.X509Certificate(made.cert.split(/(?<=-----END CERTIFICATE-----)/)[0]);
    expect(server.notAfter.getTime()).toBeLessThanOrEqual(authority.notAfter.getTime());
    // Both are dated a minute back, for clocks a little behind.
    expect(lifetime(server)).toBeLessThanOrEqual(90 * DAY + 60_000);
  });

  it('given the server certificate, then a client trusting the authority connects to localhost', async () => {
    const made = await loadOrCreateCertificate(dataDir);
    expect(await handshake(made, 'localhost')).toBe('ok');
  });

  it('given a certificate for another name signed with the authority key, then a client trusting the authority refuses it', async () => {
    await loadOrCreateCertificate(dataDir);
    expect(await handshake(await issuedByLocalAuthority('bank.example.com'), 'bank.example.com')).toMatch(
      /PERMITTED_SUBTREE|NAME_CONSTRAINT|permitted subtree/i,
    );
  });

  it('given a data dir with an authority made without name constraints, then it is replaced (and reported so users trust the new one)', async () => {
    const first = await loadOrCreateCertificate(dataDir);
    // An authority as earlier versions made it: ten years, no constraints, same file names.
    const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
    const old = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=Smart Expense Tracker local CA',
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 3650 * DAY),
      keys,
      signingAlgorithm: EC,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
    });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
    await writeFile(path.join(dataDir, 'tls', 'ca.pem'), old.toString('pem'));
    await writeFile(
      path.join(dataDir, 'tls', 'ca-key.pem'),
      `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`,
    );
    const again = await loadOrCreateCertificate(dataDir);
    expect(again.newAuthority).toBe(true);
    expect((await authorityOf()).getExtension(id_ce_nameConstraints)).not.toBeNull();
    expect(await handshake(again, 'localhost')).toBe('ok');
    expect(first.cert).not.toBe(again.cert);
  });

  it('given a restart, then the same authority is kept; given one with under 30 days left, then a new one is made', async () => {
    await loadOrCreateCertificate(dataDir);
    const authority = (await authorityOf()).toString('pem');
    expect((await loadOrCreateCertificate(dataDir)).newAuthority).toBe(false);
    expect((await authorityOf()).toString('pem')).toBe(authority);
    const later = await loadOrCreateCertificate(dataDir, () => Date.now() + 340 * DAY);
    expect(later.newAuthority).toBe(true);
    expect((await authorityOf()).toString('pem')).not.toBe(authority);
  });
});
