import type { ObjectMeta, ObjectStore } from './object-store.ts';
import { param, readSmallBody, type S3Request } from './request.ts';
import { childList, document, element, parseXmlBody, S3Error, textOf } from './xml.ts';

/**
 * The bucket operations our code and the AWS SDK use: ListObjects (v1, with Marker),
 * ListObjectsV2, ListObjectVersions and DeleteObjects, HeadBucket, and the versioning and
 * location queries. The bucket is unversioned, as S3 reports one: every object's only version
 * is `null`, which ListObjectVersions lists and DeleteObjects takes.
 */
const MAX_KEYS = 1000;
const XML_BODY_LIMIT = 2 * 1024 * 1024;

interface Page {
  contents: ObjectMeta[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix of the page (where the next one starts after). */
  last: string | undefined;
}

function maxKeysOf(request: S3Request): number {
  const raw = param(request, 'max-keys');
  if (raw === undefined) return MAX_KEYS;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value))
    throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', {
      ArgumentName: 'max-keys',
      ArgumentValue: raw,
    });
  return Math.min(value, MAX_KEYS);
}

/** Keys after `after` under `prefix`, folded into common prefixes by `delimiter`. */
function page(store: ObjectStore, prefix: string, after: string, delimiter: string, maxKeys: number): Page {
  const out: Page = { contents: [], commonPrefixes: [], truncated: false, last: undefined };
  for (const key of store.keysAfter(prefix, after)) {
    const rest = key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const commonPrefix = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : undefined;
    if (commonPrefix !== undefined && commonPrefix === out.commonPrefixes.at(-1)) continue;
    if (out.contents.length + out.commonPrefixes.length >= maxKeys) {
      out.truncated = true;
      break;
    }
    if (commonPrefix !== undefined) {
      out.commonPrefixes.push(commonPrefix);
      out.last = commonPrefix;
    } else {
      out.contents.push(store.head(key)!);
      out.last = key;
    }
  }
  // After a common prefix, the next page starts past everything under it.
  if (out.last !== undefined && out.last === out.commonPrefixes.at(-1)) out.last = `${out.last}\u{10FFFF}`;
  return out;
}

function contentsXml(page: Page, encode: (key: string) => string, tag = 'Contents', version = false): string {
  return (
    page.contents
      .map(
        (meta) =>
          `<${tag}>${element('Key', encode(meta.key))}${version ? element('VersionId', 'null') + element('IsLatest', true) : ''}${element('LastModified', meta.lastModified)}${element('ETag', `"${meta.etag}"`)}${element('Size', meta.size)}${element('StorageClass', 'STANDARD')}</${tag}>`,
      )
      .join('') +
    page.commonPrefixes
      .map((prefix) => `<CommonPrefixes>${element('Prefix', encode(prefix))}</CommonPrefixes>`)
      .join('')
  );
}

const continuationToken = (after: string) => Buffer.from(after, 'utf8').toString('base64url');
function afterToken(token: string): string {
  const after = Buffer.from(token, 'base64url').toString('utf8');
  if (continuationToken(after) !== token)
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
    });
  return after;
}

