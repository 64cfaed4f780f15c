import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parseXML } from '@aws-sdk/xml-builder';

/**
 * S3's XML: error bodies with their status codes, the documents the stand-in answers with,
 * and the two request bodies it reads (DeleteObjects, CompleteMultipartUpload) parsed with the
 * AWS SDK's own XML parser.
 */
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const escapeXml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** `<Name>value</Name>`, the value escaped; nothing for undefined. */
export const element = (name: string, value: string | number | boolean | undefined | null): string =>
  value === undefined || value === null ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;

export const document = (root: string, inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;

/** The status S3 answers each error code with (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). */
const STATUS_OF: Record<string, number> = {
  AccessDenied: 403,
  AccessForbidden: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  BadRequest: 400,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidDigest: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRequest: 400,
  InvalidURI: 400,
  MalformedXML: 400,
  MaxMessageLengthExceeded: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchUpload: 404,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
};

/** A request S3 refuses: its error code, message and the detail elements of the XML body. */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail: Record<string, string> = {},
    readonly status = STATUS_OF[code] ?? 400,
  ) {
    super(message);
    this.name = 'S3Error';
  }
}

/**
 * What S3 would do and the local stand-in does not (CopyObject, ListBuckets, bucket settings):
 * S3 answers a feature it lacks with 501 NotImplemented; a local refusal of something S3 has
 * is the client's to change, so it is a 400 that names it.
 */
export const notSupportedLocally = (what: string) =>
  new S3Error('InvalidRequest', `${what} is not supported by the local S3 stand-in`);

export const newRequestId = () => randomBytes(8).toString('hex').toUpperCase();

export function sendError(
  res: ServerResponse,
  error: S3Error,
  requestId: string,
  extraHeaders: Record<string, string> = {},
  method = 'GET',
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${element('Code', error.code)}${element('Message', error.message)}${Object.entries(
    error.detail,
  )
    .map(([name, value]) => element(name, value))
    .join('')}${element('RequestId', requestId)}${element('HostId', requestId)}</Error>`;
  res.writeHead(error.status, {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
    'x-amz-id-2': requestId,
    ...extraHeaders,
  });
  // HEAD answers carry no body, as S3's do.
  res.end(method === 'HEAD' ? undefined : body);
}

/** A request body S3 reads as XML; MalformedXML when it is not the document expected. */
export function parseXmlBody(body: Buffer, root: string): Record<string, unknown> {
  let parsed: Record<string, unknown>;
  try {
    parsed = parseXML(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new S3Error(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  }
  const value = Object.hasOwn(parsed, root) ? parsed[root] : undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new S3Error(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
    );
  return value as Record<string, unknown>;
}

/** One or many `<Name>` children as a list (the parser gives one as an object, many as an array). */
export function childList(parent: Record<string, unknown>, name: string): Array<Record<string, unknown>> {
  const value = Object.hasOwn(parent, name) ? parent[name] : undefined;
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is Record<string, unknown> => !!item && typeof item === 'object');
}

export const textOf = (parent: Record<string, unknown>, name: string): string | undefined => {
  const value = Object.hasOwn(parent, name) ? parent[name] : undefined;
  return typeof value === 'string' ? value : undefined;
};
