import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  ECB_SERIES,
  userRatePeriodOf,
  userRateSeriesOf,
  type EcbMonthItem,
  type UserRateItem,
} from '../../../model/rates.ts';
import type { RateStore } from './rate-book.ts';

/** The Rates table (model/rates.ts): every lookup one Query on the key, never a Scan. */
export function createDynamoRateStore(db: DynamoDBDocumentClient, table: string): RateStore & EcbMonthWriter {
  return {
    async ecbMonths(month) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'series = :s AND period <= :m',
          ExpressionAttributeValues: { ':s': ECB_SERIES, ':m': month },
          ScanIndexForward: false,
          Limit: 2,
        }),
      );
      return (out.Items ?? []) as EcbMonthItem[];
    },

    async userRate(owner, currency, date) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'series = :s AND period BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':s': userRateSeriesOf(owner),
            ':from': `${currency}#`,
            ':to': userRatePeriodOf(currency, date),
          },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      return ((out.Items ?? [])[0] as UserRateItem | undefined) ?? null;
    },

    async newestEcbMonth() {
      return (await this.ecbMonths('9999-99'))[0] ?? null;
    },

    async putEcbMonths(items) {
      // 25 items per BatchWriteItem; unprocessed ones are sent again.
      for (let i = 0; i < items.length; i += 25) {
        let requests: Record<string, unknown>[] | undefined = items
          .slice(i, i + 25)
          .map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests?.length; attempt += 1) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
          requests = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
        }
      }
    },
  };
}

/** What the rates refresh writes. */
export interface EcbMonthWriter {
  /** The newest ECB month stored, or null when there is none. */
  newestEcbMonth(): Promise<EcbMonthItem | null>;
  putEcbMonths(items: EcbMonthItem[]): Promise<void>;
}
