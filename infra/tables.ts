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
  logicalName: 'Users' | 'Receipts' | 'Expenses' | 'Budgets' | 'Merchants';
  /** Env var through which functions learn the physical table name. */
  envVar: string;
  indexes: IndexDefinition[];
}

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
      { indexName: 'weekly-report-index', partitionKey: 'weeklyReport', sortKey: 'user_id' },
      { indexName: 'monthly-report-index', partitionKey: 'monthlyReport', sortKey: 'user_id' },
    ],
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
    ],
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
    ],
  },
  {
    logicalName: 'Budgets',
    envVar: 'BUDGETS_TABLE',
    partitionKey: 'user_id',
    sortKey: 'budget_id',
    indexes: [],
  },
  {
    // What each user taught the categorizer: merchant_key (normalized merchant) -> category.
    logicalName: 'Merchants',
    envVar: 'MERCHANTS_TABLE',
    partitionKey: 'user_id',
    sortKey: 'merchant_key',
    indexes: [],
  },
];

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
  const table = TABLES.find((t) => t.logicalName === name);
  if (!table) throw new Error(`Unknown table ${name}`);
  return table;
}
