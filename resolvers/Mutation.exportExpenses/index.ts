import { util, type Context } from '@aws-appsync/utils';
import type { Job, MutationExportExpensesArgs } from '../../generated/graphql';
import { EXPORT_MAX_DAYS } from '../../model/jobs';
import { invalid } from '../lib/errors';
import type { JobStash } from '../lib/jobs';
import { checkCalendarDate } from '../lib/validation';

type JobMutationContext = Context<MutationExportExpensesArgs, JobStash, { result: Job }>;

const DAY_MS = 86400000;

/** exportExpenses: validate the range → store the job → ReportFn runs it (async); answers the PENDING job. */
export function request(ctx: JobMutationContext): Record<string, never> {
  const { from, to } = ctx.args;
  checkCalendarDate('from', from);
  checkCalendarDate('to', to);
  if (from > to) invalid('from', 'from must be on or before to');
  const days =
    (util.time.parseISO8601ToEpochMilliSeconds(`${to}T00:00:00Z`) -
      util.time.parseISO8601ToEpochMilliSeconds(`${from}T00:00:00Z`)) /
      DAY_MS +
    1;
  if (days > EXPORT_MAX_DAYS)
    invalid('to', `A range covers at most ${EXPORT_MAX_DAYS} days`, { limit: EXPORT_MAX_DAYS });
  return {};
}

export function response(ctx: JobMutationContext): Job {
  return ctx.prev.result;
}
