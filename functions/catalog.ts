/**
 * Every Lambda function of the system, in one list read by both the CDK stack (infra/)
 * and the local runtime (local/), so the handlers deployed are the handlers run locally.
 * Paths are relative to the project root. Each feature adds its own entry.
 */
export interface FunctionDefinition {
  /** Logical name; also the Lambda data source name when `dataSource` is true. */
  name: string;
  /** Handler module, exporting `handler`. */
  entry: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Tables the function reads (`read`) or writes (`readWrite`), by logical name. */
  tables: { read?: string[]; readWrite?: string[] };
  /** Resolvers call it as an AppSync Lambda data source of this name. */
  dataSource?: boolean;
  /** What else triggers it, so infra and local wire the same events. */
  triggers?: Array<'cognito-post-confirmation' | 's3-object-created' | 'schedule-reports' | 'schedule-sweep'>;
}

export const FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'PostConfirmationFn',
    entry: 'functions/post-confirmation/handler.ts',
    memoryMb: 256,
    timeoutSeconds: 10,
    tables: { readWrite: ['Users'] },
    triggers: ['cognito-post-confirmation'],
  },
  {
    // Receipt fields that need S3: uploads (presigned and inline), image URLs, reprocess, delete.
    name: 'ReceiptFn',
    entry: 'functions/receipts/handler.ts',
    memoryMb: 512,
    timeoutSeconds: 30,
    tables: { readWrite: ['Receipts', 'Expenses'] },
    dataSource: true,
  },
  {
    // Summaries with budget status, CSV exports (receipt links) and report emails (on demand, and the hourly schedule).
    // The seed's 60 s: the scheduled run stops taking users 20 s before it (the rest wait for the next hour).
    name: 'ReportFn',
    entry: 'functions/report/handler.ts',
    memoryMb: 512,
    timeoutSeconds: 60,
    tables: { read: ['Expenses', 'Budgets', 'Receipts'], readWrite: ['Users'] },
    dataSource: true,
    triggers: ['schedule-reports'],
  },
  {
    // Budget status, and the re-evaluation after every expense change (alerts by push and email, once).
    name: 'BudgetFn',
    entry: 'functions/budgets/handler.ts',
    memoryMb: 256,
    timeoutSeconds: 30,
    tables: { read: ['Expenses', 'Users'], readWrite: ['Budgets'] },
    dataSource: true,
  },
  {
    // OCR: S3 object-created events, reprocess requests, and the sweep of stuck receipts.
    name: 'ProcessReceiptFn',
    entry: 'functions/process-receipt/handler.ts',
    memoryMb: 1024,
    timeoutSeconds: 60,
    tables: { read: ['Users', 'Merchants'], readWrite: ['Receipts', 'Expenses', 'Budgets'] },
    triggers: ['s3-object-created', 'schedule-sweep'],
  },
];

export function functionByName(name: string): FunctionDefinition {
  const fn = FUNCTIONS.find((f) => f.name === name);
  if (!fn) throw new Error(`Unknown function ${name}`);
  return fn;
}
