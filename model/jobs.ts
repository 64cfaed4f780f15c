import type {
  Job,
  JobKind,
  JobStatus,
  MutationExportExpensesArgs,
  MutationSendReportArgs,
  MutationSetReceiptRetentionArgs,
} from '../generated/graphql.ts';

/**
 * Jobs: operations that take longer than a GraphQL request may (AppSync gives up after 30 s),
 * run in the background. A mutation stores a job item and answers with it at once (PENDING);
 * a function claims the item, runs the kind's handler, records the outcome on the item, and
 * pushes the finished job to its owner (`onJobDone`); `job(id)` reads it at any time.
 *
 * One small shape for every kind, so a new long operation is a new `JobKind`, an entry of
 * JobKinds (what its mutation stores, the field of `Job` its result is shown under) and a handler
 * in the function that runs it (functions/shared/jobs.ts). Valid APPSYNC_JS: resolvers build and
 * read these items too.
 */
export type { JobKind, JobStatus };

/**
 * An account archive as its job keeps it: the API's AccountExport fields (its url made at each
 * read) and, for that, the archive's key and owner.
 */
export interface AccountExportResult {
  owner: string;
  archiveKey: string;
  expiresAt: string;
  sizeBytes: number;
  fileCount: number;
  counts: Array<{ what: string; count: number }>;
}

/**
 * Each kind of job: the request its mutation stores (the mutation's arguments, validated) and the
 * `Job` field its result is shown under. The mutation, the item and the handler share these types,
 * so a schema change to either is a compile error on all three.
 */
export type JobKinds = {
  EXPORT_EXPENSES: { request: MutationExportExpensesArgs; resultField: 'export' };
  SEND_REPORT: { request: MutationSendReportArgs; resultField: 'delivery' };
  EXPORT_ACCOUNT: { request: Record<string, never>; resultField: 'accountExport' };
  // Never the password: the address the deletion receipt goes to once the account is gone.
  DELETE_ACCOUNT: { request: { email?: string | null }; resultField: 'deletion' };
  APPLY_RETENTION: { request: MutationSetReceiptRetentionArgs; resultField: 'retention' };
};

export type JobRequest<K extends JobKind> = JobKinds[K]['request'];
/** What a job of the kind answers once SUCCEEDED: the type of its `Job` field. */
export type JobResult<K extends JobKind> = NonNullable<Job[JobKinds[K]['resultField']]>;

/**
 * Kinds whose item is deleted, instead of kept for JOB_RETENTION_DAYS, once the owner has been
 * told: an account deletion must leave nothing of the account behind, its own job included.
 */
export const JOBS_DELETED_WHEN_SETTLED: readonly JobKind[] = ['DELETE_ACCOUNT'];

/** Value of `pending`, the sparse index key an item carries until its owner has been told it is done. */
export const JOB_PENDING = 'Y';
/** Sparse index over unfinished jobs (partition `pending`, sort `updatedAt`): what a sweep resumes. */
export const JOB_PENDING_INDEX = 'pending-index';
/** A run's lease on a job: renewed while it works; a dead run's job is free again after it. */
export const JOB_LEASE_MS = 60_000;
/** Runs of one job before it is FAILED (a handler that crashes every time). */
export const JOB_MAX_ATTEMPTS = 3;

/**
 * An account deletion is never given up: the sign-in account is disabled at its first step, so its
 * owner could not ask again. A deletion that keeps failing is retried by every job sweep, and each
 * failed run throws (the function's Errors alarm) for an operator to see.
 */
export function maxAttemptsOf(kind: JobKind): number {
  return kind === 'DELETE_ACCOUNT' ? Number.MAX_SAFE_INTEGER : JOB_MAX_ATTEMPTS;
}
/** Most days an export may cover (inclusive): the mutation refuses more before a job is made. */
export const EXPORT_MAX_DAYS = 366;
/** A finished job is kept this long (DynamoDB TTL on `expires_at`), then deleted. */
export const JOB_RETENTION_DAYS = 7;

export type JobError = {
  errorType: string;
  message: string;
  errorInfo?: Record<string, unknown> | null;
};

/** What a Jobs table item carries whatever its kind (keys snake_case as in every table; model/tables.ts). */
type JobState = {
  user_id: string;
  job_id: string;
  status: JobStatus;
  /** Why it FAILED: the typed error the mutation would have answered. */
  error?: JobError | null;
  /** Runs started so far. */
  attempts: number;
  /** The run holding the job (RUNNING), and until when (epoch ms). */
  lease_id?: string | null;
  lease_until?: number | null;
  /** When the lease was taken (epoch ms): leases from before a restart are void (functions/shared/config.ts). */
  leased_at?: number | null;
  /** JOB_PENDING until the owner has been told the outcome; absent after (sparse index). */
  pending?: typeof JOB_PENDING;
  createdAt: string;
  updatedAt: string;
  /** TTL (epoch seconds), set when the job is done. */
  expires_at?: number;
  /** What a resumable handler saved so far (functions/shared/jobs.ts JobProgress): a rerun continues from it. */
  progress?: unknown;
};

/** The Jobs table item of one kind. */
export type JobItemOf<K extends JobKind> = JobState & {
  kind: K;
  /** What the handler is given: the mutation's arguments, validated. */
  request: JobRequest<K>;
  /** The handler's answer, once SUCCEEDED. */
  result?: JobResult<K> | null;
};

/** A Jobs table item, of any kind. */
export type JobItem = { [K in JobKind]: JobItemOf<K> }[JobKind];

/** What a mutation asks to be done: the kind and its request. */
export type JobSpec = { [K in JobKind]: Pick<JobItemOf<K>, 'kind' | 'request'> }[JobKind];

/** A new job as a mutation stores it: PENDING, in the pending index, not yet run; of the spec's kind. */
export function newJobItem<S extends JobSpec>(owner: string, jobId: string, spec: S, nowIso: string): S & JobState {
  const state: JobState = {
    user_id: owner,
    job_id: jobId,
    status: 'PENDING',
    attempts: 0,
    pending: JOB_PENDING,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
  return { ...state, ...spec };
}

/** The GraphQL `Job` of an item: ids renamed, the result under its kind's field (JobKinds). */
export function jobOf(item: JobItem): Job {
  const succeeded = item.status === 'SUCCEEDED';
  return {
    id: item.job_id,
    owner: item.user_id,
    kind: item.kind,
    status: item.status,
    attempts: item.attempts,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    // errorInfo is AWSJSON: a JSON string on the wire.
    error: item.error
      ? {
          errorType: item.error.errorType,
          message: item.error.message,
          errorInfo: item.error.errorInfo ? JSON.stringify(item.error.errorInfo) : null,
        }
      : null,
    export: item.kind === 'EXPORT_EXPENSES' && succeeded ? (item.result ?? null) : null,
    delivery: item.kind === 'SEND_REPORT' && succeeded ? (item.result ?? null) : null,
    accountExport: item.kind === 'EXPORT_ACCOUNT' && succeeded ? (item.result ?? null) : null,
    deletion: item.kind === 'DELETE_ACCOUNT' && succeeded ? (item.result ?? null) : null,
    retention: item.kind === 'APPLY_RETENTION' && succeeded ? (item.result ?? null) : null,
  };
}
