import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createScope, getCanonicalQuery } from '@smithy/signature-v4';

/**
 * Signature Version 4, checked the way AWS checks it, for every local stand-in (AppSync IAM,
 * DynamoDB, S3, Lambda, SES, Textract): the credential and its scope, the signing time, then
 * the signature over the canonical request rebuilt from the request as received (method, path
 * and query as sent, each signed header, the payload hash).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 *
 * Two forms: the `Authorization` header (SDK clients) and the query string (presigned URLs,
 * which S3 alone accepts here). Each refusal carries the code and message the service would
 * answer with; the caller words it in its own protocol (JSON, XML).
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A request as it arrived: the path still percent-encoded, the query unparsed. */
export interface ReceivedRequest {
  method: string;
  /** `req.url` up to `?`, exactly as sent. */
  rawPath: string;
  /** `req.url` after `?`, exactly as sent ('' when none). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
}

export interface SigV4Scope {
  credentials: Credentials;
  region: string;
  service: string;
}

export type SigV4RefusalCode =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidAccessKeyId'
  | 'InvalidScope'
  | 'RequestTimeTooSkewed'
  | 'RequestExpired'
  | 'AuthorizationQueryParametersError'
  | 'SignatureDoesNotMatch';

export interface SigV4Refusal {
  code: SigV4RefusalCode;
  message: string;
  detail?: Record<string, string>;
}

/** Who signed: the access key and the signed parts, for the caller's identity. */
export interface SigV4Signer {
  accessKeyId: string;
  signedHeaders: string[];
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** How far a header-signed request's time may be from ours: 15 minutes for S3, 5 elsewhere. */
const clockSkewMs = (service: string) => (service === 's3' ? 15 : 5) * 60 * 1000;
/** S3's longest presigned validity: 7 days. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604800;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
export const toIsoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** RFC 3986 percent-encoding, as SigV4 encodes path segments and query parts. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseAmzDate(value: string): Date | null {
  const m = AMZ_DATE.exec(value);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

/** Each `name=value` of the query, decoded (not treating '+' as a space, as AWS does not). */
export function queryParameters(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const at = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    const name = decode(at < 0 ? part : part.slice(0, at));
    const value = at < 0 ? '' : decode(part.slice(at + 1));
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

/**
 * The canonical path: S3 signs the path as sent; other services the path with `.`/`..`
 * resolved and every segment encoded once more (what @smithy/signature-v4 does with uriEscapePath).
 */
function canonicalPath(rawPath: string, service: string): string {
  if (service === 's3') return rawPath;
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length && rawPath.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  // Names come from the request's SignedHeaders: only its own headers count, never Object.prototype's.
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ');
}

function canonicalRequest(
  request: ReceivedRequest,
  service: string,
  signedHeaders: string[],
  payloadHash: string,
  query: Map<string, string[]>,
): string {
  const record = Object.fromEntries([...query].map(([name, values]) => [name, values.length > 1 ? values : values[0]]));
  return [
    request.method,
    canonicalPath(request.rawPath, service),
    getCanonicalQuery({ query: record } as unknown as Parameters<typeof getCanonicalQuery>[0]),
    // A signed header the request lacks is signed as empty, so it cannot match.
    ...signedHeaders.map((name) => `${name}:${headerValue(request.headers, name) ?? ''}`),
    '',
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/** The day's signing key (the HMAC chain of SigV4), derived once per day, region and service. */
const signingKeys = new Map<string, Buffer>();
function signingKeyOf(scope: SigV4Scope, shortDate: string): Buffer {
  const cacheKey = [scope.credentials.secretAccessKey, shortDate, scope.region, scope.service].join('\n');
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const hmac = (k: string | Buffer, data: string) => createHmac('sha256', k).update(data).digest();
    key = hmac(
      hmac(hmac(hmac(`AWS4${scope.credentials.secretAccessKey}`, shortDate), scope.region), scope.service),
      'aws4_request',
    );
    if (signingKeys.size > 100) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

async function signatureOf(
  scope: SigV4Scope,
  shortDate: string,
  amzDate: string,
  canonical: string,
): Promise<{ signature: string; stringToSign: string }> {
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    createScope(shortDate, scope.region, scope.service),
    sha256Hex(canonical),
  ].join('\n');
  const key = signingKeyOf(scope, shortDate);
  return { signature: createHmac('sha256', key).update(stringToSign).digest('hex'), stringToSign };
}

const sameSignature = (expected: string, given: string) =>
  expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));

/** The signer, when the signature given is the one the canonical request makes; else SignatureDoesNotMatch. */
async function signedBy(
  scope: SigV4Scope,
  given: { accessKeyId: string; shortDate: string; amzDate: string; signedHeaders: string[]; signature: string },
  canonical: string,
): Promise<SigV4Signer | SigV4Refusal> {
  const expected = await signatureOf(scope, given.shortDate, given.amzDate, canonical);
  if (sameSignature(expected.signature, given.signature))
    return { accessKeyId: given.accessKeyId, signedHeaders: given.signedHeaders };
  return {
    code: 'SignatureDoesNotMatch',
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    detail: { AWSAccessKeyId: given.accessKeyId, StringToSign: expected.stringToSign, CanonicalRequest: canonical },
  };
}

/** Whether the request carries a signature at all, and in which form. */
export function signatureForm(request: Pick<ReceivedRequest, 'headers' | 'rawQuery'>): 'header' | 'query' | null {
  if (typeof request.headers.authorization === 'string' && request.headers.authorization.startsWith('AWS4-'))
    return 'header';
  if (/(^|&)X-Amz-Algorithm=/.test(request.rawQuery)) return 'query';
  return null;
}

/**
 * Checks an `Authorization: AWS4-HMAC-SHA256 …` request. `payloadHash` is what the signer
 * hashed: the body's SHA-256 (hex) or, for S3, the declared `x-amz-content-sha256` (whose
 * match with the body the caller checks once the body is read).
 */
export async function verifyHeaderSignature(
  request: ReceivedRequest,
  scope: SigV4Scope,
  payloadHash: string,
  now = new Date(),
): Promise<SigV4Signer | SigV4Refusal> {
  const header = headerValue(request.headers, 'authorization') ?? '';
  if (!header) return { code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' };
  const parsed = AUTHORIZATION.exec(header);
  if (!parsed)
    return {
      code: 'IncompleteSignature',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}`,
    };
  const [, accessKeyId, shortDate, region, service, signedHeaderList, signature] = parsed;
  if (accessKeyId !== scope.credentials.accessKeyId)
    return {
      code: 'InvalidAccessKeyId',
      message: 'The security token included in the request is invalid.',
      detail: { AWSAccessKeyId: accessKeyId },
    };
  if (region !== scope.region || service !== scope.service)
    return {
      code: 'InvalidScope',
      message: `Credential should be scoped to a valid region and the service '${scope.service}'.`,
    };
  const amzDate = headerValue(request.headers, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt || !amzDate.startsWith(shortDate))
    return { code: 'IncompleteSignature', message: 'Missing or invalid X-Amz-Date header' };
  if (Math.abs(now.getTime() - signedAt.getTime()) > clockSkewMs(scope.service))
    return {
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
      detail: { RequestTime: amzDate, ServerTime: toIsoSeconds(now) },
    };
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host'))
    return { code: 'SignatureDoesNotMatch', message: "'Host' must be a signed header" };
  const canonical = canonicalRequest(
    request,
    scope.service,
    signedHeaders,
    payloadHash,
    queryParameters(request.rawQuery),
  );
  return signedBy(scope, { accessKeyId, shortDate, amzDate, signedHeaders, signature }, canonical);
}

/**
 * S3's check of a presigned URL (SigV4 in the query string): the algorithm, the credential
 * scope, the expiry, then the signature over the method, the path, the query and each header
 * named in X-Amz-SignedHeaders as this request carries it, so a different content-type, a
 * different content-length or an edited URL fails with SignatureDoesNotMatch.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
export async function verifyQuerySignature(
  request: ReceivedRequest,
  scope: SigV4Scope,
  now = new Date(),
): Promise<SigV4Signer | SigV4Refusal> {
  const query = queryParameters(request.rawQuery);
  const param = (name: string) => query.get(name)?.[0] ?? '';
  if (param('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
    return { code: 'AuthorizationQueryParametersError', message: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"' };
  const [accessKeyId, shortDate, region, service, terminator] = param('X-Amz-Credential').split('/');
  const amzDate = param('X-Amz-Date');
  const signedAt = parseAmzDate(amzDate);
  const expires = Number(param('X-Amz-Expires'));
  const signedHeaderList = param('X-Amz-SignedHeaders');
  const signature = param('X-Amz-Signature');
  if (
    !signedAt ||
    !shortDate ||
    terminator !== 'aws4_request' ||
    !signedHeaderList ||
    !/^[0-9a-f]{64}$/.test(signature)
  ) {
    return {
      code: 'AuthorizationQueryParametersError',
      message:
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    };
  }
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_EXPIRES_SECONDS)
    return {
      code: 'AuthorizationQueryParametersError',
      message: `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_PRESIGNED_EXPIRES_SECONDS} seconds`,
    };
  if (accessKeyId !== scope.credentials.accessKeyId)
    return {
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
      detail: { AWSAccessKeyId: accessKeyId ?? '' },
    };
  if (region !== scope.region || service !== scope.service || !amzDate.startsWith(shortDate))
    return {
      code: 'AuthorizationQueryParametersError',
      message: `Error parsing the X-Amz-Credential parameter; the region '${region}' or service '${service}' is wrong; expecting '${scope.region}' and '${scope.service}'`,
    };
  const expiresAt = new Date(signedAt.getTime() + expires * 1000);
  if (now.getTime() > expiresAt.getTime())
    return {
      code: 'RequestExpired',
      message: 'Request has expired',
      detail: { 'X-Amz-Expires': String(expires), Expires: toIsoSeconds(expiresAt), ServerTime: toIsoSeconds(now) },
    };
  const signedHeaders = signedHeaderList.split(';');
  const canonical = canonicalRequest(
    request,
    scope.service,
    signedHeaders,
    query.get('X-Amz-Content-Sha256')?.[0] ?? UNSIGNED_PAYLOAD,
    query,
  );
  return signedBy(scope, { accessKeyId, shortDate, amzDate, signedHeaders, signature }, canonical);
}

export const isRefusal = (outcome: SigV4Signer | SigV4Refusal): outcome is SigV4Refusal => 'code' in outcome;

/** The request as received, from Node's message. */
export function receivedRequest(req: { method?: string; url?: string; headers: IncomingHttpHeaders }): ReceivedRequest {
  const url = req.url ?? '/';
  const at = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    rawPath: at < 0 ? url : url.slice(0, at),
    rawQuery: at < 0 ? '' : url.slice(at + 1),
    headers: req.headers,
  };
}
