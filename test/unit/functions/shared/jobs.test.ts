import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpenseExport } from '../../../../generated/graphql.ts';
import { newJobItem, JOB_MAX_ATTEMPTS, type JobItemOf } from '../../../../model/jobs.ts';
import { FieldError } from '../../../../functions/shared/field-call.ts';
import { createJobStore } from '../../../../functions/shared/job-store.ts';
import { runJob, sweepJobs, type JobHandlers, type JobRunnerDeps } from '../../../../functions/shared/jobs.ts';
import { givenLocalDynamoDb, type TestDynamoDb } from '../../../support/local-dynamodb.ts';

/**
 * The job runner on the Jobs table (dynalite): each job runs to one recorded outcome and its
 * owner is told once it is recorded, whatever is duplicated, retried or killed on the way.
 */
let dynamo: TestDynamoDb;
beforeAll(async () => {
  dynamo = await givenLocalDynamoDb('jobs');
}, 30_000);
afterAll(() => dynamo?.stop());

let sequence = 0;
async function givenJob(item: Partial<JobItemOf<'EXPORT_EXPENSES'>> = {}): Promise<JobItemOf<'EXPORT_EXPENSES'>> {
  sequence += 1;
  const job = {
    ...newJobItem(
      'owner-1',
      `job-${sequence}`,
      { kind: 'EXPORT_EXPENSES', request: { from: '2026-11-01', to: '2026-11-30' } },
      new Date().toISOString(),
    ),
    ...item,
  };
  await dynamo.db.send(new PutCommand({ TableName: 'Jobs', Item: job }));
  return job;
}

/** An export's result, as ReportFn answers it. */
const exported = (rowCount: number, range = { from: '2026-11-01', to: '2026-11-30' }): ExpenseExport => ({
  ...range,
  rowCount,
  url: 'https://bucket.example/export.csv',
  expiresAt: '2026-12-01T00:15:00.000Z',
  content: null,
});

function runner(handlers: JobHandlers, options: Partial<JobRunnerDeps> = {}) {
  const told: string[] = [];
  const deps: JobRunnerDeps = {
    store: createJobStore(dynamo.db, 'Jobs'),
    handlers,
    publishJobDone: async (_owner, jobId) => {
      told.push(jobId);
    },
    now: () => new Date(),
    leasesVoidBefore: null,
    log: { info: () => {}, warn: () => {} },
    ...options,
  };
  return { deps, told, stored: (jobId: string) => deps.store.get('owner-1', jobId) };
}

