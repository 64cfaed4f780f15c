// The last step of a job-starting mutation: the function that runs the job is asked to start it (Lambda Event).
import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { Job } from '../../generated/graphql';
import { jobStarted, startJob, type JobStash } from './jobs';

type StartJobContext = Context<unknown, JobStash, { result: Job }, undefined, unknown>;

export function request(ctx: StartJobContext): LambdaRequest {
  return startJob(ctx);
}

export function response(ctx: StartJobContext): Job {
  return jobStarted(ctx);
}
