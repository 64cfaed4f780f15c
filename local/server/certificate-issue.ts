import { AsnConvert } from '@peculiar/asn1-schema';
import {
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  id_ce_nameConstraints,
  NameConstraints,
} from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { CA_LIFETIME_MS, LOOPBACK_NAMES, SERVER_LIFETIME_MS } from './certificate.ts';

/**
 * Making the local authority and its server certificate (local/server/certificate.ts says
 * what they are). Apart, because @peculiar/x509 takes about a second to import and a start
 * that finds usable certificates needs none of it.
 */
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const toPem = (der: ArrayBuffer) =>
  `-----BEGIN PRIVATE KEY-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim()}\n-----END PRIVATE KEY-----\n`;
const fromPem = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const serialNumber = () => `01${randomBytes(15).toString('hex')}`;

function loopbackOnly(): x509.Extension {
  const permitted = LOOPBACK_NAMES.map(
    (name) =>
      new GeneralSubtree({
        base: new GeneralName(/^[\d.:]+\/\d+$/.test(name) ? { iPAddress: name } : { dNSName: name }),
      }),
  );
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: new GeneralSubtrees(permitted) }));
  return new x509.Extension(id_ce_nameConstraints, true, value);
}

export async function createAuthority(now: number) {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=Smart Expense Tracker local CA, O=Smart Expense Tracker (local development)',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + CA_LIFETIME_MS),
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      loopbackOnly(),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: certificate.toString('pem'), key: toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

export async function issueServerCertificate(authority: { cert: string; key: string }, now: number) {
  const issuer = new x509.X509Certificate(authority.cert);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', fromPem(authority.key), EC_P256, false, ['sign']);
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=localhost',
    issuer: issuer.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(Math.min(now + SERVER_LIFETIME_MS, issuer.notAfter.getTime())),
    signingKey,
    publicKey: keys.publicKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(issuer),
    ],
  });
  return { cert: certificate.toString('pem'), key: toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}
