import type { Context, DynamoDBPutItemRequest } from '@aws-appsync/utils';
import type { Job, MutationDeleteAccountArgs } from '../../generated/graphql';
import { ACCOUNT_DELETION_JOB_ID } from '../../model/data-lifecycle';
import type { JobItem } from '../../model/jobs';
import { jobStored, storeJob, type JobStash } from '../lib/jobs';

type StoreJobContext = Context<
  MutationDeleteAccountArgs,
  JobStash & { email?: string },
  { result: Job },
  undefined,
  JobItem
>;

// Recorded before anything is deleted: a crash at any later point leaves a pending job the sweep resumes.
export function request(ctx: StoreJobContext): DynamoDBPutItemRequest {
  return storeJob(ctx, { kind: 'DELETE_ACCOUNT', request: { email: ctx.stash.email } }, ACCOUNT_DELETION_JOB_ID);
}

export function response(ctx: StoreJobContext): Job {
  return jobStored(ctx);
}