describe('runJob', () => {
  it('given a pending job, when it runs, then its result is recorded, its owner told once, and it leaves the pending index', async () => {
    const job = await givenJob();
    const { deps, told, stored } = runner({
      EXPORT_EXPENSES: async (_owner, request) => exported(3, request),
    });

    expect(await runJob(deps, 'owner-1', job.job_id)).toBe('done');

    expect(await stored(job.job_id)).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
      result: { rowCount: 3, from: '2026-11-01' },
      expires_at: expect.any(Number),
    });
    expect((await stored(job.job_id))!.pending).toBeUndefined();
    expect(told).toEqual([job.job_id]);
  });

  it('given the same start delivered twice at once, then the work runs once and the second finds it held or done', async () => {
    const job = await givenJob();
    let runs = 0;
    const { deps, told } = runner({
      EXPORT_EXPENSES: async () => {
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return exported(1);
      },
    });

    const outcomes = await Promise.all([runJob(deps, 'owner-1', job.job_id), runJob(deps, 'owner-1', job.job_id)]);

    expect(runs).toBe(1);
    expect(outcomes.sort()).toEqual(['busy', 'done']);
    expect(told).toEqual([job.job_id]);
  });

  it('given a business error, then the job FAILED with that typed error, not retried', async () => {
    const job = await givenJob();
    const { deps, told, stored } = runner({
      EXPORT_EXPENSES: async () => {
        throw new FieldError('NotFound', 'Profile not found', { id: 'owner-1' });
      },
    });

    expect(await runJob(deps, 'owner-1', job.job_id)).toBe('done');

    expect(await stored(job.job_id)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      error: { errorType: 'NotFound', message: 'Profile not found', errorInfo: { id: 'owner-1' } },
    });
    expect(told).toEqual([job.job_id]);
  });

  it('given a crash (not a business error), then the run throws for a retry, which may start at once; after the last attempt the job FAILED as InternalError', async () => {
    const job = await givenJob();
    const { deps, told, stored } = runner({
      EXPORT_EXPENSES: async () => {
        throw new Error('socket hang up');
      },
    });

    for (let attempt = 1; attempt < JOB_MAX_ATTEMPTS; attempt += 1) {
      await expect(runJob(deps, 'owner-1', job.job_id)).rejects.toThrow('socket hang up');
      expect(await stored(job.job_id)).toMatchObject({ status: 'RUNNING', attempts: attempt, pending: 'Y' });
    }
    expect(await runJob(deps, 'owner-1', job.job_id)).toBe('done');

    expect(await stored(job.job_id)).toMatchObject({
      status: 'FAILED',
      attempts: JOB_MAX_ATTEMPTS,
      error: { errorType: 'InternalError' },
    });
    expect(told).toEqual([job.job_id]);
  });

  it('given an account deletion that crashes past the usual attempts, then it is never given up (its owner is locked out and could not ask again): each run throws for the next sweep, the last one finishes it and deletes the job once told', async () => {
    const job = await givenJob({ kind: 'DELETE_ACCOUNT', request: { email: null } } as unknown as Partial<
      JobItemOf<'EXPORT_EXPENSES'>
    >);
    let runs = 0;
    const { deps, told, stored } = runner({
      DELETE_ACCOUNT: async () => {
        runs += 1;
        if (runs <= JOB_MAX_ATTEMPTS + 1) throw new Error('S3 SlowDown');
        return { deletedAt: '2026-12-07T06:00:00.000Z', counts: [] };
      },
    });
    for (let attempt = 1; attempt <= JOB_MAX_ATTEMPTS + 1; attempt += 1) {
      await expect(runJob(deps, 'owner-1', job.job_id)).rejects.toThrow('S3 SlowDown');
      expect(await stored(job.job_id)).toMatchObject({ status: 'RUNNING', attempts: attempt, pending: 'Y' });
    }
    expect(await runJob(deps, 'owner-1', job.job_id)).toBe('done');
    expect(told).toEqual([job.job_id]);
    // Nothing of the account is left, its deletion job included.
    expect(await stored(job.job_id)).toBeNull();
  });

  it('given the telling failed after the outcome was recorded, when it runs again, then the work is not redone and the owner is told', async () => {
    const job = await givenJob();
    let runs = 0;
    const handlers: JobHandlers = { EXPORT_EXPENSES: async () => exported((runs += 1)) };
    const failing = runner(handlers, {
      publishJobDone: async () => {
        throw new Error('AppSync unreachable');
      },
    });
    await expect(runJob(failing.deps, 'owner-1', job.job_id)).rejects.toThrow('AppSync unreachable');
    expect(await failing.stored(job.job_id)).toMatchObject({ status: 'SUCCEEDED', pending: 'Y' });

    const { deps, told, stored } = runner(handlers);
    expect(await runJob(deps, 'owner-1', job.job_id)).toBe('done');

    expect(runs).toBe(1);
    expect(told).toEqual([job.job_id]);
    expect((await stored(job.job_id))!.pending).toBeUndefined();
  });
});

describe('sweepJobs', () => {
  it('given a run killed mid-job (kill -9: its lease held, its process gone), when the restarted process sweeps, then the job runs again to its end', async () => {
    const killedAt = Date.now();
    const job = await givenJob({
      status: 'RUNNING',
      attempts: 1,
      lease_id: 'the-dead-run',
      lease_until: killedAt + 60_000,
      leased_at: killedAt,
    });
    const never = await givenJob({ user_id: 'owner-1', status: 'SUCCEEDED', result: exported(0) });
    delete never.pending;
    await dynamo.db.send(new PutCommand({ TableName: 'Jobs', Item: never }));

    // Before the restart: the lease is live, the sweep leaves the job to the run holding it.
    const before = runner({ EXPORT_EXPENSES: async () => exported(7) });
    await sweepJobs(before.deps);
    expect(await before.stored(job.job_id)).toMatchObject({ status: 'RUNNING', lease_id: 'the-dead-run' });

    // The restarted process voids every lease taken before it started (PROCESSING_LEASES_VOID_BEFORE).
    const after = runner({ EXPORT_EXPENSES: async () => exported(7) }, { leasesVoidBefore: new Date(killedAt + 1) });
    await sweepJobs(after.deps);

    expect(await after.stored(job.job_id)).toMatchObject({ status: 'SUCCEEDED', attempts: 2, result: { rowCount: 7 } });
    expect(after.told).toContain(job.job_id);
    expect(after.told).not.toContain(never.job_id);
  });
});
