import { randomUUID } from 'node:crypto';
import {
  JOB_LEASE_MS,
  JOBS_DELETED_WHEN_SETTLED,
  maxAttemptsOf,
  type JobError,
  type JobItem,
  type JobItemOf,
  type JobKind,
  type JobRequest,
  type JobResult,
} from '../../model/jobs.ts';
import { FieldError } from './field-call.ts';

/**
 * Runs the jobs of model/jobs.ts, whatever their kind, in any function that hosts handlers for
 * them. Each run claims the job with a conditional write (a lease), so a duplicated event, a
 * Lambda retry and the sweep never run one job twice at once; the outcome is recorded under the
 * lease, then the owner is told (publishJobDone), then the job leaves the pending index. A run
 * that dies at any point leaves the job pending: the sweep (every 5 minutes; at every start
 * locally) runs it again or, when only the telling was left, tells again. Several functions may
 * run jobs, each its own kinds (the handlers it is given); each sweep leaves the others' kinds.
 */
export type JobHandlers = {
  [K in JobKind]?: (owner: string, request: JobRequest<K>, progress: JobProgress) => Promise<JobResult<K>>;
};

/**
 * For handlers with steps worth not redoing after a crash (account deletion): what the last run
 * saved, and a way to save more under this run's lease. A rerun starts from `saved`.
 */
export interface JobProgress {
  /** The job's id: for what a handler names after it (an archive's key). */
  jobId: string;
  saved: unknown;
  save(progress: unknown): Promise<void>;
}

/** Runs the handler of the job's kind, its request and result typed by kind (model/jobs.ts JobKinds). */
function runHandler<K extends JobKind>(
  handlers: JobHandlers,
  owner: string,
  job: JobItemOf<K>,
  progress: JobProgress,
): Promise<JobResult<K>> {
  const handler = handlers[job.kind];
  if (!handler) throw new Error(`No handler for jobs of kind ${job.kind} here`);
  return handler(owner, job.request, progress);
}

export interface JobLease {
  id: string;
  /** Epoch ms. */
  now: number;
  until: number;
  /** Leases taken before this instant (epoch ms) are void: the runs holding them are known gone. */
  voidBefore: number | null;
}

/** A new lease for a run starting now (jobs, statement imports). */
export function newLease(now: Date, leaseMs: number, leasesVoidBefore: Date | null): JobLease {
  return {
    id: randomUUID(),
    now: now.getTime(),
    until: now.getTime() + leaseMs,
    voidBefore: leasesVoidBefore?.getTime() ?? null,
  };
}

/** No live run holds the item: it never had a lease, the lease ran out, or it is void. */
export function leaseIsFree(
  item: { lease_until?: number | null; leased_at?: number | null },
  lease: Pick<JobLease, 'now' | 'voidBefore'>,
): boolean {
  return (
    !item.lease_until ||
    item.lease_until < lease.now ||
    (lease.voidBefore !== null && (item.leased_at ?? 0) < lease.voidBefore)
  );
}

export interface JobStore {
  get(owner: string, jobId: string): Promise<JobItem | null>;
  /** RUNNING under this lease, attempts + 1: a PENDING job, or a RUNNING one whose lease ran out or is void. */
  claim(owner: string, jobId: string, lease: JobLease, maxAttempts: number): Promise<JobItem | null>;
  renew(owner: string, jobId: string, leaseId: string, until: number): Promise<boolean>;
  /** Save a handler's progress under our lease; false when the lease is no longer ours. */
  saveProgress(owner: string, jobId: string, leaseId: string, progress: unknown): Promise<boolean>;
  /** SUCCEEDED with its result or FAILED with its error, under our lease (or with none, to give up); still pending until told. */
  finish(
    owner: string,
    jobId: string,
    leaseId: string | null,
    outcome: { result: unknown } | { error: JobError },
    nowIso: string,
  ): Promise<boolean>;
  /** Give the lease back (this run failed; the retry may claim it at once). */
  release(owner: string, jobId: string, leaseId: string, nowIso: string): Promise<void>;
  /** The owner was told: out of the pending index, deleted after the retention period (or now, for JOBS_DELETED_WHEN_SETTLED). */
  settle(owner: string, jobId: string, nowIso: string, deleteNow: boolean): Promise<void>;
  /** One page of pending jobs across users, oldest change first. */
  pending(
    cursor?: unknown,
  ): Promise<{ jobs: Array<{ owner: string; jobId: string; kind: JobKind }>; cursor?: unknown }>;
}

export interface JobRunnerDeps {
  store: JobStore;
  handlers: JobHandlers;
  publishJobDone(owner: string, jobId: string): Promise<unknown>;
  now(): Date;
  /** See JobLease.voidBefore; null on AWS. */
  leasesVoidBefore: Date | null;
  leaseMs?: number;
  log: {
    info(message: string, extra?: Record<string, unknown>): void;
    warn(message: string, extra?: Record<string, unknown>): void;
  };
}

