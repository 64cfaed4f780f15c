import { JOB_PENDING_INDEX } from './jobs.ts';
import { IMAGE_EXPIRY_INDEX } from './receipts.ts';
import { RECURRING_DUE_INDEX } from './recurring.ts';
import { searchPartitionsOf } from './search.ts';
import { IMPORT_PENDING_INDEX } from './statements.ts';
import { REPORT_INDEX } from './users.ts';

/**
 * The DynamoDB tables: one source of truth for keys and indexes, read by the CDK data
 * construct and by the local runtime (which creates the same tables in dynalite).
 * Plain data with no CDK import, so the local runtime does not load aws-cdk-lib.
 */
export interface KeySchema {
  partitionKey: string;
  sortKey?: string;
}

export interface IndexDefinition extends KeySchema {
  indexName: string;
}

export interface TableDefinition extends KeySchema {
  /** Logical name: the data source name resolvers use (`Type.field.<logicalName>.ts`). */
  logicalName:
    | 'Users'
    | 'Receipts'
    | 'Expenses'
    | 'Budgets'
    | 'Merchants'
    | 'Jobs'
    | 'Rates'
    | 'StatementImports'
    | 'History'
    | 'SearchTerms'
    | 'Recurring'
    | 'Categories'
    | 'Sharing';
  /** Env var through which functions learn the physical table name. */
  envVar: string;
  indexes: IndexDefinition[];
  /** Attribute (epoch seconds) after which DynamoDB deletes the item; none when items are kept. */
  timeToLiveAttribute?: string;
  /**
   * Where a user's items are: partition key values, `{user}` standing for the user's id (`{user}`
   * is the user's own partition). Account deletion and export read exactly these, a Query each,
   * so every table must say; [] for a table that holds nothing of any user.
   */
  ownerPartitions: readonly string[];
}

/** Expenses by custom category and day (listExpenses with customCategoryId). */
export const CUSTOM_CATEGORY_INDEX = 'custom-category-index';

/** Stands for the user's id in `ownerPartitions`. */
const OWNER = '{user}';

