import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { receiptRetentionDaysOf } from '../../model/data-lifecycle.ts';

const DAY_MS = 86_400_000;

/**
 * `YYYY-MM-DD` (UTC) `days` after the instant `iso`: the day an image uploaded then expires under
 * a retention of `days` (the key of the receipts' image-expiry-index, model/tables.ts). Shared by
 * ReceiptFn (a new receipt) and AccountFn (a new retention applied, the daily sweep).
 */
export function imageExpiryDay(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The owner's image retention in days, read from their profile (the default when they set none). */
export function retentionDaysReader(
  db: DynamoDBDocumentClient,
  usersTable: string,
): (owner: string) => Promise<number> {
  return async (owner) => {
    const out = await db.send(
      new GetCommand({ TableName: usersTable, Key: { user_id: owner }, ProjectionExpression: 'receiptRetentionDays' }),
    );
    return receiptRetentionDaysOf(out.Item);
  };
}
