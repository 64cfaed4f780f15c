import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { JOB_PENDING, JOB_PENDING_INDEX, JOB_RETENTION_DAYS, type JobError, type JobItem } from '../../model/jobs.ts';
import type { JobLease, JobStore } from './jobs.ts';
import { isConditionFailure } from './conditional-put.ts';

/** Conditional writes: false when the condition did not hold. */
export async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * The leases of items run in the background (jobs, statement imports; functions/shared/jobs.ts), as
 * the parts of an UpdateCommand on the item: claim (RUNNING under the lease, attempts + 1: a
 * PENDING item, or a RUNNING one whose lease ran out or is void, with attempts left), renew, release.
 */
export const leaseWrites = {
  claim: (keyAttribute: string, lease: JobLease, maxAttempts: number) => ({
    UpdateExpression:
      'SET #status = :running, lease_id = :lease, lease_until = :until, leased_at = :now, updatedAt = :nowIso ADD attempts :one',
    ConditionExpression:
      `attribute_exists(${keyAttribute}) AND (attribute_not_exists(attempts) OR attempts < :max) AND (#status = :pending OR (#status = :running AND ` +
      '(attribute_not_exists(lease_until) OR lease_until < :now OR leased_at < :voidBefore)))',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':running': 'RUNNING',
      ':pending': 'PENDING',
      ':lease': lease.id,
      ':until': lease.until,
      ':now': lease.now,
      ':nowIso': new Date(lease.now).toISOString(),
      ':one': 1,
      ':max': maxAttempts,
      ':voidBefore': lease.voidBefore ?? 0,
    },
    ReturnValues: 'ALL_NEW' as const,
  }),
  renew: (leaseId: string, until: number) => ({
    UpdateExpression: 'SET lease_until = :until',
    ConditionExpression: 'lease_id = :lease AND #status = :running',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':until': until, ':lease': leaseId, ':running': 'RUNNING' },
  }),
  release: (leaseId: string, nowIso: string) => ({
    UpdateExpression: 'SET updatedAt = :nowIso REMOVE lease_until',
    ConditionExpression: 'lease_id = :lease AND #status = :running',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':lease': leaseId, ':running': 'RUNNING', ':nowIso': nowIso },
  }),
};

/** The Jobs table (model/tables.ts) behind the job runner's port. */
export function createJobStore(db: DynamoDBDocumentClient, table: string): JobStore {
  const key = (owner: string, jobId: string) => ({ user_id: owner, job_id: jobId });
  const expiresAt = (nowIso: string) => Math.floor(Date.parse(nowIso) / 1000) + JOB_RETENTION_DAYS * 86400;
  return {
    async get(owner, jobId) {
      const out = await db.send(new GetCommand({ TableName: table, Key: key(owner, jobId), ConsistentRead: true }));
      return (out.Item as JobItem | undefined) ?? null;
    },

    async claim(owner, jobId, lease: JobLease, maxAttempts) {
      try {
        const out = await db.send(
          new UpdateCommand({
            TableName: table,
            Key: key(owner, jobId),
            ...leaseWrites.claim('job_id', lease, maxAttempts),
          }),
        );
        return out.Attributes as JobItem;
      } catch (error) {
        if (isConditionFailure(error)) return null;
        throw error;
      }
    },

    renew: (owner, jobId, leaseId, until) =>
      conditional(() =>
        db.send(new UpdateCommand({ TableName: table, Key: key(owner, jobId), ...leaseWrites.renew(leaseId, until) })),
      ),

    finish: (owner, jobId, leaseId, outcome: { result: unknown } | { error: JobError }, nowIso) =>
      conditional(() =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: key(owner, jobId),
            UpdateExpression:
              'SET #status = :status, #outcome = :outcome, updatedAt = :nowIso, expires_at = :expires REMOVE lease_id, lease_until',
            ConditionExpression: leaseId ? 'lease_id = :lease AND #status = :running' : '#status = :running',
            ExpressionAttributeNames: { '#status': 'status', '#outcome': 'result' in outcome ? 'result' : 'error' },
            ExpressionAttributeValues: {
              ':status': 'result' in outcome ? 'SUCCEEDED' : 'FAILED',
              ':outcome': 'result' in outcome ? (outcome.result ?? null) : outcome.error,
              ':nowIso': nowIso,
              ':expires': expiresAt(nowIso),
              ':running': 'RUNNING',
              ...(leaseId ? { ':lease': leaseId } : {}),
            },
          }),
        ),
      ),

    async release(owner, jobId, leaseId, nowIso) {
      await conditional(() =>
        db.send(
          new UpdateCommand({ TableName: table, Key: key(owner, jobId), ...leaseWrites.release(leaseId, nowIso) }),
        ),
      );
    },

    saveProgress: (owner, jobId, leaseId, progress) =>
      conditional(() =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: key(owner, jobId),
            UpdateExpression: 'SET progress = :progress',
            ConditionExpression: 'lease_id = :lease AND #status = :running',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':progress': progress, ':lease': leaseId, ':running': 'RUNNING' },
          }),
        ),
      ),

    async settle(owner, jobId, _nowIso, deleteNow) {
      if (deleteNow) {
        await conditional(() =>
          db.send(
            new DeleteCommand({
              TableName: table,
              Key: key(owner, jobId),
              ConditionExpression: '#status IN (:succeeded, :failed)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':succeeded': 'SUCCEEDED', ':failed': 'FAILED' },
            }),
          ),
        );
        return;
      }
      await conditional(() =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: key(owner, jobId),
            UpdateExpression: 'REMOVE pending',
            ConditionExpression: '#status IN (:succeeded, :failed)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':succeeded': 'SUCCEEDED', ':failed': 'FAILED' },
          }),
        ),
      );
    },

    async pending(cursor) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: JOB_PENDING_INDEX,
          KeyConditionExpression: 'pending = :pending',
          ExpressionAttributeValues: { ':pending': JOB_PENDING },
          ExclusiveStartKey: cursor as Record<string, unknown> | undefined,
          Limit: 25,
        }),
      );
      return {
        jobs: (out.Items ?? []).map((item) => ({
          owner: item.user_id as string,
          jobId: item.job_id as string,
          kind: item.kind as JobItem['kind'],
        })),
        cursor: out.LastEvaluatedKey,
      };
    },
  };
}
