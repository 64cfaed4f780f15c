import { util, type Context, type DynamoDBPutItemRequest, type LambdaRequest } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import type { Job } from '../../generated/graphql';
import type { RunJobRequest } from '../../model/function-calls';
import { jobOf, newJobItem, type JobItem, type JobSpec } from '../../model/jobs';
import { correlationIdOf, type CorrelationStash } from './correlation';
import { callerId, failOnDataSourceError, isConditionFailure } from './errors';

/** What a job-starting mutation's pipeline hands on: the job it stored (step 1), for the start (step 2). */
export type JobStash = CorrelationStash & { job: JobItem };

/** The step context these helpers read; the mutation's own arguments are the job's request, passed in. */
type JobStepContext = Pick<
  Context<unknown, JobStash, { result: Job }, undefined, JobItem>,
  'identity' | 'stash' | 'request' | 'error' | 'prev'
>;

/**
 * The steps every job-starting mutation shares (model/jobs.ts): after its own validation, store
 * the job (PENDING, a fresh ULID, so a retried mutation is a new job and never overwrites one),
 * then ask the function that runs it to start, asynchronously (Lambda `Event`), and answer the
 * job at once. A lost or throttled start leaves the job PENDING; the job sweep starts it. A kind
 * that exists once per account (the deletion) passes its fixed id: a second store fails its condition.
 */
export function storeJob(ctx: JobStepContext, spec: JobSpec, jobId?: string): DynamoDBPutItemRequest {
  const item = newJobItem(callerId(ctx), jobId || util.autoUlid(), spec, util.time.nowISO8601());
  ctx.stash.job = item;
  const { user_id, job_id, ...attributes } = item;
  return put<JobItem>({
    key: { user_id, job_id },
    item: attributes,
    condition: { job_id: { attributeExists: false } },
  });
}

export function jobStored(ctx: JobStepContext): Job {
  if (isConditionFailure(ctx as unknown as Context))
    util.error('The same job was started a moment ago; read it with job(id)', 'Conflict');
  failOnDataSourceError(ctx);
  return jobOf(ctx.stash.job);
}

export function startJob(ctx: JobStepContext): LambdaRequest {
  const job = ctx.stash.job;
  const payload: RunJobRequest = {
    action: 'runJob',
    owner: job.user_id,
    jobId: job.job_id,
    correlationId: correlationIdOf(ctx),
  };
  return { operation: 'Invoke', invocationType: 'Event', payload };
}

/** Whatever the start answered, the job as stored is the field's result: the sweep starts a job whose start was lost. */
export function jobStarted(ctx: JobStepContext): Job {
  if (ctx.error) console.error('job start not accepted; the job sweep will start it', ctx.error.message);
  return ctx.prev.result;
}
