/** The inverse of receiptObjectKey; null for any other key (S3 events for other objects are ignored). */
export function parseReceiptObjectKey(key: string): { owner: string; receiptId: string } | null {
  const match = /^receipts\/([^/]+)\/([0-9A-HJKMNP-TV-Z]{26})\.[a-z]+$/.exec(key);
  return match ? { owner: match[1], receiptId: match[2] } : null;
}
