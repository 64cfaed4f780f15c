import { randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  GetCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { REPORT_INDEX, REPORT_WANTED } from '../../model/users.ts';
import { userIdByEmail } from '../shared/user-by-email.ts';
import type { ReportDeps, ReportPeriod, ReportProfile, ScheduledUser } from './core.ts';
import { isConditionFailure } from '../shared/conditional-put.ts';

/**
 * The report function's DynamoDB reads and writes: profiles, subscribers from the sparse
 * report indexes (one Query per page), the per-period send lease on the user's item, and the
 * receipt items behind export links. No Scan.
 */
const SENT: Record<ReportPeriod, string> = { WEEKLY: 'lastWeeklyReport', MONTHLY: 'lastMonthlyReport' };
const LEASE: Record<ReportPeriod, string> = { WEEKLY: 'weeklyReportLease', MONTHLY: 'monthlyReportLease' };

export function createReportStore(db: DynamoDBDocumentClient, tables: { users: string; receipts: string }) {
  return {
    async profile(owner: string): Promise<ReportProfile | null> {
      const out = await db.send(new GetCommand({ TableName: tables.users, Key: { user_id: owner } }));
      return (out.Item as ReportProfile | undefined) ?? null;
    },

    ownerByEmail: (email: string) => userIdByEmail(db, tables.users, email),

    schedule: {
      async *subscribers(period: ReportPeriod, pageSize = 100): AsyncGenerator<ScheduledUser[]> {
        for await (const out of paginateQuery(
          { client: db },
          {
            TableName: tables.users,
            IndexName: REPORT_INDEX[period].indexName,
            KeyConditionExpression: '#flag = :yes',
            ExpressionAttributeNames: { '#flag': REPORT_INDEX[period].attribute },
            ExpressionAttributeValues: { ':yes': REPORT_WANTED },
            Limit: pageSize,
          },
        ))
          yield (out.Items ?? []).map((item) => ({
            ...(item as ReportProfile),
            lastSent: (item[SENT[period]] as string | undefined) ?? null,
          }));
      },

      async lease(owner, period, periodStart, now, leaseMs) {
        const leaseId = randomUUID();
        try {
          await db.send(
            new UpdateCommand({
              TableName: tables.users,
              Key: { user_id: owner },
              UpdateExpression: 'SET #lease = :lease',
              // Not sent for this period yet, and no live lease on it (another period's, or an expired one, is free).
              ConditionExpression:
                'attribute_exists(user_id) AND (attribute_not_exists(#sent) OR #sent < :start) AND (attribute_not_exists(#lease) OR #lease.periodStart <> :start OR #lease.expiresAt < :now)',
              ExpressionAttributeNames: { '#sent': SENT[period], '#lease': LEASE[period] },
              ExpressionAttributeValues: {
                ':start': periodStart,
                ':now': now.toISOString(),
                ':lease': { periodStart, leaseId, expiresAt: new Date(now.getTime() + leaseMs).toISOString() },
              },
            }),
          );
          return leaseId;
        } catch (error) {
          if (isConditionFailure(error)) return null;
          throw error;
        }
      },

      async complete(owner, period, periodStart, leaseId) {
        try {
          await db.send(
            new UpdateCommand({
              TableName: tables.users,
              Key: { user_id: owner },
              UpdateExpression: 'SET #sent = :start REMOVE #lease',
              // Ours to finish; should it have expired and been retaken, the sent mark still lands.
              ConditionExpression:
                'attribute_exists(user_id) AND (#lease.leaseId = :lease OR attribute_not_exists(#sent) OR #sent < :start)',
              ExpressionAttributeNames: { '#sent': SENT[period], '#lease': LEASE[period] },
              ExpressionAttributeValues: { ':start': periodStart, ':lease': leaseId },
            }),
          );
        } catch (error) {
          // Already recorded (by whoever retook an expired lease): nothing left to do.
          if (!isConditionFailure(error)) throw error;
        }
      },

      async release(owner, period, _periodStart, leaseId) {
        try {
          await db.send(
            new UpdateCommand({
              TableName: tables.users,
              Key: { user_id: owner },
              UpdateExpression: 'REMOVE #lease',
              ConditionExpression: '#lease.leaseId = :lease',
              ExpressionAttributeNames: { '#lease': LEASE[period] },
              ExpressionAttributeValues: { ':lease': leaseId },
            }),
          );
        } catch (error) {
          // Someone else's lease by now: leave it.
          if (!isConditionFailure(error)) throw error;
        }
      },
    } satisfies ReportDeps['schedule'],

    /** S3 keys of the owner's receipt images, by receipt id: one BatchGetItem per 100 ids, keyed on the owner. */
    async receiptKeys(owner: string, receiptIds: string[]): Promise<Map<string, string>> {
      const keys = new Map<string, string>();
      for (let i = 0; i < receiptIds.length; i += 100) {
        let request:
          Record<string, { Keys: Array<Record<string, unknown>>; ProjectionExpression: string }> | undefined = {
          [tables.receipts]: {
            Keys: receiptIds.slice(i, i + 100).map((id) => ({ user_id: owner, receipt_id: id })),
            ProjectionExpression: 'receipt_id, s3Key',
          },
        };
        // BatchGetItem may answer part of a batch and return the rest as UnprocessedKeys.
        for (let round = 0; request && Object.keys(request).length && round < 5; round += 1) {
          const out = await db.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of out.Responses?.[tables.receipts] ?? [])
            if (item.s3Key) keys.set(item.receipt_id as string, item.s3Key as string);
          request = out.UnprocessedKeys as typeof request;
          if (request && Object.keys(request).length)
            await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
        }
      }
      return keys;
    },
  };
}
