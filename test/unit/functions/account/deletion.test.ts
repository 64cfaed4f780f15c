import { describe, expect, it } from 'vitest';
import { deleteAccount, type DeletionDeps, type DeletionProgress } from '../../../../functions/account/deletion.ts';
import type { Item, ObjectVersion } from '../../../../functions/account/ports.ts';
import type { JobProgress } from '../../../../functions/shared/jobs.ts';
import { ACCOUNT_DELETION_JOB_ID } from '../../../../model/data-lifecycle.ts';
import { searchItemsOf } from '../../../../functions/shared/search/index-writer.ts';
import { ownerPartitionsOf, TABLES, type TableDefinition } from '../../../../model/tables.ts';

/**
 * Account deletion as a job the runner may run again after a crash: in-memory tables and bucket
 * behind the ports, a crash injected at a chosen call; the rerun starts from the saved progress.
 */
/** An expense as search indexes it (each user's e1). */
const searchedExpense = (who: string) => ({
  user_id: who,
  expense_id: 'e1',
  merchant: 'Corner Café',
  note: 'flat white',
  tags: ['work'],
  amount: 450,
  date: '2026-11-03',
});

function givenAccount(owner: string, other: string) {
  const tables = new Map<string, Item[]>(TABLES.map((t) => [t.logicalName, []]));
  const put = (table: string, item: Item) => tables.get(table)!.push(item);
  for (const who of [owner, other]) {
    put('Users', { user_id: who, email: `${who}@example.com` });
    put('Expenses', { user_id: who, expense_id: 'e1' });
    put('Expenses', { user_id: who, expense_id: 'e2' });
    put('Receipts', { user_id: who, receipt_id: 'r1' });
    put('Receipts', { user_id: `${who}#sha256`, receipt_id: 'abc' });
    put('Budgets', { user_id: who, budget_id: 'b1' });
    put('Jobs', { user_id: who, job_id: 'export-1' });
    // A confirmed recurring rule and a dismissed candidate (functions/recurring).
    put('Recurring', { user_id: who, rule_id: 'RULE#MONTHLY#EUR#netflixcom' });
    put('Recurring', { user_id: who, rule_id: 'DISMISSED#WEEKLY#EUR#fitgym' });
    // A shared expense and its ledger entry (functions/sharing).
    put('Sharing', { user_id: who, item_key: 'SHARE#s1' });
    put('Sharing', { user_id: who, item_key: 'LEDGER#x@example.com#EUR#share:s1' });
    // The search index of one expense, as SearchFn writes it: its words' shards and the amount partition.
    for (const item of searchItemsOf(searchedExpense(who))) put('SearchTerms', item);
  }
  put('Jobs', { user_id: owner, job_id: ACCOUNT_DELETION_JOB_ID });
  // Two versions of one image and a delete marker; another user's object under a prefix sharing the id's start.
  let objects: ObjectVersion[] = [
    { key: `receipts/${owner}/r1.jpg`, versionId: 'v1' },
    { key: `receipts/${owner}/r1.jpg`, versionId: 'v2' },
    { key: `receipts/${owner}/old.jpg`, versionId: 'dm' },
    { key: `reports/${owner}/w.eml`, versionId: 'v1' },
    { key: `receipts/${other}/r1.jpg`, versionId: 'v1' },
    { key: `receipts/${owner}x/r1.jpg`, versionId: 'v1' },
  ];
  const accounts = new Set([owner, other]);
  const disabled = new Set<string>();
  const mail: Array<{ to: string; text: string }> = [];
  let crashAt: string | null = null;
  const maybeCrash = (point: string) => {
    if (crashAt === point) {
      crashAt = null;
      throw new Error(`crash at ${point}`);
    }
  };
  const keyOf = (table: TableDefinition, item: Item) => `${item[table.partitionKey]}|${item[table.sortKey!]}`;

  const deps: DeletionDeps = {
    items: {
      async *pages(table, who) {
        for (const partition of ownerPartitionsOf(table, who))
          yield tables.get(table.logicalName)!.filter((i) => i[table.partitionKey] === partition);
      },
      async deleteItems(table, items) {
        maybeCrash(`delete ${table.logicalName}`);
        const doomed = new Set(items.map((i) => keyOf(table, i)));
        tables.set(
          table.logicalName,
          tables.get(table.logicalName)!.filter((i) => !doomed.has(keyOf(table, i))),
        );
        return items.length;
      },
    },
    objects: {
      async *objects() {},
      async *versions(prefix) {
        yield objects.filter((v) => v.key.startsWith(prefix));
      },
      async deleteVersions(versions) {
        maybeCrash('delete objects');
        objects = objects.filter((o) => !versions.some((v) => v.key === o.key && v.versionId === o.versionId));
        return versions.length;
      },
      read: async () => null,
      upload: async () => {},
      size: async () => null,
      presignGet: async () => '',
    },
    accounts: {
      passwordMatches: async () => true,
      disable: async (id) => (disabled.add(id), accounts.has(id)),
      delete: async (id) => {
        maybeCrash('delete sign-in');
        return accounts.delete(id);
      },
    },
    mailer: {
      send: async (message) => {
        maybeCrash('mail');
        mail.push(message);
      },
    },
    now: () => new Date('2026-12-07T06:00:00Z'),
    log: { info() {}, warn() {} },
  };
  let saved: DeletionProgress | null = null;
  const progress = (): JobProgress => ({
    jobId: ACCOUNT_DELETION_JOB_ID,
    saved,
    async save(value) {
      saved = structuredClone(value as DeletionProgress);
    },
  });
  return {
    deps,
    progress,
    tables,
    objects: () => objects,
    accounts,
    disabled,
    mail,
    crashAt: (point: string) => (crashAt = point),
  };
}

