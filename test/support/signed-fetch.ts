import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * fetch with SigV4 in the Authorization header, for raw requests an SDK would never send
 * (hostile bodies, odd methods, any query): they pass authentication and reach the parsing.
 */
export async function signedFetch(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: Buffer | string },
  signing: { service: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } },
): Promise<Response> {
  const target = new URL(url);
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  const headers: Record<string, string> = { host: target.host, ...(init.headers ?? {}) };
  if (signing.service === 's3')
    headers['x-amz-content-sha256'] = createHash('sha256')
      .update(body ?? '')
      .digest('hex');
  const query: Record<string, string> = {};
  target.searchParams.forEach((value, key) => (query[key] = value));
  const signer = new SignatureV4({ ...signing, sha256: Sha256, uriEscapePath: signing.service !== 's3' });
  const signed = await signer.sign(
    new HttpRequest({
      method: init.method,
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query,
      headers,
      body,
    }),
  );
  const { host: _host, ...sent } = signed.headers;
  return fetch(url, {
    method: init.method,
    headers: sent,
    body: init.method === 'GET' || init.method === 'HEAD' ? undefined : body,
  });
}
