import { describe, expect, it } from 'vitest';
import type { ExpenseItem } from '../../../../model/expenses.ts';
import {
  IMPORT_LEASE_MS,
  IMPORT_MAX_ATTEMPTS,
  type StatementImportItem,
  type StatementReportLineItem,
} from '../../../../model/statements.ts';
import { runImport, sweepImports, type LineClaim, type StatementDeps } from '../../../../functions/statements/core.ts';

const OWNER = 'user-1';
const CSV = [
  'Date,Description,Amount',
  '2024-03-06,CARD PURCHASE CORNER BAKERY,-12.40',
  '2024-03-04,GROCER MART,-54.10',
  '2024-03-07,STARBUCKS 1234,-4.50',
  '2024-03-08,SALARY,100.00',
].join('\n');

/**
 * The ports over maps, with one write that fails once, as a process killed mid-import would leave
 * things (`killedOnPut`: nothing after the failed write runs, so the run's lease stays taken).
 * Imports are leased as the DynamoDB adapter leases them (functions/shared/job-store.ts leaseWrites).
 */
function memoryDeps(options: { crashOnPut?: number; killedOnPut?: number } = {}) {
  const imports = new Map<string, StatementImportItem>();
  const lines = new Map<string, StatementReportLineItem>();
  const claims = new Map<string, LineClaim>();
  const expenses = new Map<string, ExpenseItem & { statementLine?: unknown }>();
  let puts = 0;
  let clock = Date.parse('2024-03-10T00:00:00Z');
  let killed = false;
  const iso = (ms: number) => new Date(ms).toISOString();
  const deps: StatementDeps = {
    objects: { presignPut: async () => 'unused', read: async () => new TextEncoder().encode(CSV) },
    uploads: { put: async () => {} },
    imports: {
      get: async (_owner, id) => structuredClone(imports.get(id) ?? null),
      claim: async (_owner, id, lease, maxAttempts) => {
        const item = imports.get(id);
        if (!item || (item.attempts ?? 0) >= maxAttempts) return null;
        const leaseFree =
          !item.lease_until ||
          item.lease_until < lease.now ||
          (lease.voidBefore !== null && (item.leased_at ?? 0) < lease.voidBefore);
        if (!(item.status === 'PENDING' || (item.status === 'RUNNING' && leaseFree))) return null;
        Object.assign(item, {
          status: 'RUNNING',
          lease_id: lease.id,
          lease_until: lease.until,
          leased_at: lease.now,
          updatedAt: iso(lease.now),
          attempts: (item.attempts ?? 0) + 1,
        });
        return structuredClone(item);
      },
      renew: async (_owner, id, leaseId, until) => {
        const item = imports.get(id)!;
        if (item.lease_id !== leaseId || item.status !== 'RUNNING') return false;
        item.lease_until = until;
        return true;
      },
      release: async (_owner, id, leaseId) => {
        const item = imports.get(id)!;
        if (killed || item.lease_id !== leaseId || item.status !== 'RUNNING') return;
        item.lease_until = null;
        item.updatedAt = iso(clock);
      },
      finish: async (_owner, id, fields) => {
        const item = Object.assign(imports.get(id)!, fields);
        delete item.pending;
        delete item.lease_id;
        delete item.lease_until;
      },
      putLine: async (line) => void lines.set(`${line.user_id}/${line.import_key}`, line),
      stale: async (before) => ({
        imports: [...imports.values()]
          .filter((item) => item.pending && item.updatedAt < before)
          .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
          .map((item) => ({ owner: item.user_id, importId: item.import_key })),
      }),
    },
    claims: {
      claim: async (_owner, claim) => {
        const held = claims.get(claim.lineKey);
        if (held?.written) return held;
        claims.set(claim.lineKey, { ...claim });
        return null;
      },
      markWritten: async (_owner, key) => void (claims.get(key)!.written = true),
    },
    expenses: {
      between: async (_owner, from, to) => [...expenses.values()].filter((e) => e.date >= from && e.date <= to),
      putNew: async (item) => {
        puts += 1;
        if (puts === options.crashOnPut) throw new Error('killed');
        if (puts === options.killedOnPut) {
          killed = true;
          throw new Error('killed');
        }
        if (expenses.has(item.expense_id)) return false;
        expenses.set(item.expense_id, item);
        return true;
      },
      attachLine: async (_owner, id, line) => {
        const e = expenses.get(id);
        if (!e || (e.statementLine && (e.statementLine as { key: string }).key !== line.key)) return false;
        e.statementLine = line;
        return true;
      },
    },
    expensesAdded: async () => {},
    homeCurrency: async () => 'USD',
    convert: async (_owner, e) =>
      e.currency === 'USD'
        ? { amount: e.amount, currency: 'USD', rate: '1', rateDate: e.date, source: 'SAME', stale: false }
        : null,
    categorize: async () => ({ category: 'OTHER', source: 'RULES', confidence: 0 }),
    expenseIdOf: (_owner, key) => `E-${key}`,
    newId: () => 'unused',
    now: () => new Date((clock += 1000)),
    leasesVoidBefore: null,
    log: { warn: () => {} },
  };
  const receipt: ExpenseItem = {
    user_id: OWNER,
    expense_id: 'E-receipt',
    merchant: 'CORNER BAKERY',
    amount: 1240,
    currency: 'USD',
    date: '2024-03-05',
    category: 'DINING',
    category_date: 'DINING#2024-03-05',
    categorySource: 'RULES',
    categoryConfidence: 1,
    receiptId: 'R1',
    needsReview: false,
    version: 1,
    createdAt: '',
    updatedAt: '',
  };
  expenses.set(receipt.expense_id, receipt);
  // As importStatement stores it (resolvers/Mutation.importStatement/2.storeImport): PENDING, in the sweep's index.
  const newImport = (id: string) =>
    imports.set(id, {
      user_id: OWNER,
      import_key: id,
      status: 'PENDING',
      uploadId: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
      request: { account: 'Checking' },
      createdAt: iso(clock),
      updatedAt: iso(clock),
      pending: 'Y',
      attempts: 0,
    });
  const advance = (ms: number) => void (clock += ms);
  /** A new process: what the killed one left is there, and it runs to the end. */
  const restart = () => void (killed = false);
  return { deps, imports, lines, expenses, newImport, advance, restart };
}