export const TABLES: readonly TableDefinition[] = [
  {
    logicalName: 'Users',
    envVar: 'USERS_TABLE',
    partitionKey: 'user_id',
    // email-index lets the CLI tools and scheduled reports find a user by address.
    // The report indexes are sparse: `weeklyReport` / `monthlyReport` exist ('Y') only on the
    // users who asked for that email, so the scheduled run reads just them, page by page.
    indexes: [
      { indexName: 'email-index', partitionKey: 'email' },
      { indexName: REPORT_INDEX.WEEKLY.indexName, partitionKey: REPORT_INDEX.WEEKLY.attribute, sortKey: 'user_id' },
      { indexName: REPORT_INDEX.MONTHLY.indexName, partitionKey: REPORT_INDEX.MONTHLY.attribute, sortKey: 'user_id' },
      // Sparse: only users with a forwarding address (model/inbound-email.ts) have the key, so an
      // inbound message finds its owner with one Query; a rotated or revoked address finds no one.
      { indexName: 'forwarding-address-index', partitionKey: 'forwardingAddress' },
    ],
    ownerPartitions: [OWNER],
  },
  {
    logicalName: 'Receipts',
    envVar: 'RECEIPTS_TABLE',
    partitionKey: 'user_id',
    sortKey: 'receipt_id',
    indexes: [
      // status_key = `${status}#${receipt_id}`: "my receipts in status X, newest first" is one Query.
      { indexName: 'user-status-index', partitionKey: 'user_id', sortKey: 'status_key' },
      // Sparse: `inflight` is set only while a receipt waits for or is in OCR, so the sweep
      // that re-drives stuck receipts reads just those, across users, without a Scan.
      { indexName: 'inflight-index', partitionKey: 'inflight', sortKey: 'updatedAt' },
      // Sparse: `image_expires_on` (a day) is set while a receipt's image is kept, so the daily
      // retention sweep reads the receipts whose images expire on a day, across users, one Query a day.
      { indexName: IMAGE_EXPIRY_INDEX, partitionKey: 'image_expires_on', sortKey: 'receipt_id' },
    ],
    // `<user>#sha256`: the user's file-hash claims (functions/shared/receipt-repository.ts).
    ownerPartitions: [OWNER, `${OWNER}#sha256`, `${OWNER}#inbound`],
  },
  {
    logicalName: 'Expenses',
    envVar: 'EXPENSES_TABLE',
    partitionKey: 'user_id',
    sortKey: 'expense_id',
    indexes: [
      { indexName: 'user-date-index', partitionKey: 'user_id', sortKey: 'date' },
      // category_date = `${category}#${date}`: "category X between two days" is one Query.
      { indexName: 'user-category-index', partitionKey: 'user_id', sortKey: 'category_date' },
      // Sparse: only expenses filed under a custom category (whose ids are ULIDs made for one user)
      // have `customCategoryId`, so "custom category X between two days" is one Query, on what every
      // writer stores already (functions/search/custom-category.ts).
      { indexName: CUSTOM_CATEGORY_INDEX, partitionKey: 'customCategoryId', sortKey: 'date' },
    ],
    ownerPartitions: [OWNER],
  },
  {
    logicalName: 'Budgets',
    envVar: 'BUDGETS_TABLE',
    partitionKey: 'user_id',
    sortKey: 'budget_id',
    indexes: [],
    ownerPartitions: [OWNER],
  },
  {
    // What each user taught the categorizer: merchant_key (normalized merchant) -> category.
    logicalName: 'Merchants',
    envVar: 'MERCHANTS_TABLE',
    partitionKey: 'user_id',
    sortKey: 'merchant_key',
    indexes: [],
    ownerPartitions: [OWNER],
  },
  {
    // Long operations run in the background (model/jobs.ts): exports, report emails.
    logicalName: 'Jobs',
    envVar: 'JOBS_TABLE',
    partitionKey: 'user_id',
    sortKey: 'job_id',
    // Sparse: `pending` is set until the owner has been told the outcome, so the sweep that
    // resumes jobs after a crash reads just those, across users, without a Scan.
    indexes: [{ indexName: JOB_PENDING_INDEX, partitionKey: 'pending', sortKey: 'updatedAt' }],
    timeToLiveAttribute: 'expires_at',
    ownerPartitions: [OWNER],
  },
  {
    // Every change to an expense, budget or receipt (model/history.ts): `entry_key` is
    // `<item id>#<type>#<incarnation>#<version>`, so one item's history is one Query in order and
    // an entry's key is the change itself (a retried write puts the same key, never a second entry).
    logicalName: 'History',
    envVar: 'HISTORY_TABLE',
    partitionKey: 'user_id',
    sortKey: 'entry_key',
    indexes: [],
    timeToLiveAttribute: 'expires_at',
    ownerPartitions: [OWNER],
  },
  {
    // Statement imports (model/statements.ts): each import's summary, its report lines, and the
    // line claims that make a re-import idempotent, in partitions that all start with the owner.
    logicalName: 'StatementImports',
    envVar: 'STATEMENT_IMPORTS_TABLE',
    partitionKey: 'user_id',
    sortKey: 'import_key',
    // Sparse: `pending` is on an import until it has finished, so the sweep that runs again an
    // import whose start was lost reads just those, across users, without a Scan.
    indexes: [{ indexName: IMPORT_PENDING_INDEX, partitionKey: 'pending', sortKey: 'updatedAt' }],
    ownerPartitions: [OWNER, `${OWNER}#report-lines`, `${OWNER}#statement-lines`, `${OWNER}#uploads`],
  },
  {
    // Exchange rates (model/rates.ts): series `ECB` by month, series `USER#<sub>` by currency and day.
    // A day's rate is one Query (newest period on or before it), never a Scan.
    logicalName: 'Rates',
    envVar: 'RATES_TABLE',
    partitionKey: 'series',
    sortKey: 'period',
    indexes: [],
    // The ECB series is no one's; the rates a user set are theirs (model/rates.ts userRateSeriesOf).
    ownerPartitions: [`USER#${OWNER}`],
  },
  {
    // The search index (model/search.ts): `<user_id>#<shard>` -> `<term prefix>#<date>#<expense_id>`,
    // and `<user_id>##amount` -> `<amount>#<date>#<expense_id>`. A search is Queries on the caller's
    // partitions only, never a Scan. Derived from the expenses, so not exported (their words are);
    // deleted with the account, shard by shard.
    logicalName: 'SearchTerms',
    envVar: 'SEARCH_TERMS_TABLE',
    partitionKey: 'term_key',
    sortKey: 'entry',
    indexes: [],
    ownerPartitions: searchPartitionsOf(OWNER),
  },
  {
    // Recurring charges (model/recurring.ts): the user's confirmed rules (`RULE#<id>`) and the
    // candidates they dismissed (`DISMISSED#<id>`), one partition per user.
    logicalName: 'Recurring',
    envVar: 'RECURRING_TABLE',
    partitionKey: 'user_id',
    sortKey: 'rule_id',
    // Sparse: `due_on` is on confirmed rules only, the day their next charge is judged, so the
    // daily check reads the rules due on a day, across users, one Query a day.
    indexes: [{ indexName: RECURRING_DUE_INDEX, partitionKey: 'due_on', sortKey: 'user_id' }],
    ownerPartitions: [OWNER],
  },
  {
    // The user's own categories (model/categories.ts): one item per user, holding each category,
    // the tombstones of merged and deleted ones, and the name claims, so every change is one
    // conditional write and an expense's category one GetItem.
    logicalName: 'Categories',
    envVar: 'CATEGORIES_TABLE',
    partitionKey: 'user_id',
    indexes: [],
    ownerPartitions: [OWNER],
  },
  {
    // Shared expenses and balances (model/sharing.ts): each person's copy of the expenses they share
    // (`SHARE#<id>`) and their ledger with each other person (`LEDGER#<email>#<currency>#<entry>`). What
    // is shared with an email that has no account waits in `PENDING#<email>` until that person signs up
    // (it is not theirs to export or delete before then). The other people's copies stay theirs.
    logicalName: 'Sharing',
    envVar: 'SHARING_TABLE',
    partitionKey: 'user_id',
    sortKey: 'item_key',
    indexes: [],
    // Only the daily share counts (`QUOTA#<day>`) expire; shares and ledgers are kept.
    timeToLiveAttribute: 'expires_at',
    ownerPartitions: [OWNER],
  },
];

