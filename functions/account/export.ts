import { PassThrough, Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { categoryEntriesOf, type CategoriesItem } from '../../model/categories.ts';
import { accountArchiveKey, receiptRetentionDaysOf, REPORT_KEY_PREFIX } from '../../model/data-lifecycle.ts';
import { historyEntryOf, type ChangeRecord } from '../../model/history.ts';
import { isSplitIndexItem } from '../../model/splits.ts';
import type { AccountExportResult } from '../../model/jobs.ts';
import {
  reportLinesPartition,
  reportLinesPrefixOf,
  statementImportOf,
  type StatementImportItem,
} from '../../model/statements.ts';
import { tableByLogicalName, type TableDefinition } from '../../model/tables.ts';
import { csvFromPages } from '../shared/csv-cells.ts';
import { FieldError } from '../shared/field-call.ts';
import { decimalAmount } from '../shared/money.ts';
import type { AccountLog, Item, Mailer, UserItems, UserObjects } from './ports.ts';
import { RULE_PREFIX } from '../../model/recurring.ts';

/**
 * "Export everything": one zip of all the user's data in open formats, JSON (complete, as
 * stored, keys renamed as the API names them) and CSV (a row per item, for spreadsheets), the
 * receipt images and the kept report emails, with a README saying what each file holds.
 *
 * Memory stays one page: the zip streams to S3 as it is made (multipart), and each file is
 * produced only when the zip reaches it, from its own paged reads (a file in JSON and CSV is
 * read twice rather than held). The archive's key is the job's, so a run after a crash makes the
 * same object again from the start: restartable, idempotent.
 */
export interface ExportDeps {
  items: UserItems;
  objects: UserObjects;
  mailer: Mailer;
  now(): Date;
  log: AccountLog;
}

/** The archive lives a day (the bucket's rule for exports/); a link to it, 15 minutes at a time. */
export const ARCHIVE_LIFETIME_MS = 24 * 3600 * 1000;
export const ARCHIVE_LINK_SECONDS = 15 * 60;
/** The emailed link: long enough to read the email, within what a Lambda role's credentials can sign. */
export const EMAILED_LINK_SECONDS = 3600;

export type { AccountExportResult };

// Not SearchTerms: the search index is derived from the expenses (their merchant, note, line items
// and tags are in expenses.json), bookkeeping like the index keys left out of every item.
const DATA_TABLES = [
  'Expenses',
  'Budgets',
  'Receipts',
  'Merchants',
  'Rates',
  'History',
  'Recurring',
  'Categories',
  'Sharing',
] as const;

/** Keys renamed as the API names them; bookkeeping (index keys, leases, change records) left out. */
const INTERNAL = new Set([
  'user_id',
  'category_date',
  'status_key',
  'inflight',
  'leaseId',
  'leaseUntil',
  'leasedAt',
  'attempts',
  'lastError',
  'followUpsPending',
  'expenseBefore',
  'correlationId',
  'lastChange',
  'weeklyReport',
  'monthlyReport',
  'weeklyReportLease',
  'monthlyReportLease',
  'pendingAlerts',
  'fired',
  'expires_at',
  'pending',
  'entry_key',
]);
const RENAMED: Record<string, string> = {
  expense_id: 'id',
  receipt_id: 'id',
  budget_id: 'id',
  merchant_key: 'merchantKey',
  image_expires_on: 'imageExpiresOn',
};

export function publicFields(item: Item): Item {
  const out: Item = {};
  for (const [key, value] of Object.entries(item)) {
    if (INTERNAL.has(key)) continue;
    out[RENAMED[key] ?? key] = value;
  }
  return out;
}

const cell = (value: unknown) =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** A CSV file: its columns, and how an item becomes a row. */
interface CsvShape {
  columns: string[];
  row(item: Item): string[];
  numeric?: string[];
}

const CSV_SHAPES: Record<string, CsvShape> = {
  Expenses: {
    columns: [
      'id',
      'date',
      'merchant',
      'category',
      'amount',
      'currency',
      'note',
      'tags',
      'receipt_id',
      'category_source',
      'needs_review',
      'version',
      'created_at',
      'updated_at',
    ],
    row: (e) =>
      [
        e.expense_id,
        e.date,
        e.merchant,
        e.category,
        decimalAmount(e.amount, e.currency),
        e.currency,
        e.note,
        // Free tags, one cell: tags never hold ';' alone as a word, and the JSON keeps them as a list.
        (e.tags ?? []).join('; '),
        e.receiptId,
        e.categorySource,
        e.needsReview,
        e.version,
        e.createdAt,
        e.updatedAt,
      ].map(cell),
    numeric: ['amount'],
  },
  Budgets: {
    columns: ['id', 'name', 'category', 'period', 'amount', 'currency', 'thresholds', 'rollover', 'created_at'],
    row: (b) =>
      [
        b.budget_id,
        b.name,
        b.category ?? 'ALL',
        b.period,
        decimalAmount(b.amount, b.currency),
        b.currency,
        (b.thresholds ?? []).join(' '),
        b.rollover,
        b.createdAt,
      ].map(cell),
    numeric: ['amount'],
  },
  Receipts: {
    columns: [
      'id',
      'status',
      'file',
      'file_name',
      'content_type',
      'size',
      'sha256',
      'merchant_read',
      'date_read',
      'total_read',
      'currency_read',
      'expense_id',
      'error',
      'image_expires_on',
      'image_expired_at',
      'created_at',
    ],
    row: (r) => {
      const x = r.extraction ?? {};
      return [
        r.receipt_id,
        r.status,
        imageFileOf(r) ?? '',
        r.fileName,
        r.contentType,
        r.size,
        r.sha256,
        x.merchant?.value,
        x.date?.value,
        x.total && x.currency ? decimalAmount(x.total.amount, x.currency.value) : x.total?.amount,
        x.currency?.value,
        r.expenseId,
        r.error,
        r.image_expires_on,
        r.imageExpiredAt,
        r.createdAt,
      ].map(cell);
    },
  },
  Rates: {
    columns: ['currency', 'from', 'base', 'rate', 'set_at'],
    row: (r) => [r.currency, r.from, r.base, r.rate, r.setAt].map(cell),
    numeric: ['rate'],
  },
  Merchants: {
    // custom_category_id: one of categories.json, as the user filed the merchant (empty for a default category).
    columns: ['merchant', 'category', 'custom_category_id', 'updated_at'],
    row: (m) => [m.merchant, m.category, m.customCategoryId, m.updatedAt].map(cell),
  },
};

/** The zip path of a receipt's image: `receipts/<id>.<ext>`, the extension its key has; null once expired or never uploaded. */
function imageFileOf(receipt: Item): string | null {
  if (!receipt.s3Key || receipt.imageExpiredAt || receipt.status === 'PENDING_UPLOAD') return null;
  const extension = String(receipt.s3Key).split('.').pop();
  return `receipts/${receipt.receipt_id}.${extension}`;
}

/** A budget's alerts: every threshold fired per period, with the delivery still pending if any. */
function alertsOf(budget: Item): Item[] {
  const alerts: Item[] = [];
  for (const [periodStart, thresholds] of Object.entries((budget.fired ?? {}) as Record<string, number[]>)) {
    for (const threshold of thresholds) {
      const pending = ((budget.pendingAlerts ?? []) as Item[]).find(
        (p) => p.alert?.periodStart === periodStart && p.alert?.threshold === threshold,
      );
      alerts.push({
        id: `${budget.budget_id}:${periodStart}:${threshold}`,
        budgetId: budget.budget_id,
        budgetName: budget.name,
        periodStart,
        threshold,
        ...(pending
          ? {
              spent: pending.alert.spent,
              limit: pending.alert.limit,
              currency: pending.alert.currency,
              firedAt: pending.alert.firedAt,
              delivered: false,
            }
          : { delivered: true }),
      });
    }
  }
  return alerts;
}

const ALERT_SHAPE: CsvShape = {
  columns: ['id', 'budget_id', 'budget_name', 'period_start', 'threshold', 'delivered'],
  row: (a) => [a.id, a.budgetId, a.budgetName, a.periodStart, a.threshold, a.delivered].map(cell),
};

const HISTORY_SHAPE: CsvShape = {
  columns: ['item_type', 'item_id', 'version', 'action', 'at', 'by', 'path', 'field', 'before', 'after'],
  row: () => [],
};

/** One line of history.csv per field changed (a change without fields, one line with empty field). */
function historyRows(entry: ChangeRecord): string[][] {
  const base = [entry.itemType, entry.itemId, entry.version, entry.action, entry.at, entry.by, entry.path].map(cell);
  if (!entry.changes?.length) return [[...base, '', '', '']];
  return entry.changes.map((c) => [...base, c.field, cell(c.before), cell(c.after)]);
}

/** JSON array streamed from pages: `[`, items separated by commas, `]`. */
function jsonArray(pages: AsyncIterable<Item[]>): Readable {
  return Readable.from(
    (async function* () {
      yield '[\n';
      let first = true;
      for await (const page of pages) {
        for (const item of page) {
          yield `${first ? '' : ',\n'}${JSON.stringify(item)}`;
          first = false;
        }
      }
      yield '\n]\n';
    })(),
  );
}

async function* mapPages(pages: AsyncIterable<Item[]>, map: (item: Item) => Item[]): AsyncGenerator<Item[]> {
  for await (const page of pages) yield page.flatMap(map);
}

const README = (owner: string, at: string) => `Your data from Smart Expense Tracker
Account ${owner}, exported ${at}.

Every file is UTF-8. JSON files hold everything as stored (amounts in minor units of
their currency: 1250 EUR is 12.50 EUR); CSV files hold one row per item for spreadsheets
(amounts as decimals), RFC 4180 with CRLF line ends.

profile.json                 your profile: email, name, home currency, time zone, date order,
                             report schedule, receipt retention
expenses.json, .csv          every expense
budgets.json, .csv           every budget
alerts.json, .csv            every budget alert fired: budget, period, threshold
receipts.json, .csv          every receipt: status, what OCR read (with confidences in JSON),
                             its expense; "file" names its image in this archive
receipts/<id>.<ext>          the receipt images as stored (images past your retention are gone)
reports/*.eml                the report emails kept in your account (open in any mail client)
learned-categories.json,.csv the categories you taught for merchants
exchange-rates.json, .csv    the exchange rates you set (setExchangeRate)
statement-imports.json       every bank statement import: file, format, counts, unmatched receipts
statement-lines.json         each imported statement line: what became of it, and why
recurring.json               the recurring charges you confirmed (rules) and dismissed
categories.json              your own categories, merged (mergedInto) and deleted ones too:
                             expenses name them by customCategoryId
history.json, .csv           every change to your expenses, budgets and receipts: who, when,
                             which path, each field before and after (CSV: a row per field)
`;

/** Runs the EXPORT_ACCOUNT job: the archive, then the owner told by email (the job runner pushes onJobDone). */
export async function exportAccount(deps: ExportDeps, owner: string, jobId: string): Promise<AccountExportResult> {
  const profiles = await firstPage(deps.items.pages(tableByLogicalName('Users'), owner));
  const profile = profiles.find((p) => p.user_id === owner);
  if (!profile) throw new FieldError('NotFound', 'Profile not found', { id: owner });
  const startedAt = deps.now();
  const counts = new Map<string, number>();
  const count = (what: string, n = 1) => counts.set(what, (counts.get(what) ?? 0) + n);

  // Image files and report emails are listed first (ids and keys only), so the zip's entries are known before it ends.
  const images: Array<{ file: string; key: string }> = [];
  const lastChanges = new Map<string, ChangeRecord>();
  for await (const page of deps.items.pages(tableByLogicalName('Receipts'), owner)) {
    for (const receipt of page) {
      const file = receipt.user_id === owner ? imageFileOf(receipt) : null;
      if (file) images.push({ file, key: receipt.s3Key });
    }
  }
  const reports: Array<{ file: string; key: string }> = [];
  for await (const page of deps.objects.objects(`${REPORT_KEY_PREFIX}${owner}/`)) {
    for (const { key } of page) reports.push({ file: `reports/${key.split('/').pop()}`, key });
  }

  const zip = new ZipFile();
  let fileCount = 0;
  const add = (path: string, make: () => Readable | Promise<Readable>) => {
    fileCount += 1;
    zip.addReadStreamLazy(path, { mtime: startedAt }, (cb) => {
      Promise.resolve(make()).then(
        (stream) => cb(null, stream),
        (error: Error) => cb(error, null as unknown as Readable),
      );
    });
  };
  const pagesOf = (name: string, countAs?: string): AsyncIterable<Item[]> => {
    const table = tableByLogicalName(name);
    return mapPages(deps.items.pages(table, owner), (item) => {
      // The owner's own partition only (Receipts also holds `<owner>#sha256` hash claims: bookkeeping).
      if (table.partitionKey === 'user_id' && item.user_id !== owner) return [];
      // A split expense's category index entries (model/splits.ts) are derived from it: bookkeeping too.
      if (name === 'Expenses' && isSplitIndexItem(item as { expense_id: string })) return [];
      if (item.lastChange) lastChanges.set(item.lastChange.entry_key, item.lastChange as ChangeRecord);
      if (countAs) count(countAs);
      return [item];
    });
  };

  zip.addBuffer(Buffer.from(README(owner, startedAt.toISOString())), 'README.txt', { mtime: startedAt });
  fileCount += 1;
  zip.addBuffer(
    Buffer.from(
      `${JSON.stringify({ ...publicFields(profile), id: owner, receiptRetentionDays: receiptRetentionDaysOf(profile) }, null, 2)}\n`,
    ),
    'profile.json',
    { mtime: startedAt },
  );
  fileCount += 1;
  for (const [name, file] of [
    ['Expenses', 'expenses'],
    ['Budgets', 'budgets'],
    ['Receipts', 'receipts'],
    ['Merchants', 'learned-categories'],
    ['Rates', 'exchange-rates'],
  ] as const) {
    const shape = CSV_SHAPES[name];
    // A rate's keys (`USER#<id>`, `<currency>#<from>`) say again what its fields say.
    const fields = name === 'Rates' ? ({ series: _series, period: _period, ...rate }: Item) => rate : publicFields;
    add(`${file}.json`, () => jsonArray(mapPages(pagesOf(name, name), (item) => [fields(item)])));
    add(`${file}.csv`, () =>
      csvFromPages(
        shape.columns,
        mapPages(pagesOf(name), (item) => [shape.row(item)]) as AsyncIterable<never>,
        new Set(shape.numeric ?? []),
      ),
    );
    if (name === 'Budgets') {
      add('alerts.json', () =>
        jsonArray(mapPages(pagesOf(name), (budget) => alertsOf(budget).map((a) => (count('alerts'), a)))),
      );
      add('alerts.csv', () =>
        csvFromPages(
          ALERT_SHAPE.columns,
          mapPages(pagesOf(name), (budget) => alertsOf(budget).map(ALERT_SHAPE.row)) as AsyncIterable<never>,
        ),
      );
    }
  }
  // Statement imports as the API shows them; their report lines (kept in `<owner>#report-lines`) with the import's id.
  add('statement-imports.json', () =>
    jsonArray(
      mapPages(pagesOf('StatementImports', 'statement imports'), (item) => [
        statementImportOf(item as StatementImportItem),
      ]),
    ),
  );
  add('statement-lines.json', () =>
    jsonArray(
      mapPages(deps.items.pages(tableByLogicalName('StatementImports'), owner), (item) => {
        if (item.user_id !== reportLinesPartition(owner)) return [];
        const { user_id: _partition, import_key: key, ...line } = item;
        return [{ importId: String(key).split(reportLinesPrefixOf(''))[0], ...line }];
      }),
    ),
  );
  for (const image of images) {
    add(image.file, async () => {
      const body = await deps.objects.read(image.key);
      count('receipt images');
      // Deleted since it was listed (by the user or the retention rule): an empty file says so.
      return body ?? Readable.from([]);
    });
  }
  for (const report of reports) {
    add(report.file, async () => {
      count('report emails');
      return (await deps.objects.read(report.key)) ?? Readable.from([]);
    });
  }
  // History last: by then every item has been read, and an entry an item still carries
  // (its History write was lost in a crash) is in `lastChanges` to be added.
  const historyPages = () =>
    (async function* () {
      const seen = new Set<string>();
      const present = new Set([...lastChanges.values()].map((c) => `${c.itemId}#${c.itemType}#${c.incarnation}`));
      for await (const page of pagesOf('History')) {
        const entries: ChangeRecord[] = [];
        for (const entry of page as ChangeRecord[]) {
          seen.add(entry.entry_key);
          // A pending deletion of an item still there did not happen.
          if (entry.pending && present.has(`${entry.itemId}#${entry.itemType}#${entry.incarnation}`)) continue;
          entries.push(entry);
        }
        yield entries;
      }
      yield [...lastChanges.values()].filter((c) => !seen.has(c.entry_key));
    })();
  // Confirmed rules and dismissed candidates; `rule_id` only says which of the two (`kind` does), `due_on` is the daily check's.
  add('recurring.json', () =>
    jsonArray(
      mapPages(pagesOf('Recurring', 'recurring charges'), ({ rule_id: ruleId, due_on: _dueOn, ...item }: Item) => [
        { kind: String(ruleId).startsWith(RULE_PREFIX) ? 'rule' : 'dismissed', ...publicFields(item) },
      ]),
    ),
  );
  // Each custom category (the user's one Categories item, model/categories.ts); its name claims and counts are bookkeeping.
  add('categories.json', () =>
    jsonArray(
      mapPages(pagesOf('Categories'), (item) =>
        categoryEntriesOf(item as CategoriesItem).map((entry) => (count('custom categories'), entry)),
      ),
    ),
  );
  // Shared expenses as the user keeps them (theirs and others'), and their ledger with each person:
  // one entry per share and per payment, whose sums are the balances. `item_key` repeats the rest.
  add('sharing.json', () =>
    jsonArray(
      mapPages(pagesOf('Sharing'), ({ item_key: _key, ...item }: Item) =>
        // The day's count of shares made and the marks of withdrawn shares (bookkeeping, deleted by TTL) are left out.
        item.kind === 'quota' || item.kind === 'withdrawn' ? [] : [(count('sharing entries'), publicFields(item))],
      ),
    ),
  );
  add('history.json', () =>
    jsonArray(mapPages(historyPages(), (entry) => [(count('history entries'), historyEntryOf(entry as ChangeRecord))])),
  );
  add('history.csv', () =>
    csvFromPages(
      HISTORY_SHAPE.columns,
      mapPages(historyPages(), (entry) => historyRows(entry as ChangeRecord)) as AsyncIterable<never>,
    ),
  );
  zip.end();

  const key = accountArchiveKey(owner, jobId);
  const body = new PassThrough();
  zip.outputStream.on('error', (error) => body.destroy(error));
  zip.outputStream.pipe(body);
  await deps.objects.upload(key, body, 'application/zip');
  const sizeBytes = (await deps.objects.size(key)) ?? 0;
  const expiresAt = new Date(startedAt.getTime() + ARCHIVE_LIFETIME_MS).toISOString();

  const link = await deps.objects.presignGet(key, EMAILED_LINK_SECONDS);
  await deps.mailer.send({
    to: profile.email,
    subject: 'Your data export is ready',
    messageId: `<account-export-${jobId}@expense-tracker>`,
    text: [
      `The archive of all your data is ready: ${formatSize(sizeBytes)}, ${fileCount} files.`,
      '',
      `Download it within the hour: ${link}`,
      '',
      `After that, ask the app (or the API's job(id: "${jobId}") { accountExport { url } }) for a fresh link; the archive itself is deleted at ${expiresAt}.`,
      '',
      'If you did not ask for this export, change your password.',
    ].join('\n'),
  });
  deps.log.info('account exported', { jobId, sizeBytes, fileCount });
  return {
    owner,
    archiveKey: key,
    expiresAt,
    sizeBytes,
    fileCount,
    counts: [...counts].map(([what, n]) => ({ what, count: n })),
  };
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function firstPage(pages: AsyncIterable<Item[]>): Promise<Item[]> {
  for await (const page of pages) return page;
  return [];
}

/** A fresh link to an archive for its owner, while it is kept (AccountExport.url). */
export async function archiveLink(
  deps: Pick<ExportDeps, 'objects' | 'now'>,
  caller: string,
  source: Partial<AccountExportResult> | null,
): Promise<string | null> {
  if (!source?.archiveKey || source.owner !== caller) return null;
  if (!source.expiresAt || Date.parse(source.expiresAt) <= deps.now().getTime()) return null;
  if ((await deps.objects.size(source.archiveKey)) === null) return null;
  return deps.objects.presignGet(source.archiveKey, ARCHIVE_LINK_SECONDS);
}

/** Tables an export reads besides Users (kept here so a test can check it covers every table with user data). */
export const EXPORTED_TABLES: readonly TableDefinition['logicalName'][] = ['Users', ...DATA_TABLES];
