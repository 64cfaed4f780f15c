/**
 * What can be an item's id: DynamoDB refuses a key attribute that is empty or, for a sort key,
 * longer than 1,024 bytes in UTF-8 (a partition key: 2,048), so such an id names no item and
 * must be answered as a missing one (NotFound), not sent to DynamoDB (whose refusal would be an
 * internal error). Ids are sort keys, some stored under a prefix (a recurring rule's
 * `RULE#<series id>`, a series id being the merchant's key and more, hundreds of characters
 * long): the limit is on the key as stored, in bytes, not on the id's characters.
 * Valid APPSYNC_JS: the resolvers run it.
 */
export const MAX_SORT_KEY_BYTES = 1024;

/**
 * Bytes of `text` in UTF-8, as DynamoDB counts a key (and as the SDK encodes it: a lone
 * surrogate becomes U+FFFD, 3 bytes). By code unit, compared as strings: APPSYNC_JS has
 * neither TextEncoder nor charCodeAt.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  let highSurrogate = false;
  for (const unit of text.split('')) {
    if (highSurrogate && unit >= '\udc00' && unit <= '\udfff') {
      // The pair is one code point of 4 bytes: its high half was counted as 3 (a lone one's).
      bytes += 1;
      highSurrogate = false;
    } else {
      bytes += unit < '\u0080' ? 1 : unit < '\u0800' ? 2 : 3;
      highSurrogate = unit >= '\ud800' && unit <= '\udbff';
    }
  }
  return bytes;
}

/** Whether `id` can be the id of a stored item: a non-empty string whose key (`keyPrefix` + id) fits a sort key. */
export function isItemId(id: unknown, keyPrefix?: string): id is string {
  return typeof id === 'string' && id.length > 0 && utf8ByteLength((keyPrefix || '') + id) <= MAX_SORT_KEY_BYTES;
}