/** Items whose partition key names `who` (user_id, or SearchTerms' `<user>#<shard>` term_key). */
const itemsOf = (tables: Map<string, Item[]>, who: string) =>
  [...tables.values()]
    .flat()
    .filter((i) => String(i.user_id ?? i.term_key).startsWith(who) && i.job_id !== ACCOUNT_DELETION_JOB_ID);

const SEARCH_ITEMS = searchItemsOf(searchedExpense('x')).length;

describe('account deletion', () => {
  it('given a crash after the tables and another in the middle of the bucket, when the job runs again twice, then everything of the owner is gone, counted once, the other user untouched, one receipt emailed', async () => {
    const world = givenAccount('ada', 'bob');
    const request = { email: 'ada@example.com' };

    world.crashAt('delete objects');
    await expect(deleteAccount(world.deps, 'ada', request, world.progress())).rejects.toThrow(
      'crash at delete objects',
    );
    expect(world.disabled.has('ada')).toBe(true);
    expect(itemsOf(world.tables, 'ada')).toEqual([]);

    world.crashAt('mail');
    await expect(deleteAccount(world.deps, 'ada', request, world.progress())).rejects.toThrow('crash at mail');
    expect(world.accounts.has('ada')).toBe(false);
    expect(world.mail).toEqual([]);

    const result = await deleteAccount(world.deps, 'ada', request, world.progress());
    const counts = Object.fromEntries(result.counts.map((c) => [c.what, c.count]));
    expect(counts).toMatchObject({
      Users: 1,
      Expenses: 2,
      Receipts: 2, // the receipt and its file-hash claim
      Budgets: 1,
      SearchTerms: SEARCH_ITEMS,
      Recurring: 2,
      Sharing: 2,
      'jobs cancelled': 1,
      's3:receipts/': 3, // two versions and a delete marker
      's3:reports/': 1,
      cognito: 1,
    });
    expect(world.mail).toHaveLength(1);
    expect(world.mail[0].to).toBe('ada@example.com');
    expect(world.mail[0].text).toMatch(/expenses:\s+2\n/);

    // Bob, and the user whose id merely starts with ada's, keep everything.
    expect(itemsOf(world.tables, 'bob')).toHaveLength(11 + SEARCH_ITEMS);
    expect(world.mail[0].text).toMatch(/recurring charges and dismissals:\s+2\n/);
    expect(world.mail[0].text).toMatch(new RegExp(`search index entries:\\s+${SEARCH_ITEMS}\\n`));
    expect(world.objects().map((o) => o.key)).toEqual(['receipts/bob/r1.jpg', 'receipts/adax/r1.jpg']);
    expect(world.accounts.has('bob')).toBe(true);
    // Only the deletion's own job item is left, for the runner to delete once the owner is told.
    expect(world.tables.get('Jobs')!.filter((j) => j.user_id === 'ada')).toEqual([
      { user_id: 'ada', job_id: ACCOUNT_DELETION_JOB_ID },
    ]);
  });

  it('given the deletion already finished, when it runs again (a duplicated event), then nothing more is deleted or mailed', async () => {
    const world = givenAccount('ada', 'bob');
    const first = await deleteAccount(world.deps, 'ada', { email: 'ada@example.com' }, world.progress());
    const again = await deleteAccount(world.deps, 'ada', { email: 'ada@example.com' }, world.progress());
    expect(again.counts).toEqual(first.counts);
    expect(world.mail).toHaveLength(1);
  });

  it('given data written while the deletion ran (an OCR run that was already reading), then the last look deletes it too', async () => {
    const world = givenAccount('ada', 'bob');
    const original = world.deps.objects.deleteVersions;
    let late = true;
    world.deps.objects.deleteVersions = async (versions) => {
      const n = await original(versions);
      if (late) {
        late = false;
        world.tables.get('Expenses')!.push({ user_id: 'ada', expense_id: 'from-ocr' });
      }
      return n;
    };
    const result = await deleteAccount(world.deps, 'ada', { email: null }, world.progress());
    expect(itemsOf(world.tables, 'ada')).toEqual([]);
    expect(result.counts.find((c) => c.what === 'Expenses')!.count).toBe(3);
    expect(world.mail).toEqual([]);
  });
});