export function bucketOperations(store: ObjectStore) {
  const answer = (request: S3Request, root: string, inner: string) => {
    request.res.writeHead(200, {
      ...request.cors,
      'content-type': 'application/xml',
      'x-amz-request-id': request.requestId,
    });
    request.res.end(document(root, inner));
  };
  const encoder = (request: S3Request) => {
    const type = param(request, 'encoding-type');
    if (type !== undefined && type !== 'url')
      throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', {
        ArgumentName: 'encoding-type',
        ArgumentValue: type,
      });
    return type === 'url' ? (key: string) => encodeURIComponent(key).replace(/%2F/gi, '/') : (key: string) => key;
  };

  return {
    listObjects(request: S3Request): void {
      const encode = encoder(request);
      const prefix = param(request, 'prefix') ?? '';
      const delimiter = param(request, 'delimiter') ?? '';
      const marker = param(request, 'marker') ?? '';
      const maxKeys = maxKeysOf(request);
      const result = page(store, prefix, marker, delimiter, maxKeys);
      answer(
        request,
        'ListBucketResult',
        element('Name', request.bucket) +
          element('Prefix', encode(prefix)) +
          element('Marker', encode(marker)) +
          element('MaxKeys', maxKeys) +
          (delimiter ? element('Delimiter', encode(delimiter)) : '') +
          element('IsTruncated', result.truncated) +
          // S3 gives NextMarker only with a delimiter; without one the last key is the marker.
          (result.truncated && delimiter && result.last ? element('NextMarker', encode(result.last)) : '') +
          (param(request, 'encoding-type') ? element('EncodingType', 'url') : '') +
          contentsXml(result, encode),
      );
    },

    listObjectsV2(request: S3Request): void {
      const encode = encoder(request);
      const prefix = param(request, 'prefix') ?? '';
      const delimiter = param(request, 'delimiter') ?? '';
      const token = param(request, 'continuation-token');
      const startAfter = param(request, 'start-after') ?? '';
      const maxKeys = maxKeysOf(request);
      const result = page(store, prefix, token !== undefined ? afterToken(token) : startAfter, delimiter, maxKeys);
      answer(
        request,
        'ListBucketResult',
        element('Name', request.bucket) +
          element('Prefix', encode(prefix)) +
          element('KeyCount', result.contents.length + result.commonPrefixes.length) +
          element('MaxKeys', maxKeys) +
          (delimiter ? element('Delimiter', encode(delimiter)) : '') +
          element('IsTruncated', result.truncated) +
          (token !== undefined ? element('ContinuationToken', token) : '') +
          (result.truncated && result.last ? element('NextContinuationToken', continuationToken(result.last)) : '') +
          (startAfter ? element('StartAfter', encode(startAfter)) : '') +
          (param(request, 'encoding-type') ? element('EncodingType', 'url') : '') +
          contentsXml(result, encode),
      );
    },

    listObjectVersions(request: S3Request): void {
      const encode = encoder(request);
      const prefix = param(request, 'prefix') ?? '';
      const delimiter = param(request, 'delimiter') ?? '';
      const keyMarker = param(request, 'key-marker') ?? '';
      const maxKeys = maxKeysOf(request);
      const result = page(store, prefix, keyMarker, delimiter, maxKeys);
      answer(
        request,
        'ListVersionsResult',
        element('Name', request.bucket) +
          element('Prefix', encode(prefix)) +
          element('KeyMarker', encode(keyMarker)) +
          element('VersionIdMarker', '') +
          element('MaxKeys', maxKeys) +
          (delimiter ? element('Delimiter', encode(delimiter)) : '') +
          element('IsTruncated', result.truncated) +
          (result.truncated && result.last
            ? element('NextKeyMarker', encode(result.last)) + element('NextVersionIdMarker', 'null')
            : '') +
          contentsXml(result, encode, 'Version', true),
      );
    },

    async deleteObjects(request: S3Request): Promise<void> {
      const xml = parseXmlBody(await readSmallBody(request, XML_BODY_LIMIT), 'Delete');
      const objects = childList(xml, 'Object');
      if (!objects.length || objects.length > MAX_KEYS)
        throw new S3Error(
          'MalformedXML',
          'The XML you provided was not well-formed or did not validate against our published schema',
        );
      const quiet = textOf(xml, 'Quiet') === 'true';
      let results = '';
      for (const object of objects) {
        const key = textOf(object, 'Key') ?? '';
        const versionId = textOf(object, 'VersionId');
        if (versionId !== undefined && versionId !== 'null') {
          results += `<Error>${element('Key', key)}${element('VersionId', versionId)}${element('Code', 'InvalidArgument')}${element('Message', 'Invalid version id specified')}</Error>`;
          continue;
        }
        await store.delete(key);
        if (!quiet) results += `<Deleted>${element('Key', key)}${element('VersionId', versionId)}</Deleted>`;
      }
      answer(request, 'DeleteResult', results);
    },

    headBucket(request: S3Request): void {
      request.res.writeHead(200, { ...request.cors, 'x-amz-request-id': request.requestId });
      request.res.end();
    },

    getBucketVersioning(request: S3Request): void {
      // Never enabled: S3 answers an empty configuration.
      answer(request, 'VersioningConfiguration', '');
    },

    getBucketLocation(request: S3Request, region: string): void {
      answer(request, 'LocationConstraint', region === 'us-east-1' ? '' : region);
    },
  };
}