const sweep = (deps: StatementDeps) => sweepImports(deps, { timeLeftMs: () => Number.MAX_SAFE_INTEGER });

describe('running an import', () => {
  it('given a run killed in the middle, when the import runs again, then it finishes with one expense per purchase', async () => {
    const memory = memoryDeps({ crashOnPut: 2 });
    memory.newImport('I1');
    await expect(runImport(memory.deps, OWNER, 'I1')).rejects.toThrow('killed');
    expect(memory.imports.get('I1')!.status).toBe('RUNNING');

    await runImport(memory.deps, OWNER, 'I1');
    expect(memory.imports.get('I1')).toMatchObject({
      status: 'SUCCEEDED',
      counts: { lineCount: 4, created: 2, matched: 1, skippedCredits: 1, alreadyImported: 0 },
    });
    expect(memory.expenses.size).toBe(3); // the receipt's, and two from lines
    expect(memory.expenses.get('E-receipt')!.statementLine).toMatchObject({ amount: 1240, date: '2024-03-06' });

    // Lambda delivers the same Event once more: nothing changes.
    await runImport(memory.deps, OWNER, 'I1');
    expect(memory.expenses.size).toBe(3);
  });

  it('given a second import of the same lines, when run, then every line is already imported and the first report stands', async () => {
    const memory = memoryDeps();
    memory.newImport('I1');
    memory.newImport('I2');
    await runImport(memory.deps, OWNER, 'I1');
    await runImport(memory.deps, OWNER, 'I2');
    expect(memory.imports.get('I2')).toMatchObject({
      status: 'SUCCEEDED',
      counts: { created: 0, matched: 0, alreadyImported: 3, skippedCredits: 1 },
    });
    expect(memory.expenses.size).toBe(3);
    expect(memory.lines.get(`${OWNER}#report-lines/I2#line#000001`)).toMatchObject({
      outcome: 'ALREADY_IMPORTED',
      receiptId: 'R1',
    });
    expect(memory.lines.get(`${OWNER}#report-lines/I1#line#000001`)).toMatchObject({
      outcome: 'MATCHED',
      receiptId: 'R1',
    });
  });

  it('given the upload is gone, when the import runs, then it is FAILED with NotFound and writes nothing', async () => {
    const memory = memoryDeps();
    memory.deps.objects.read = async () => null;
    memory.newImport('I1');
    await runImport(memory.deps, OWNER, 'I1');
    expect(memory.imports.get('I1')).toMatchObject({ status: 'FAILED', error: { errorType: 'NotFound' } });
    expect(memory.expenses.size).toBe(1);
  });
});