/** The partition key values of one user's items in a table (see ownerPartitions). */
export function ownerPartitionsOf(table: TableDefinition, owner: string): string[] {
  const partitions: string[] = [];
  for (const template of table.ownerPartitions) partitions.push(template.split(OWNER).join(owner));
  return partitions;
}

/** Every key attribute is a string (ids are ULIDs, dates ISO strings). */
export function keyAttributesOf(table: TableDefinition): string[] {
  const names = new Set<string>([table.partitionKey]);
  if (table.sortKey) names.add(table.sortKey);
  for (const index of table.indexes) {
    names.add(index.partitionKey);
    if (index.sortKey) names.add(index.sortKey);
  }
  return [...names];
}

export function tableByLogicalName(name: string): TableDefinition {
  for (const table of TABLES) if (table.logicalName === name) return table;
  throw new Error(`Unknown table ${name}`);
}

/**
 * The AppSync environment variables of the API: each table's `envVar` → its name, which resolvers
 * read as `ctx.env[envVar]` where a request must name a table (BatchGetItem). On AWS the physical
 * name (infra/constructs/api.ts); locally the logical one, which the local data sources map.
 */
export function resolverEnvironmentOf(nameOf: (table: TableDefinition) => string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const table of TABLES) env[table.envVar] = nameOf(table);
  return env;
}
