import { runtime, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { ACCOUNT_DELETION_JOB_ID } from '../../model/data-lifecycle';
import { jobOf, type JobItem } from '../../model/jobs';
import { callerId, failOnDataSourceError } from '../lib/errors';

// Asked again (a retry, another device): the deletion already recorded is the answer; nothing starts twice.
export function request(ctx: Context) {
  return get({ key: { user_id: callerId(ctx), job_id: ACCOUNT_DELETION_JOB_ID }, consistentRead: true });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  if (ctx.result) runtime.earlyReturn(jobOf(ctx.result as JobItem), { skipTo: 'END' });
  return null;
}
