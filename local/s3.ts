import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createScope, getCanonicalQuery, getSigningKey } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import S3rver from 's3rver';
import { RECEIPTS_BUCKET_CORS } from '../infra/receipts-bucket-cors.ts';

/**
 * The S3 stand-in: s3rver on 127.0.0.1 stores the objects (under `DATA_DIR/s3`), behind a
 * front that does what s3rver does not and S3 does: it verifies presigned (query-string
 * SigV4) requests, their expiry and every signed header, checks `x-amz-checksum-sha256`
 * against the bytes, and answers CORS preflights by the receipts bucket's CORS rule
 * (infra/receipts-bucket-cors.ts), each refusal in S3's XML error shape. Requests signed in
 * the Authorization header (the SDK clients of the functions) pass to s3rver as they are.
 * Object-created events reach `onObjectCreated` in the real S3 event shape.
 */
export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  dataDir: string;
  bucket: string;
  region: string;
  /** The key pair SDK clients sign with; presigned URLs are verified against it. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  onObjectCreated: (event: S3Event) => void;
  host?: string;
}

const require = createRequire(import.meta.url);
// s3rver's own error type renders S3's XML error body with S3's status code for each code.
const S3Error = require('s3rver/lib/models/error.js') as new (code: string, message: string, detail?: Record<string, unknown>) => Error & {
  status: number;
  toXML(): string;
};

/** The bucket's CORS rule in S3's XML, for s3rver to add CORS headers to the responses it serves. */
function corsXml(): string {
  const rule = RECEIPTS_BUCKET_CORS;
  const tags = (name: string, values: readonly string[]) => values.map((v) => `<${name}>${v}</${name}>`).join('');
  return `<CORSConfiguration><CORSRule>${tags('AllowedOrigin', ['*'])}${tags('AllowedMethod', rule.allowedMethods)}${tags('AllowedHeader', rule.allowedHeaders)}${tags('ExposeHeader', rule.exposedHeaders)}<MaxAgeSeconds>${rule.maxAgeSeconds}</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

/** How S3 writes keys into event notifications: URL-encoded, '+' for spaces, '/' kept. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/gi, '/');
}

/** s3rver's event, corrected to what S3 really sends (encoded key, valid ARN, region). */
export function toS3Event(raw: S3Event, region: string): S3Event {
  return {
    Records: raw.Records.map(
      (r): S3EventRecord => ({
        ...r,
        awsRegion: region,
        s3: {
          ...r.s3,
          configurationId: 'ReceiptUploaded',
          bucket: { ...r.s3.bucket, arn: `arn:aws:s3:::${r.s3.bucket.name}` },
          object: { ...r.s3.object, key: encodeS3EventKey(r.s3.object.key) },
        },
      }),
    ),
  };
}

/** A request S3 refuses: its error code, message and the detail elements of the XML body. */
interface S3Refusal {
  code: string;
  message: string;
  detail?: Record<string, string>;
  /** When S3's status for the code is not the usual one for it. */
  status?: number;
}

interface PresignedRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded): S3 signs it as it is. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** S3's longest presigned validity: 7 days. */
const MAX_EXPIRES_SECONDS = 604800;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const toIso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * S3's check of a presigned URL (SigV4 in the query string): the algorithm, the credential
 * scope, the expiry, then the signature over the method, the path, the query and each header
 * named in X-Amz-SignedHeaders as this request carries it, so a different content-type, a
 * different content-length or an edited URL fails with SignatureDoesNotMatch.
 * See docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html.
 */
async function checkPresignedRequest(
  request: PresignedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
  now: Date,
): Promise<S3Refusal | null> {
  const q = request.query;
  const param = (name: string) => q.get(name) ?? '';
  if (param('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
    return { code: 'AuthorizationQueryParametersError', message: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"' };
  }
  const [accessKeyId, shortDate, scopeRegion, service, terminator] = param('X-Amz-Credential').split('/');
  const amzDate = AMZ_DATE.exec(param('X-Amz-Date'));
  const expires = Number(param('X-Amz-Expires'));
  const signedHeaders = param('X-Amz-SignedHeaders');
  const signature = param('X-Amz-Signature');
  if (!amzDate || !shortDate || terminator !== 'aws4_request' || !signedHeaders || !/^[0-9a-f]{64}$/.test(signature)) {
    return { code: 'AuthorizationQueryParametersError', message: 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.' };
  }
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) {
    return { code: 'AuthorizationQueryParametersError', message: `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_EXPIRES_SECONDS} seconds` };
  }
  if (accessKeyId !== credentials.accessKeyId) {
    return { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.', detail: { AWSAccessKeyId: accessKeyId ?? '' } };
  }
  if (scopeRegion !== region || service !== 's3' || !param('X-Amz-Date').startsWith(shortDate)) {
    return { code: 'AuthorizationQueryParametersError', message: `Error parsing the X-Amz-Credential parameter; the region '${scopeRegion}' or service '${service}' is wrong; expecting '${region}' and 's3'` };
  }
  const signedAt = new Date(Date.UTC(+amzDate[1], +amzDate[2] - 1, +amzDate[3], +amzDate[4], +amzDate[5], +amzDate[6]));
  const expiresAt = new Date(signedAt.getTime() + expires * 1000);
  if (now.getTime() > expiresAt.getTime()) {
    return { code: 'AccessDenied', message: 'Request has expired', detail: { 'X-Amz-Expires': String(expires), Expires: toIso(expiresAt), ServerTime: toIso(now) } };
  }

  // A signed header the request lacks is signed as empty, so it cannot match.
  const names = signedHeaders.split(';');
  const headerValue = (name: string) => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
  };
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(q.keys())) query[key] = q.getAll(key).length > 1 ? q.getAll(key) : q.get(key)!;
  const canonicalRequest = [
    request.method,
    request.rawPath,
    getCanonicalQuery({ query } as Parameters<typeof getCanonicalQuery>[0]),
    ...names.map((name) => `${name}:${headerValue(name)}`),
    '',
    signedHeaders,
    q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = createScope(shortDate, region, 's3');
  const stringToSign = ['AWS4-HMAC-SHA256', param('X-Amz-Date'), scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = await getSigningKey(Sha256, credentials, shortDate, region, 's3');
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    return {
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      detail: {
        AWSAccessKeyId: accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: signature,
        StringToSignBytes: hex(Buffer.from(stringToSign)).replace(/(..)(?!$)/g, '$1 '),
        CanonicalRequest: canonicalRequest,
        CanonicalRequestBytes: hex(Buffer.from(canonicalRequest)).replace(/(..)(?!$)/g, '$1 '),
      },
    };
  }
  return null;
}

/** An AllowedOrigin / AllowedHeader of a CORS rule: may hold one `*` wildcard. */
function wildcardMatch(pattern: string, value: string): boolean {
  const [head, ...rest] = pattern.toLowerCase().split('*');
  const lower = value.toLowerCase();
  return rest.length === 0 ? lower === head : lower.startsWith(head) && lower.endsWith(rest.join('*')) && lower.length >= head.length + rest.join('*').length;
}

interface CorsRule {
  allowedOrigins: readonly string[];
  allowedMethods: readonly string[];
  allowedHeaders: readonly string[];
  exposedHeaders: readonly string[];
  maxAgeSeconds: number;
}

/**
 * S3's answer to a CORS preflight: allowed when the origin, the requested method and every
 * requested header match the rule (docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html).
 */
function preflightAnswer(rule: CorsRule, headers: IncomingMessage['headers']): { allowed: Record<string, string> } | { refusal: S3Refusal } {
  const origin = String(headers.origin ?? '');
  const method = String(headers['access-control-request-method'] ?? '');
  if (!origin) return { refusal: { code: 'BadRequest', status: 400, message: 'Insufficient information. Origin request header needed.' } };
  if (!method) return { refusal: { code: 'BadRequest', status: 400, message: 'Invalid Access-Control-Request-Method: null' } };
  const requested = String(headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const matches =
    rule.allowedOrigins.some((o) => wildcardMatch(o, origin)) &&
    rule.allowedMethods.includes(method) &&
    requested.every((h) => rule.allowedHeaders.some((pattern) => wildcardMatch(pattern, h)));
  if (!matches) {
    return {
      refusal: {
        code: 'AccessForbidden',
        status: 403,
        message: "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        detail: { Method: method, ResourceType: 'OBJECT' },
      },
    };
  }
  return {
    allowed: {
      'access-control-allow-origin': rule.allowedOrigins.includes('*') ? '*' : origin,
      'access-control-allow-methods': rule.allowedMethods.join(', '),
      ...(requested.length ? { 'access-control-allow-headers': requested.join(', ') } : {}),
      'access-control-expose-headers': rule.exposedHeaders.join(', '),
      'access-control-max-age': String(rule.maxAgeSeconds),
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    },
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendRefusal(res: ServerResponse, refusal: S3Refusal, extraHeaders: Record<string, string> = {}): void {
  const error = new S3Error(refusal.code, refusal.message, refusal.detail ?? {});
  res.writeHead(refusal.status ?? error.status, { 'content-type': 'application/xml', 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(), ...extraHeaders });
  res.end(error.toXML());
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const host = options.host ?? '127.0.0.1';
  // s3rver checks that a request's access key exists in its account registry: register the local key pair.
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  DUMMY_ACCOUNT.createKeyPair(options.credentials.accessKeyId, options.credentials.secretAccessKey);
  const store = new S3rver({
    address: host,
    port: 0,
    directory: path.join(options.dataDir, 's3'),
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [corsXml()] }],
  });
  store.on('event', (raw: S3Event) => {
    if (raw.Records.every((r) => r.eventName.startsWith('ObjectCreated:'))) options.onObjectCreated(toS3Event(raw, options.region));
  });
  const storeAddress = await store.run();
  // Locally any origin may upload (infra narrows it with the corsOrigins context).
  const cors: CorsRule = { ...RECEIPTS_BUCKET_CORS, allowedOrigins: ['*'] };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawPath = (req.url ?? '/').split('?')[0];
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const corsHeaders: Record<string, string> = req.headers.origin ? { 'access-control-allow-origin': '*', 'access-control-expose-headers': cors.exposedHeaders.join(', ') } : {};
    if (req.method === 'OPTIONS') {
      const answer = preflightAnswer(cors, req.headers);
      if ('refusal' in answer) return sendRefusal(res, answer.refusal);
      res.writeHead(200, answer.allowed);
      res.end();
      return;
    }
    // The body is read whole only when it must be checked (small: receipts), else streamed.
    let body: Buffer | undefined;
    const refuse = async (refusal: S3Refusal) => {
      if (!body) await readAll(req);
      sendRefusal(res, refusal, corsHeaders);
    };
    if (query.has('X-Amz-Algorithm')) {
      const refusal = await checkPresignedRequest({ method: req.method ?? 'GET', rawPath, query, headers: req.headers }, options.credentials, options.region, new Date());
      if (refusal) return refuse(refusal);
    }
    const checksum = req.headers['x-amz-checksum-sha256'];
    if (req.method === 'PUT' && typeof checksum === 'string') {
      body = await readAll(req);
      if (createHash('sha256').update(body).digest('base64') !== checksum) {
        return refuse({ code: 'BadDigest', message: 'The SHA256 you specified did not match the calculated checksum.' });
      }
    }
    const forwarded = httpRequest({ host, port: storeAddress.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => {
      if (!res.headersSent) sendRefusal(res, { code: 'InternalError', message: 'We encountered an internal error. Please try again.' });
      else res.destroy();
    });
    if (body) forwarded.end(body);
    else req.pipe(forwarded);
  }

  const front = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendRefusal(res, { code: 'InternalError', message: 'We encountered an internal error. Please try again.' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, host, () => resolve());
  });
  const port = (front.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${port}`,
    async stop() {
      await new Promise<void>((resolve) => {
        front.close(() => resolve());
        front.closeAllConnections();
      });
      await store.close();
    },
  };
}
