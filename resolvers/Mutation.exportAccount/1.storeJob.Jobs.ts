import type { Context, DynamoDBPutItemRequest } from '@aws-appsync/utils';
import type { Job } from '../../generated/graphql';
import type { JobItem } from '../../model/jobs';
import { jobStored, storeJob, type JobStash } from '../lib/jobs';

type StoreJobContext = Context<Record<string, never>, JobStash, { result: Job }, undefined, JobItem>;

export function request(ctx: StoreJobContext): DynamoDBPutItemRequest {
  return storeJob(ctx, { kind: 'EXPORT_ACCOUNT', request: {} });
}

export function response(ctx: StoreJobContext): Job {
  return jobStored(ctx);
}
