/**
 * What can be an item's id: DynamoDB refuses a key attribute that is empty or, for a sort key,
 * longer than 1,024 bytes, so such an id names no item and must be answered as a missing one
 * (NotFound), not sent to DynamoDB (whose refusal would be an internal error). Ids are ULIDs
 * (26 characters) or budget ids (a category and a period); 256 characters, at most 1,024 bytes
 * in UTF-8, bounds them all.
 */
export const MAX_ITEM_ID_LENGTH = 256;

export function isItemId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ITEM_ID_LENGTH;
}
