import { createHash } from 'node:crypto';
import { FieldError } from '../shared/field-call.ts';

/**
 * SearchFn's page tokens: a cursor as base64url JSON carrying `s`, a tag of the caller and the
 * listing (`pageTag`), so a token only continues the listing of whoever got it: another user's
 * token, or one of another listing, reads exactly like a malformed one.
 */
export const pageTag = (listing: unknown[]): string =>
  createHash('sha256').update(JSON.stringify(listing)).digest('base64url').slice(0, 16);

export const encodePageToken = <C extends { s: string }>(cursor: C): string =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** The cursor of a token made for `tag` that `wellFormed` accepts; a ValidationError on nextToken saying `message` otherwise. */
export function decodePageToken<C extends { s: string }>(
  token: string,
  tag: string,
  wellFormed: (cursor: C) => boolean,
  message: string,
): C {
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as C;
    if (cursor?.s === tag && wellFormed(cursor)) return cursor;
  } catch {
    // Falls through to the typed error.
  }
  throw new FieldError('ValidationError', message, { field: 'nextToken' });
}
