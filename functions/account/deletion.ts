import { ACCOUNT_DELETION_JOB_ID, userObjectPrefixes } from '../../model/data-lifecycle.ts';
import { TABLES, type TableDefinition } from '../../model/tables.ts';
import type { JobProgress } from '../shared/jobs.ts';
import type { AccountLog, Item, Mailer, SignInAccounts, UserItems, UserObjects } from './ports.ts';

/**
 * "Delete my account", run as the DELETE_ACCOUNT job (recorded before anything is deleted, so a
 * crash anywhere leaves a pending job the sweep resumes). Each step is idempotent (deleting
 * what is left) and its counts are saved on the job as it ends, so a rerun skips finished steps
 * and the receipt counts each thing once:
 *
 * 1. the sign-in account is disabled: no new sign-in, refresh or session (ends them);
 * 2. pending work goes: the user's other jobs (the job runner never starts a job whose item is gone);
 * 3. every item of the user's in every table, by the partitions model/tables.ts declares
 *    (receipt leases, pending alerts and report leases live on those items and go with them);
 * 4. every version and delete marker under the user's prefixes of the bucket;
 * 5. a last look at every table and prefix: anything written meanwhile (an OCR run that was
 *    already reading) is deleted too, until a look finds nothing;
 * 6. the sign-in account is deleted;
 * 7. the receipt (counts) is emailed to the address the job recorded, the account being gone.
 *
 * The job's own item is the one thing left: the job runner deletes it once the owner's devices
 * have been told (model/jobs.ts JOBS_DELETED_WHEN_SETTLED).
 */
export interface DeletionDeps {
  items: UserItems;
  objects: UserObjects;
  accounts: SignInAccounts;
  mailer: Mailer;
  now(): Date;
  log: AccountLog;
}

export type DeletionStep = 'disable' | 'jobs' | 'tables' | 'objects' | 'recheck' | 'signIn' | 'receipt';
const STEPS: readonly DeletionStep[] = ['disable', 'jobs', 'tables', 'objects', 'recheck', 'signIn', 'receipt'];

export interface DeletionProgress {
  done: DeletionStep[];
  counts: Record<string, number>;
}

export interface AccountDeletionResult {
  deletedAt: string;
  counts: Array<{ what: string; count: number }>;
}

const MAX_RECHECKS = 5;

/** The owner's items of one table, deleted page by page; the deletion job's own item is kept (see above). */
async function deleteTable(
  deps: DeletionDeps,
  table: TableDefinition,
  owner: string,
  keepJob: boolean,
): Promise<number> {
  let deleted = 0;
  for await (const page of deps.items.pages(table, owner)) {
    const doomed = page.filter(
      (item: Item) => !(keepJob && table.logicalName === 'Jobs' && item.job_id === ACCOUNT_DELETION_JOB_ID),
    );
    if (doomed.length) deleted += await deps.items.deleteItems(table, doomed);
  }
  return deleted;
}

async function deleteObjects(deps: DeletionDeps, prefix: string): Promise<number> {
  let deleted = 0;
  // Each page is deleted before the next is listed: the listing after it starts from what is left.
  for await (const page of deps.objects.versions(prefix))
    if (page.length) deleted += await deps.objects.deleteVersions(page);
  return deleted;
}

export async function deleteAccount(
  deps: DeletionDeps,
  owner: string,
  request: { email?: string | null },
  progress: JobProgress,
): Promise<AccountDeletionResult> {
  const saved = (progress.saved as DeletionProgress | null) ?? { done: [], counts: {} };
  const state: DeletionProgress = { done: [...saved.done], counts: { ...saved.counts } };
  const add = (what: string, n: number) => (state.counts[what] = (state.counts[what] ?? 0) + n);

  async function step(name: DeletionStep, run: () => Promise<void>) {
    if (state.done.includes(name)) return;
    await run();
    state.done.push(name);
    await progress.save(state);
  }

  await step('disable', async () => {
    await deps.accounts.disable(owner);
  });
  await step('jobs', async () => {
    const jobs = TABLES.find((t) => t.logicalName === 'Jobs')!;
    add('jobs cancelled', await deleteTable(deps, jobs, owner, true));
  });
  await step('tables', async () => {
    for (const table of TABLES) {
      if (table.logicalName === 'Jobs') continue;
      add(table.logicalName, await deleteTable(deps, table, owner, true));
    }
  });
  await step('objects', async () => {
    for (const prefix of userObjectPrefixes(owner))
      add(`s3:${prefix.split('/')[0]}/`, await deleteObjects(deps, prefix));
  });
  await step('recheck', async () => {
    for (let round = 0; round < MAX_RECHECKS; round += 1) {
      let found = 0;
      for (const table of TABLES) {
        const n = await deleteTable(deps, table, owner, true);
        if (n) add(table.logicalName === 'Jobs' ? 'jobs cancelled' : table.logicalName, n);
        found += n;
      }
      for (const prefix of userObjectPrefixes(owner)) {
        const n = await deleteObjects(deps, prefix);
        if (n) add(`s3:${prefix.split('/')[0]}/`, n);
        found += n;
      }
      if (found === 0) return;
      deps.log.warn('account deletion found data written meanwhile; looking again', { round, found });
    }
    throw new Error('Data of the account kept appearing while it was deleted; the job will run again');
  });
  await step('signIn', async () => {
    add('cognito', (await deps.accounts.delete(owner)) ? 1 : 0);
  });
  const deletedAt = deps.now().toISOString();
  const counts = STEP_ORDER_COUNTS(state.counts);
  await step('receipt', async () => {
    if (!request.email) return;
    await deps.mailer.send({
      to: request.email,
      subject: 'Your account has been deleted',
      messageId: `<account-deletion-${owner}@expense-tracker>`,
      text: [
        'Your Smart Expense Tracker account and everything in it have been deleted, as you asked.',
        '',
        'What was deleted:',
        ...counts.map(({ what, count }) => `  ${`${describe(what)}:`.padEnd(44)}${count}`),
        '',
        `Finished ${deletedAt}. Nothing of the account is kept: this email is the only record.`,
        'Backups: the database keeps point-in-time recovery for 35 days, after which no copy remains.',
      ].join('\n'),
    });
  });
  deps.log.info('account deleted', { counts: state.counts });
  return { deletedAt, counts };
}

function STEP_ORDER_COUNTS(counts: Record<string, number>): Array<{ what: string; count: number }> {
  const order = (what: string) => {
    const tableIndex = TABLES.findIndex((t) => t.logicalName === what);
    if (tableIndex >= 0) return tableIndex;
    if (what.startsWith('s3:')) return 100;
    return 200;
  };
  return Object.entries(counts)
    .map(([what, count]) => ({ what, count }))
    .sort((a, b) => order(a.what) - order(b.what) || a.what.localeCompare(b.what));
}

const DESCRIPTIONS: Record<string, string> = {
  Users: 'profile',
  Expenses: 'expenses',
  Receipts: 'receipts (and file-hash records)',
  Budgets: 'budgets (with their alerts)',
  Merchants: 'learned categories',
  Rates: 'exchange rates you set',
  History: 'history entries',
  SearchTerms: 'search index entries',
  Recurring: 'recurring charges and dismissals',
  Sharing: 'shared expenses and balance entries (the people you shared with keep their own)',
  'jobs cancelled': 'exports and report emails pending or kept',
  cognito: 'sign-in account',
  's3:receipts/': 'receipt image versions',
  's3:exports/': 'export file versions',
  's3:reports/': 'kept report email versions',
};

const describe = (what: string) => DESCRIPTIONS[what] ?? what;

export { STEPS as DELETION_STEPS };