describe('the sweep of imports whose start was lost or whose run died', () => {
  it('given an import whose start was lost, when the sweep runs a lease after it was stored, then it is imported and leaves the sweep; a sweep before that leaves it to its start', async () => {
    const memory = memoryDeps();
    memory.newImport('I1');

    expect(await sweep(memory.deps)).toEqual({ imported: 0, notRun: 0, failed: 0 });
    expect(memory.imports.get('I1')!.status).toBe('PENDING');

    memory.advance(IMPORT_LEASE_MS);
    expect(await sweep(memory.deps)).toEqual({ imported: 1, notRun: 0, failed: 0 });
    expect(memory.imports.get('I1')).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 1,
      counts: { created: 2, matched: 1, skippedCredits: 1 },
    });
    expect(memory.imports.get('I1')!.pending).toBeUndefined();
    expect(memory.expenses.size).toBe(3);

    // The lost start arrives after all, and later sweeps come: nothing runs again.
    memory.advance(IMPORT_LEASE_MS);
    expect(await runImport(memory.deps, OWNER, 'I1')).toBeNull();
    expect(await sweep(memory.deps)).toEqual({ imported: 0, notRun: 0, failed: 0 });
    expect(memory.expenses.size).toBe(3);
  });

  it('given a run killed in the middle, when the sweep comes while its lease holds, then it is left to that run; once the lease ran out, the import is finished and the lines already imported stay imported once', async () => {
    const memory = memoryDeps({ killedOnPut: 2 });
    memory.newImport('I1');
    await expect(runImport(memory.deps, OWNER, 'I1')).rejects.toThrow('killed');
    memory.restart();
    const dead = memory.imports.get('I1')!;
    expect(dead).toMatchObject({ status: 'RUNNING', attempts: 1 });
    expect(memory.expenses.size).toBe(2); // the receipt's, and the line it had made

    // Past the sweep's cutoff, but the run's lease is still held (as a live run renewing it would hold it).
    dead.lease_until = Date.parse(dead.updatedAt) + 3 * IMPORT_LEASE_MS;
    memory.advance(2 * IMPORT_LEASE_MS);
    expect(await sweep(memory.deps)).toEqual({ imported: 0, notRun: 1, failed: 0 });
    expect(memory.imports.get('I1')).toMatchObject({ status: 'RUNNING', attempts: 1 });

    memory.advance(2 * IMPORT_LEASE_MS);
    expect(await sweep(memory.deps)).toEqual({ imported: 1, notRun: 0, failed: 0 });
    expect(memory.imports.get('I1')).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 2,
      counts: { lineCount: 4, created: 2, matched: 1, alreadyImported: 0 },
    });
    expect(memory.expenses.size).toBe(3);
    expect(memory.expenses.get('E-receipt')!.statementLine).toMatchObject({ amount: 1240 });
  });

  it('given an import whose every run died, when the sweep finds it with no attempt left, then it is FAILED with an InternalError and leaves the sweep', async () => {
    const memory = memoryDeps();
    memory.newImport('I1');
    Object.assign(memory.imports.get('I1')!, {
      status: 'RUNNING',
      attempts: IMPORT_MAX_ATTEMPTS,
      lease_id: 'dead-run',
      lease_until: Date.parse(memory.imports.get('I1')!.updatedAt) + IMPORT_LEASE_MS,
    });
    memory.advance(2 * IMPORT_LEASE_MS);

    expect(await sweep(memory.deps)).toEqual({ imported: 0, notRun: 1, failed: 0 });
    expect(memory.imports.get('I1')).toMatchObject({
      status: 'FAILED',
      error: { errorType: 'InternalError', message: 'The import could not be completed' },
    });
    expect(memory.imports.get('I1')!.pending).toBeUndefined();
    expect(memory.expenses.size).toBe(1);
    expect(await sweep(memory.deps)).toEqual({ imported: 0, notRun: 0, failed: 0 });
  });

  it('given a run that throws on its last attempt, when it fails, then the import is FAILED rather than retried forever', async () => {
    const memory = memoryDeps({ crashOnPut: 1 });
    memory.newImport('I1');
    memory.imports.get('I1')!.attempts = IMPORT_MAX_ATTEMPTS - 1;

    expect(await runImport(memory.deps, OWNER, 'I1')).toBeNull();
    expect(memory.imports.get('I1')).toMatchObject({
      status: 'FAILED',
      attempts: IMPORT_MAX_ATTEMPTS,
      error: { errorType: 'InternalError' },
    });
  });
});
