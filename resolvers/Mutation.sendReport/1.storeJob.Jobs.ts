import type { Context, DynamoDBPutItemRequest } from '@aws-appsync/utils';
import type { Job, MutationSendReportArgs } from '../../generated/graphql';
import type { JobItem } from '../../model/jobs';
import { jobStored, storeJob, type JobStash } from '../lib/jobs';

type StoreJobContext = Context<MutationSendReportArgs, JobStash, { result: Job }, undefined, JobItem>;

export function request(ctx: StoreJobContext): DynamoDBPutItemRequest {
  return storeJob(ctx, { kind: 'SEND_REPORT', request: { period: ctx.args.period, date: ctx.args.date } });
}

export function response(ctx: StoreJobContext): Job {
  return jobStored(ctx);
}
