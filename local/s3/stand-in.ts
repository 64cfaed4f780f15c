import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { S3Event } from 'aws-lambda';
import { RECEIPTS_BUCKET_CORS } from '../../infra/receipts-bucket-cors.ts';
import { discardRest } from '../server/request-body.ts';
import {
  isRefusal,
  queryParameters,
  receivedRequest,
  signatureForm,
  UNSIGNED_PAYLOAD,
  verifyHeaderSignature,
  verifyQuerySignature,
  type Credentials,
  type SigV4Refusal,
} from '../server/sigv4.ts';
import { bucketOperations } from './bucket-operations.ts';
import { corsHeaders, preflightAnswer, type CorsRule } from './cors.ts';
import { objectCreatedEvent } from './events.ts';
import { createMultipartUploads } from './multipart.ts';
import { openObjectStore } from './object-store.ts';
import { objectOperations } from './object-operations.ts';
import { hasParam, type S3Request } from './request.ts';
import { newRequestId, notSupportedLocally, S3Error, sendError } from './xml.ts';

/**
 * The S3 stand-in: one bucket, path-style, served on the API's port under `/s3` so presigned
 * links keep working across restarts on the same PORT. As S3 does for a private bucket, every
 * request but a CORS preflight must be signed with the local credentials (SigV4 in the
 * `Authorization` header, or a presigned URL within its expiry), and every signed header and
 * declared checksum must match. Objects persist under `DATA_DIR/s3/<bucket>`; created objects
 * are announced in S3's event shape.
 */
export const S3_PATH = '/s3';

export interface LocalS3Options {
  dataDir: string;
  bucket: string;
  region: string;
  credentials: Credentials;
  onObjectCreated(event: S3Event): void;
  log?: (line: string) => void;
}

