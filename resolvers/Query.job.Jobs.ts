import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { Job, QueryJobArgs } from '../generated/graphql';
import { jobOf, type JobItem } from '../model/jobs';
import { callerId, failOnDataSourceError, itemIdOrNotFound, notFound } from './lib/errors';

type JobContext = Context<QueryJobArgs, Record<string, never>, undefined, undefined, JobItem | null>;

export function request(ctx: JobContext): DynamoDBGetItemRequest {
  return get<JobItem>({ key: { user_id: callerId(ctx), job_id: itemIdOrNotFound('Job', ctx.args.id) } });
}

export function response(ctx: JobContext): Job {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Job', ctx.args.id);
  return jobOf(ctx.result);
}
