import type { Context } from '@aws-appsync/utils';
import type { Job, MutationSendReportArgs } from '../../generated/graphql';
import type { JobStash } from '../lib/jobs';
import { checkCalendarDate } from '../lib/validation';

type JobMutationContext = Context<MutationSendReportArgs, JobStash, { result: Job }>;

/** sendReport: validate the day → store the job → ReportFn renders and sends the email (async); answers the PENDING job. */
export function request(ctx: JobMutationContext): Record<string, never> {
  checkCalendarDate('date', ctx.args.date);
  return {};
}

export function response(ctx: JobMutationContext): Job {
  return ctx.prev.result;
}
