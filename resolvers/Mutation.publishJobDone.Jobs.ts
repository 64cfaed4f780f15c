import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { Job, MutationPublishJobDoneArgs } from '../generated/graphql';
import { jobOf, type JobItem } from '../model/jobs';
import { failOnDataSourceError, itemIdOrNotFound, notFound } from './lib/errors';

type PublishJobContext = Context<
  MutationPublishJobDoneArgs,
  Record<string, never>,
  undefined,
  undefined,
  JobItem | null
>;

// Called over IAM by the function that ran the job, once its outcome is recorded: the stored job
// (not what the caller claims) is what onJobDone subscribers of its owner receive.
export function request(ctx: PublishJobContext): DynamoDBGetItemRequest {
  return get<JobItem>({
    key: { user_id: itemIdOrNotFound('Job', ctx.args.owner), job_id: itemIdOrNotFound('Job', ctx.args.id) },
    consistentRead: true,
  });
}

export function response(ctx: PublishJobContext): Job {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Job', ctx.args.id);
  return jobOf(ctx.result);
}
