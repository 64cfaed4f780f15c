import type { Context, DynamoDBPutItemRequest } from '@aws-appsync/utils';
import type { Job, MutationSetReceiptRetentionArgs } from '../../generated/graphql';
import type { JobItem } from '../../model/jobs';
import { jobStored, storeJob, type JobStash } from '../lib/jobs';

type StoreJobContext = Context<MutationSetReceiptRetentionArgs, JobStash, { result: Job }, undefined, JobItem>;

export function request(ctx: StoreJobContext): DynamoDBPutItemRequest {
  return storeJob(ctx, { kind: 'APPLY_RETENTION', request: { days: ctx.args.days } });
}

export function response(ctx: StoreJobContext): Job {
  return jobStored(ctx);
}
