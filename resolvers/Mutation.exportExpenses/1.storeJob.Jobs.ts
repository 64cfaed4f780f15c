import type { Context, DynamoDBPutItemRequest } from '@aws-appsync/utils';
import type { Job, MutationExportExpensesArgs } from '../../generated/graphql';
import type { JobItem } from '../../model/jobs';
import { jobStored, storeJob, type JobStash } from '../lib/jobs';

type StoreJobContext = Context<MutationExportExpensesArgs, JobStash, { result: Job }, undefined, JobItem>;

export function request(ctx: StoreJobContext): DynamoDBPutItemRequest {
  return storeJob(ctx, { kind: 'EXPORT_EXPENSES', request: { from: ctx.args.from, to: ctx.args.to } });
}

export function response(ctx: StoreJobContext): Job {
  return jobStored(ctx);
}