export type JobRunOutcome = 'done' | 'busy' | 'gone';

/** Run one job to its end (or find it done, or held by another run). Throws on a failure worth a retry. */
export async function runJob(deps: JobRunnerDeps, owner: string, jobId: string): Promise<JobRunOutcome> {
  const current = await deps.store.get(owner, jobId);
  if (!current) return 'gone';
  if (current.status === 'SUCCEEDED' || current.status === 'FAILED') {
    if (current.pending) await tell(deps, owner, jobId, current.kind);
    return 'done';
  }
  if (!deps.handlers[current.kind]) throw new Error(`No handler for jobs of kind ${current.kind} here`);
  const leaseMs = deps.leaseMs ?? JOB_LEASE_MS;
  const lease = newLease(deps.now(), leaseMs, deps.leasesVoidBefore);
  const job = await deps.store.claim(owner, jobId, lease, maxAttemptsOf(current.kind));
  if (!job) return giveUpIfExhausted(deps, owner, jobId, lease);

  const heartbeat = setInterval(() => {
    void deps.store.renew(owner, jobId, lease.id, deps.now().getTime() + leaseMs).catch(() => {});
  }, leaseMs / 3);
  let outcome: { result: unknown } | { error: JobError };
  const progress: JobProgress = {
    jobId,
    saved: job.progress ?? null,
    async save(value) {
      if (!(await deps.store.saveProgress(owner, jobId, lease.id, value)))
        throw new Error(`Job ${jobId}: lease lost while saving progress`);
      progress.saved = value;
    },
  };
  try {
    outcome = { result: await runHandler(deps.handlers, owner, job, progress) };
  } catch (error) {
    if (!(error instanceof FieldError)) {
      clearInterval(heartbeat);
      if (job.attempts < maxAttemptsOf(job.kind)) {
        await deps.store.release(owner, jobId, lease.id, deps.now().toISOString()).catch(() => {});
        throw error;
      }
      deps.log.warn('job failed on its last attempt', { jobId, kind: job.kind, error: String(error) });
      outcome = { error: { errorType: 'InternalError', message: 'The job could not be completed' } };
    } else {
      outcome = { error: { errorType: error.errorType, message: error.message, errorInfo: error.errorInfo } };
    }
  } finally {
    clearInterval(heartbeat);
  }
  if (!(await deps.store.finish(owner, jobId, lease.id, outcome, deps.now().toISOString()))) {
    deps.log.warn('job lease lost before its outcome was recorded; another run owns it', { jobId });
    return 'busy';
  }
  deps.log.info('job done', { jobId, kind: job.kind, status: 'result' in outcome ? 'SUCCEEDED' : 'FAILED' });
  await tell(deps, owner, jobId, job.kind);
  return 'done';
}

/** Not claimable: held by a live run, or every attempt used by runs that died (then it FAILED). */
async function giveUpIfExhausted(
  deps: JobRunnerDeps,
  owner: string,
  jobId: string,
  lease: JobLease,
): Promise<JobRunOutcome> {
  const job = await deps.store.get(owner, jobId);
  if (!job) return 'gone';
  if (job.status !== 'RUNNING' || !leaseIsFree(job, lease) || job.attempts < maxAttemptsOf(job.kind)) return 'busy';
  const error = { errorType: 'InternalError', message: 'The job could not be completed' };
  if (await deps.store.finish(owner, jobId, null, { error }, deps.now().toISOString()))
    await tell(deps, owner, jobId, job.kind);
  return 'done';
}

async function tell(deps: JobRunnerDeps, owner: string, jobId: string, kind: JobKind): Promise<void> {
  await deps.publishJobDone(owner, jobId);
  await deps.store.settle(owner, jobId, deps.now().toISOString(), JOBS_DELETED_WHEN_SETTLED.includes(kind));
}

/**
 * Every pending job, a page at a time: run (or told) again. Jobs held by a live run are left
 * to it. Stops taking more when `timeLeftMs` runs low; the next sweep continues.
 */
export async function sweepJobs(
  deps: JobRunnerDeps,
  options: { timeLeftMs: () => number; reserveMs?: number } = { timeLeftMs: () => Number.MAX_SAFE_INTEGER },
): Promise<{ done: number; busy: number; failed: number }> {
  const counts = { done: 0, busy: 0, failed: 0 };
  let cursor: unknown;
  do {
    const page = await deps.store.pending(cursor);
    for (const { owner, jobId, kind } of page.jobs) {
      // Jobs of kinds another function runs are left to that function's sweep.
      if (!deps.handlers[kind]) continue;
      if (options.timeLeftMs() < (options.reserveMs ?? 30_000)) return counts;
      try {
        const outcome = await runJob(deps, owner, jobId);
        if (outcome === 'busy') counts.busy += 1;
        else counts.done += 1;
      } catch (error) {
        counts.failed += 1;
        deps.log.warn('job run failed in the sweep; the next sweep retries it', { jobId, error: String(error) });
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return counts;
}