export interface LocalS3 {
  ownPreflight: true;
  matches(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  stop(): Promise<void>;
}

const ACCESS_DENIED = () => new S3Error('AccessDenied', 'Access Denied');

/** A SigV4 refusal in S3's words. */
function s3RefusalOf(refusal: SigV4Refusal): S3Error {
  switch (refusal.code) {
    case 'RequestExpired':
      return new S3Error('AccessDenied', refusal.message, refusal.detail);
    case 'IncompleteSignature':
    case 'InvalidScope':
      return new S3Error('AuthorizationHeaderMalformed', refusal.message);
    case 'MissingAuthenticationToken':
      return ACCESS_DENIED();
    default:
      return new S3Error(refusal.code, refusal.message, refusal.detail);
  }
}

/** The bucket and key of a path-style path under S3_PATH, decoded. */
function locate(rawPath: string): { bucket: string; key: string } {
  const rest = rawPath.slice(S3_PATH.length).replace(/^\//, '');
  const slash = rest.indexOf('/');
  try {
    return slash < 0
      ? { bucket: decodeURIComponent(rest), key: '' }
      : { bucket: decodeURIComponent(rest.slice(0, slash)), key: decodeURIComponent(rest.slice(slash + 1)) };
  } catch {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.");
  }
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const store = await openObjectStore(path.join(options.dataDir, 's3', options.bucket));
  const uploads = createMultipartUploads(store);
  // Locally any origin may upload (infra narrows it with the corsOrigins context).
  const cors: CorsRule = { ...RECEIPTS_BUCKET_CORS, allowedOrigins: ['*'] };
  const scope = { credentials: options.credentials, region: options.region, service: 's3' };
  const objects = objectOperations({
    store,
    uploads,
    created(request, eventName, meta) {
      options.onObjectCreated(
        objectCreatedEvent({
          eventName,
          region: options.region,
          bucket: request.bucket,
          key: meta.key,
          size: meta.size,
          etag: meta.etag,
          sourceIp: request.sourceIp,
          requestId: request.requestId,
          principalId: request.principalId,
        }),
      );
    },
  });
  const buckets = bucketOperations(store);

  /** Checks the signature; the payload hash a header-signed request declared, to check against its body. */
  async function authenticate(req: IncomingMessage): Promise<{ declaredSha256: string | null; principalId: string }> {
    const received = receivedRequest(req);
    const form = signatureForm(received);
    if (!form) throw ACCESS_DENIED();
    if (form === 'query') {
      const outcome = await verifyQuerySignature(received, scope);
      if (isRefusal(outcome)) throw s3RefusalOf(outcome);
      return { declaredSha256: null, principalId: outcome.accessKeyId };
    }
    const declared = req.headers['x-amz-content-sha256'];
    if (typeof declared !== 'string')
      throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    if (declared !== UNSIGNED_PAYLOAD && !/^[0-9a-f]{64}$/.test(declared))
      // aws-chunked uploads: the SDK sends them only with flexible checksums, which our clients do not ask for.
      throw notSupportedLocally(`x-amz-content-sha256: ${declared.slice(0, 64)} (aws-chunked uploads)`);
    const outcome = await verifyHeaderSignature(received, scope, declared);
    if (isRefusal(outcome)) throw s3RefusalOf(outcome);
    return { declaredSha256: declared === UNSIGNED_PAYLOAD ? null : declared, principalId: outcome.accessKeyId };
  }

  async function dispatch(request: S3Request): Promise<void> {
    const { method, key } = request;
    if (!request.bucket) throw notSupportedLocally('ListBuckets');
    if (request.bucket !== options.bucket)
      throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: request.bucket });
    if (!key) {
      if (method === 'HEAD') return buckets.headBucket(request);
      if (method === 'GET' && hasParam(request, 'versions')) return buckets.listObjectVersions(request);
      if (method === 'GET' && hasParam(request, 'versioning')) return buckets.getBucketVersioning(request);
      if (method === 'GET' && hasParam(request, 'location')) return buckets.getBucketLocation(request, options.region);
      if (method === 'GET' && request.query.get('list-type')?.[0] === '2') return buckets.listObjectsV2(request);
      if (method === 'GET' && ![...request.query.keys()].some((name) => !LIST_PARAMETERS.has(name)))
        return buckets.listObjects(request);
      if (method === 'POST' && hasParam(request, 'delete')) return buckets.deleteObjects(request);
      throw notSupportedLocally(`${method} on the bucket with ?${[...request.query.keys()].join('&').slice(0, 100)}`);
    }
    if (method === 'PUT' && hasParam(request, 'uploadId')) return objects.uploadPart(request);
    if (method === 'PUT') return objects.putObject(request);
    if (method === 'GET' || method === 'HEAD') return objects.getObject(request, method === 'HEAD');
    if (method === 'DELETE' && hasParam(request, 'uploadId')) return objects.abortMultipartUpload(request);
    if (method === 'DELETE') return objects.deleteObject(request);
    if (method === 'POST' && hasParam(request, 'uploads')) return objects.createMultipartUpload(request);
    if (method === 'POST' && hasParam(request, 'uploadId')) return objects.completeMultipartUpload(request);
    throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
      Method: method,
      ResourceType: 'OBJECT',
    });
  }

  return {
    ownPreflight: true,
    matches: (req) => {
      const pathname = (req.url ?? '').split('?')[0];
      return pathname === S3_PATH || pathname.startsWith(`${S3_PATH}/`);
    },

    async handle(req, res) {
      const requestId = newRequestId();
      const method = req.method ?? 'GET';
      const answerCors = corsHeaders(cors, req.headers);
      try {
        if (method === 'OPTIONS') {
          res.writeHead(200, { ...preflightAnswer(cors, req.headers), 'x-amz-request-id': requestId });
          res.end();
          return;
        }
        const received = receivedRequest(req);
        const { declaredSha256, principalId } = await authenticate(req);
        await dispatch({
          req,
          res,
          method,
          ...locate(received.rawPath),
          query: queryParameters(received.rawQuery),
          requestId,
          cors: answerCors,
          declaredSha256,
          principalId,
          sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        });
      } catch (error) {
        const s3Error =
          error instanceof S3Error
            ? error
            : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
        if (!(error instanceof S3Error)) options.log?.(`[s3] ${method} ${req.url} failed: ${(error as Error).stack}`);
        // A refusal before the body was read: drop the rest (bounded) and close after the answer.
        discardRest(req, res);
        sendError(res, s3Error, requestId, answerCors, method);
      }
    },

    async stop() {
      await uploads.endAll();
    },
  };
}

/** The query parameters of ListObjects (v1): a GET on the bucket with any other is another operation. */
const LIST_PARAMETERS = new Set(['prefix', 'delimiter', 'marker', 'max-keys', 'encoding-type']);
