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
  triggers?: Array<
    | 'cognito-post-confirmation'
    | 's3-object-created'
    | 'ses-inbound-email'
    | 'schedule-reports'
    | 'schedule-sweep'
    | 'schedule-job-sweep'
    | 'schedule-rates'
    | 'schedule-retention'
    | 'schedule-recurring'
  >;
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
    // Sized by an inline 12 MP photo (npm run bench:receipt-memory, its deployed bundle, a cold
    // process): peak 453 MiB for a WebP, 508 MiB for a HEIC, plus the Lambda runtime's own. And by
    // time: CPU grows with memory, and the conversion (9 s for the HEIC on one x64 core) must end
    // well inside AppSync's 30 s; 1536 MB is 0.87 vCPU.
    name: 'ReceiptFn',
    entry: 'functions/receipts/handler.ts',
    memoryMb: 1536,
    timeoutSeconds: 30,
    // Users: the owner's receipt image retention, read at each new receipt. SearchTerms: a receipt
    // deleted with its expense takes the expense's search entries with it.
    // History: each receipt's creation and deletion.
    tables: { read: ['Users'], readWrite: ['Receipts', 'Expenses', 'SearchTerms', 'History'] },
    dataSource: true,
  },
  {
    // Summaries with budget status (fields, inside AppSync's 30 s), and the jobs behind exportExpenses and
    // sendReport (CSV exports with receipt links, report emails) plus the hourly scheduled reports, which
    // may take minutes: 5 minutes, of which the scheduled run and the job sweep keep 20-30 s in hand.
    name: 'ReportFn',
    entry: 'functions/report/handler.ts',
    memoryMb: 512,
    timeoutSeconds: 300,
    // Recurring: the confirmed rules whose charges to come a budget's forecast counts.
    tables: { read: ['Expenses', 'Budgets', 'Receipts', 'Rates', 'Recurring'], readWrite: ['Users', 'Jobs'] },
    dataSource: true,
    triggers: ['schedule-reports', 'schedule-job-sweep'],
  },
  {
    // Budget status, and the re-evaluation after every expense change (alerts by push and email, once).
    name: 'BudgetFn',
    entry: 'functions/budgets/handler.ts',
    memoryMb: 256,
    timeoutSeconds: 30,
    // Recurring: the confirmed rules whose charges to come a budget's forecast counts (Budget.status).
    tables: { read: ['Expenses', 'Users', 'Rates', 'Recurring'], readWrite: ['Budgets'] },
    dataSource: true,
  },
  {
    // The category of an expense typed in without one (createExpense): the user's corrections, the
    // brand index, keywords, Comprehend. The OCR function runs the same categorizer in-process.
    name: 'CategorizeFn',
    entry: 'functions/categorize/handler.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    // Categories: a custom category a merchant learned, followed to its merge target (or its parent once deleted).
    tables: { read: ['Merchants', 'Categories'] },
    dataSource: true,
  },
  {
    // Exchange rates: the ECB's reference rates kept in the Rates table (a schedule, and every local
    // start), expenses converted for the expense pipelines (exact BigInt arithmetic APPSYNC_JS lacks),
    // and a user's expenses converted again after setExchangeRate or a new home currency.
    name: 'RatesFn',
    entry: 'functions/rates/handler.ts',
    memoryMb: 512,
    timeoutSeconds: 120,
    tables: { read: ['Users'], readWrite: ['Rates', 'Expenses'] },
    dataSource: true,
    triggers: ['schedule-rates'],
  },
  {
    // OCR: S3 object-created events, reprocess requests, and the sweep of stuck receipts.
    name: 'ProcessReceiptFn',
    entry: 'functions/process-receipt/handler.ts',
    memoryMb: 1024,
    timeoutSeconds: 60,
    // History: the creation of each expense it reads from a receipt (path OCR). SearchTerms: that
    // expense indexed for search as it is written.
    tables: {
      read: ['Users', 'Merchants', 'Categories', 'Rates'],
      readWrite: ['Receipts', 'Expenses', 'Budgets', 'History', 'SearchTerms'],
    },
    triggers: ['s3-object-created', 'schedule-sweep'],
  },
  {
    // The forwarding address (create, rotate, revoke) and the extra sender addresses confirmed by an emailed code.
    name: 'ForwardingFn',
    entry: 'functions/forwarding/handler.ts',
    memoryMb: 256,
    timeoutSeconds: 10,
    tables: { readWrite: ['Users'] },
    dataSource: true,
  },
  {
    // Receipts by email: SES stores each message under inbound/ and invokes this with its receipt
    // event; attachments (or the HTML body's text) become receipts, the sender gets a reply.
    // Sized like ReceiptFn: it converts WebP and HEIC attachments to JPEG as the inline upload does.
    name: 'InboundEmailFn',
    entry: 'functions/inbound-email/handler.ts',
    memoryMb: 1536,
    timeoutSeconds: 120,
    // History: the creation of each receipt it stores.
    tables: { read: ['Users'], readWrite: ['Receipts', 'History'] },
    triggers: ['ses-inbound-email'],
  },
  {
    // Statements: presigned uploads, previews, and imports run in the background (a statement of
    // thousands of lines outlasts AppSync's 30 s): expenses, receipt matching, the report.
    name: 'StatementFn',
    entry: 'functions/statements/handler.ts',
    memoryMb: 1024,
    timeoutSeconds: 900,
    tables: {
      read: ['Users', 'Merchants', 'Categories', 'Rates'],
      readWrite: ['Expenses', 'StatementImports', 'History', 'SearchTerms'],
    },
    dataSource: true,
    // Imports whose start was lost or whose run died are run again by the job sweep.
    triggers: ['schedule-job-sweep'],
  },
  {
    // Search (searchExpenses): the intersection of the caller's term partitions in SearchTerms, and
    // the index kept in step by a step of every expense pipeline (the functions that write expenses
    // update it in-process with the same library, functions/shared/search).
    name: 'SearchFn',
    entry: 'functions/search/handler.ts',
    memoryMb: 512,
    timeoutSeconds: 10,
    // Expenses: written only for a split expense's category index entries (model/splits.ts).
    // Categories: listExpenses by custom category, whose item names the categories merged into it.
    tables: { read: ['Categories'], readWrite: ['Expenses', 'SearchTerms'] },
    dataSource: true,
  },
  {
    // The user's data as a whole: the account archive (every table, images, kept reports, zipped to
    // S3 as it is read), account deletion (every table, every object version, the sign-in account),
    // receipt image retention (the daily sweep and a new retention applied) and the fields they need
    // (a password checked, an archive's fresh link). Jobs of minutes: 15 minutes, the Lambda maximum;
    // the zip streams, so memory is a page and an S3 part.
    name: 'AccountFn',
    entry: 'functions/account/handler.ts',
    memoryMb: 1024,
    timeoutSeconds: 900,
    // Every table with owner partitions (model/tables.ts): deletion empties each, export reads them.
    tables: {
      readWrite: [
        'Users',
        'Receipts',
        'Expenses',
        'Budgets',
        'Merchants',
        'Jobs',
        'History',
        'Rates',
        'StatementImports',
        'SearchTerms',
        'Recurring',
        'Categories',
        'Sharing',
      ],
    },
    dataSource: true,
    triggers: ['schedule-job-sweep', 'schedule-retention'],
  },
  {
    // Recurring charges: detection over the caller's expenses of three years (a Query on their
    // date index, page by page), the rules they confirm or dismiss, and the charges those expect;
    // daily, the rules whose charge is due are judged (missed or repriced: an email, once).
    name: 'RecurringFn',
    entry: 'functions/recurring/handler.ts',
    memoryMb: 512,
    timeoutSeconds: 300,
    tables: { read: ['Expenses', 'Users'], readWrite: ['Recurring'] },
    dataSource: true,
    triggers: ['schedule-recurring'],
  },
  {
    // Sharing an expense with other people by email, the balances between them and the payments that
    // settle them (model/sharing.ts): two people's partitions in idempotent steps, each told by push and email.
    name: 'SharingFn',
    entry: 'functions/sharing/handler.ts',
    memoryMb: 256,
    timeoutSeconds: 30,
    // Expenses: the payer's expense, read when it is shared. Users: people found by email (email-index).
    tables: { read: ['Expenses', 'Users'], readWrite: ['Sharing'] },
    dataSource: true,
  },
];

export function functionByName(name: string): FunctionDefinition {
  for (const fn of FUNCTIONS) if (fn.name === name) return fn;
  throw new Error(`Unknown function ${name}`);
}

/**
 * The WebAssembly the converters read at run time, as package paths: infra copies them beside
 * the bundle of each function that converts (infra/function-access.ts `bundleFiles`; functions/shared/image-conversion.ts reads them). The HEIC
 * decoder's is inlined in its JavaScript (libheif-js's wasm bundle) and needs no copy.
 */
export const IMAGE_CONVERSION_FILES = [
  '@jsquash/webp/codec/dec/webp_dec.wasm',
  '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm',
] as const;
