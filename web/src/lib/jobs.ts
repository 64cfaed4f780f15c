import { gql } from '../api/client.ts';
import { GET_JOB, type GetJobData, type Job } from '../api/operations.ts';
import { ApiError } from './errors.ts';
import { jobEvents } from './live.ts';

/**
 * A job's end: pushed by onJobDone (lib/live.ts). It is also read once right away, for a job that
 * finished before the push could reach this page, and once more after a minute, should the push
 * have been missed while the live connection was down. A FAILED job rejects with its typed error.
 */
const finished = (job: Job | null | undefined): job is Job => job?.status === 'SUCCEEDED' || job?.status === 'FAILED';

export function jobResult(started: Job, timeoutMs = 60_000): Promise<Job> {
  return new Promise<Job>((resolve, reject) => {
    let settled = false;
    const settle = (job: Job) => {
      if (settled) return;
      settled = true;
      stop();
      clearTimeout(timer);
      if (job.status === 'SUCCEEDED') resolve(job);
      else reject(new ApiError(job.error?.errorType ?? 'InternalError', job.error?.message ?? ''));
    };
    const stop = jobEvents.subscribe((job) => job?.id === started.id && finished(job) && settle(job));
    const check = () =>
      gql<GetJobData>(GET_JOB, { id: started.id }).then(
        ({ job }) => finished(job) && settle(job),
        () => undefined,
      );
    const timer = setTimeout(
      () =>
        void check().then(() => {
          if (settled) return;
          settled = true;
          stop();
          reject(new ApiError('JobTimeout', 'still running'));
        }),
      timeoutMs,
    );
    if (finished(started)) settle(started);
    else void check();
  });
}
