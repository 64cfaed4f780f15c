import type {
  Budget,
  BudgetAlert,
  CustomCategory,
  Expense,
  HistoryEntry,
  Job,
  Receipt,
  ReceiptUpload,
  RecurringCandidate,
  RecurringRule,
  Report,
  ShareBalance,
  SharedExpense,
  ShareSettlement,
  StatementCsvMapping,
  StatementImport,
  StatementPreview,
  StatementReportLine,
  StatementUpload,
  StoredReport,
  UpcomingCharge,
  User,
} from '../../../generated/graphql.ts';

/**
 * The operations the app sends, each asking for what its screen shows. Types come from
 * generated/graphql.ts (the schema), so a schema change shows up here at typecheck.
 */
export type {
  Budget,
  BudgetAlert,
  CustomCategory,
  Expense,
  HistoryEntry,
  Job,
  Receipt,
  RecurringCandidate,
  RecurringRule,
  Report,
  ShareBalance,
  SharedExpense,
  ShareSettlement,
  StatementCsvMapping,
  StatementImport,
  StatementPreview,
  StatementReportLine,
  StoredReport,
  UpcomingCharge,
  User,
};

const USER = `id email name homeCurrency timezone dateOrder reportSchedule { weekly monthly }
  forwardingAddress forwardingSenders { email confirmed addedAt } receiptRetentionDays createdAt updatedAt`;
const EXPENSE =
  'id merchant tags amount currency date category categorySource categoryConfidence note receiptId needsReview version createdAt updatedAt';
// The expenses screen also shows an expense's own category; other screens (receipts, review, the pushed receipt) don't.
const CUSTOM_CATEGORY = 'id name colour icon parent';
// A split expense's parts (splitExpense) show on its row and in the dialog's Split control.
const EXPENSE_ROW = `${EXPENSE} customCategoryId customCategory { ${CUSTOM_CATEGORY} }
  splits { amount category customCategoryId description }`;
const EXTRACTION = `extraction {
  merchant { value confidence } date { value confidence } total { amount confidence }
  currency { value confidence } tax { amount confidence }
  lineItems { description amount confidence } }`;
const RECEIPT = `id status contentType fileName expenseId error possibleDuplicateOf createdAt updatedAt
  ${EXTRACTION} expense { ${EXPENSE} }`;
const STATUS = 'periodStart periodEnd spent limit remaining percentUsed forecast state rolloverAmount excludedCount';
const BUDGET = `id name category tag customCategoryId period amount currency thresholds rollover version createdAt updatedAt status { ${STATUS} }`;

export const ME = `query Me { me { ${USER} } }`;
export type MeData = { me: User | null };

export const UPDATE_PROFILE = `mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ${USER} } }`;
export type UpdateProfileData = { updateProfile: User };

export const LIST_RECEIPTS = `query ListReceipts($status: ReceiptStatus, $limit: Int, $nextToken: String) {
  listReceipts(status: $status, limit: $limit, nextToken: $nextToken) { items { ${RECEIPT} } nextToken } }`;
export type ListReceiptsData = { listReceipts: { items: Receipt[]; nextToken: string | null } };

export const RECEIPT_IMAGE = `query ReceiptImage($id: ID!) { receipt(id: $id) { id contentType imageUrl } }`;
export type ReceiptImageData = { receipt: Pick<Receipt, 'id' | 'contentType' | 'imageUrl'> | null };

export const CREATE_RECEIPT_UPLOAD = `mutation CreateReceiptUpload($input: CreateReceiptUploadInput!) {
  createReceiptUpload(input: $input) { uploadUrl uploadHeaders expiresAt receipt { ${RECEIPT} } } }`;
export type CreateReceiptUploadData = { createReceiptUpload: ReceiptUpload };

export const ON_RECEIPT_PROCESSED = `subscription OnReceiptProcessed { onReceiptProcessed { ${RECEIPT} } }`;
export type OnReceiptProcessedData = { onReceiptProcessed: Receipt };

export const LIST_EXPENSES = `query ListExpenses($from: AWSDate, $to: AWSDate, $category: Category, $customCategoryId: ID, $limit: Int, $nextToken: String) {
  listExpenses(from: $from, to: $to, category: $category, customCategoryId: $customCategoryId, limit: $limit, nextToken: $nextToken) {
    items { ${EXPENSE_ROW} } nextToken } }`;
export type ListExpensesData = { listExpenses: { items: Expense[]; nextToken: string | null } };

// Words (merchant, note, line items, tags) and/or an amount range; one page per call, newest first.
export const SEARCH_EXPENSES = `query SearchExpenses($text: String, $minAmount: Float, $maxAmount: Float, $limit: Int, $nextToken: String) {
  searchExpenses(text: $text, minAmount: $minAmount, maxAmount: $maxAmount, limit: $limit, nextToken: $nextToken) {
    items { ${EXPENSE_ROW} } nextToken } }`;
export type SearchExpensesData = { searchExpenses: { items: Expense[]; nextToken: string | null } };

export const GET_EXPENSE = `query GetExpense($id: ID!) { expense(id: $id) { ${EXPENSE_ROW} } }`;
export type GetExpenseData = { expense: Expense | null };

export const CREATE_EXPENSE = `mutation CreateExpense($input: CreateExpenseInput!) { createExpense(input: $input) { ${EXPENSE_ROW} } }`;
export type CreateExpenseData = { createExpense: Expense };

export const UPDATE_EXPENSE = `mutation UpdateExpense($input: UpdateExpenseInput!) { updateExpense(input: $input) { ${EXPENSE_ROW} } }`;
export type UpdateExpenseData = { updateExpense: Expense };

export const SPLIT_EXPENSE = `mutation SplitExpense($input: ExpenseSplitInput!) { splitExpense(input: $input) { ${EXPENSE_ROW} } }`;
export type SplitExpenseData = { splitExpense: Expense };

export const DELETE_EXPENSE = `mutation DeleteExpense($id: ID!) { deleteExpense(id: $id) { id } }`;

// The user's own categories: listed by name; each change answers the category (mergeCategory: the one kept).
export const LIST_CATEGORIES = `query ListCategories { listCategories { ${CUSTOM_CATEGORY} } }`;
export type ListCategoriesData = { listCategories: CustomCategory[] };

export const CREATE_CATEGORY = `mutation CreateCategory($input: CreateCategoryInput!) {
  createCategory(input: $input) { ${CUSTOM_CATEGORY} } }`;

export const UPDATE_CATEGORY = `mutation UpdateCategory($id: ID!, $input: UpdateCategoryInput!) {
  updateCategory(id: $id, input: $input) { ${CUSTOM_CATEGORY} } }`;

export const MERGE_CATEGORY = `mutation MergeCategory($from: ID!, $into: ID!) {
  mergeCategory(from: $from, into: $into) { ${CUSTOM_CATEGORY} } }`;

export const DELETE_CATEGORY = `mutation DeleteCategory($id: ID!) { deleteCategory(id: $id) { id } }`;

export const LIST_BUDGETS = `query ListBudgets($limit: Int, $nextToken: String) {
  listBudgets(limit: $limit, nextToken: $nextToken) { items { ${BUDGET} } nextToken } }`;
export type ListBudgetsData = { listBudgets: { items: Budget[]; nextToken: string | null } };

export const CREATE_BUDGET = `mutation CreateBudget($input: CreateBudgetInput!) { createBudget(input: $input) { ${BUDGET} } }`;
export type CreateBudgetData = { createBudget: Budget };

export const UPDATE_BUDGET = `mutation UpdateBudget($input: UpdateBudgetInput!) { updateBudget(input: $input) { ${BUDGET} } }`;
export type UpdateBudgetData = { updateBudget: Budget };

export const DELETE_BUDGET = `mutation DeleteBudget($id: ID!) { deleteBudget(id: $id) { id } }`;

export const ON_BUDGET_ALERT = `subscription OnBudgetAlert { onBudgetAlert {
  id budgetId budgetName category period periodStart periodEnd threshold spent limit currency firedAt } }`;
export type OnBudgetAlertData = { onBudgetAlert: BudgetAlert };

export const REPORT = `query Report($period: ReportPeriod!, $date: AWSDate!) { report(period: $period, date: $date) {
  period periodStart periodEnd summary { from to previousFrom previousTo budgetsAsOf
    currencies { currency total count average median previousTotal change changePercent
      largest { id merchant amount date }
      byCategory { category amount count } byMerchant { merchant amount count other } byDay { date amount count } }
    budgets { budgetId name category period currency status { ${STATUS} } } } } }`;
export type ReportData = { report: Report };

// Exports and report emails run as jobs: the mutation answers a PENDING job at once, the
// finished one is pushed to onJobDone (and readable with job(id)). The push carries what
// publishJobDone selects (functions/shared/publish.ts): the account jobs' results are read with job(id).
const PUSHED_JOB = `id kind status updatedAt
  export { from to rowCount url expiresAt content }
  delivery { to period periodStart periodEnd }
  error { errorType message errorInfo }`;
const JOB = `${PUSHED_JOB}
  accountExport { url expiresAt sizeBytes fileCount }
  deletion { deletedAt }
  retention { days receipts imagesExpired }`;

export const EXPORT_EXPENSES = `mutation ExportExpenses($from: AWSDate!, $to: AWSDate!) {
  exportExpenses(from: $from, to: $to) { ${JOB} } }`;
export type ExportExpensesData = { exportExpenses: Job };

export const SEND_REPORT = `mutation SendReport($period: ReportPeriod!, $date: AWSDate!) {
  sendReport(period: $period, date: $date) { ${JOB} } }`;
export type SendReportData = { sendReport: Job };

export const GET_JOB = `query GetJob($id: ID!) { job(id: $id) { ${JOB} } }`;
export type GetJobData = { job: Job | null };

export const ON_JOB_DONE = `subscription OnJobDone { onJobDone { ${PUSHED_JOB} } }`;
export type OnJobDoneData = { onJobDone: Job };

export const LIST_REPORTS = `query ListReports($limit: Int, $nextToken: String) {
  listReports(limit: $limit, nextToken: $nextToken) { items { period periodStart periodEnd storedAt url } nextToken } }`;
export type ListReportsData = { listReports: { items: StoredReport[]; nextToken: string | null } };

// Receipts by email: the private forwarding address and the further senders it takes mail from.
export const ROTATE_FORWARDING_ADDRESS = `mutation RotateForwardingAddress { rotateForwardingAddress { ${USER} } }`;
export type RotateForwardingAddressData = { rotateForwardingAddress: User };

export const REVOKE_FORWARDING_ADDRESS = `mutation RevokeForwardingAddress { revokeForwardingAddress { ${USER} } }`;
export type RevokeForwardingAddressData = { revokeForwardingAddress: User };

export const ADD_FORWARDING_SENDER = `mutation AddForwardingSender($email: AWSEmail!) {
  addForwardingSender(email: $email) { ${USER} } }`;
export type AddForwardingSenderData = { addForwardingSender: User };

export const CONFIRM_FORWARDING_SENDER = `mutation ConfirmForwardingSender($email: AWSEmail!, $code: String!) {
  confirmForwardingSender(email: $email, code: $code) { ${USER} } }`;
export type ConfirmForwardingSenderData = { confirmForwardingSender: User };

export const REMOVE_FORWARDING_SENDER = `mutation RemoveForwardingSender($email: AWSEmail!) {
  removeForwardingSender(email: $email) { ${USER} } }`;
export type RemoveForwardingSenderData = { removeForwardingSender: User };

// Your data: retention of receipt images, the archive of everything, the account's deletion (all jobs).
export const SET_RECEIPT_RETENTION = `mutation SetReceiptRetention($days: Int!) { setReceiptRetention(days: $days) { ${JOB} } }`;
export type SetReceiptRetentionData = { setReceiptRetention: Job };

export const EXPORT_ACCOUNT = `mutation ExportAccount { exportAccount { ${JOB} } }`;
export type ExportAccountData = { exportAccount: Job };

export const DELETE_ACCOUNT = `mutation DeleteAccount($password: String) { deleteAccount(password: $password) { ${JOB} } }`;
export type DeleteAccountData = { deleteAccount: Job };

// An expense's changes, oldest first.
export const HISTORY = `query History($itemId: ID!, $itemType: HistoryItemType, $limit: Int, $nextToken: String) {
  history(itemId: $itemId, itemType: $itemType, limit: $limit, nextToken: $nextToken) {
    items { version action at by path changes { field before after } } nextToken } }`;
export type HistoryData = { history: { items: HistoryEntry[]; nextToken: string | null } };

// Statement import: a presigned upload, a preview (with a column mapping to try), the import and its report.
const MAPPING =
  'date amount debit credit description currency dateFormat decimalSeparator amountSign delimiter headerRow';
const STATEMENT_IMPORT = `id status fileName format account lineCount created matched alreadyImported skippedCredits invalid
  unmatchedReceipts { receiptId expenseId merchant date amount currency reason }
  error { errorType message } createdAt finishedAt`;

export const CREATE_STATEMENT_UPLOAD = `mutation CreateStatementUpload($input: CreateStatementUploadInput!) {
  createStatementUpload(input: $input) { uploadId uploadUrl uploadHeaders expiresAt } }`;
export type CreateStatementUploadData = { createStatementUpload: StatementUpload };

export const PREVIEW_STATEMENT = `mutation PreviewStatement($uploadId: ID!, $csv: StatementCsvMappingInput) {
  previewStatement(uploadId: $uploadId, csv: $csv) {
    uploadId format account currency lineCount columns sampleRows mapping { ${MAPPING} }
    lines { date amount currency description problem } } }`;
export type PreviewStatementData = { previewStatement: StatementPreview };

export const IMPORT_STATEMENT = `mutation ImportStatement($input: ImportStatementInput!) {
  importStatement(input: $input) { ${STATEMENT_IMPORT} } }`;
export type ImportStatementData = { importStatement: StatementImport };

export const GET_STATEMENT_IMPORT = `query GetStatementImport($id: ID!, $limit: Int, $nextToken: String) {
  statementImport(id: $id) { ${STATEMENT_IMPORT}
    lines(limit: $limit, nextToken: $nextToken) {
      items { index date amount currency description outcome reason expenseId receiptId } nextToken } } }`;
export type GetStatementImportData = {
  statementImport: (StatementImport & { lines: { items: StatementReportLine[]; nextToken: string | null } }) | null;
};

export const LIST_STATEMENT_IMPORTS = `query ListStatementImports($limit: Int, $nextToken: String) {
  listStatementImports(limit: $limit, nextToken: $nextToken) { items { ${STATEMENT_IMPORT} } nextToken } }`;
export type ListStatementImportsData = { listStatementImports: { items: StatementImport[]; nextToken: string | null } };

// Subscriptions: recurring charges found in the expenses, the ones confirmed as rules and what they expect next.
const CANDIDATE = 'id merchant cadence amount currency occurrences lastDate nextDate confidence';
const RULE =
  'id name merchant cadence amount currency tolerancePercent lastChargeDate nextChargeDate createdAt updatedAt';

export const SUBSCRIPTIONS = `query Subscriptions($days: Int) {
  recurringCandidates { ${CANDIDATE} }
  listRecurring { ${RULE} }
  upcomingCharges(days: $days) { ruleId name merchant amount currency date overdue } }`;
export type SubscriptionsData = {
  recurringCandidates: RecurringCandidate[];
  listRecurring: RecurringRule[];
  upcomingCharges: UpcomingCharge[];
};

export const CONFIRM_RECURRING = `mutation ConfirmRecurring($input: ConfirmRecurringInput!) {
  confirmRecurring(input: $input) { ${RULE} } }`;
export type ConfirmRecurringData = { confirmRecurring: RecurringRule };

export const DISMISS_RECURRING = `mutation DismissRecurring($id: ID!) { dismissRecurring(id: $id) { id } }`;

export const DELETE_RECURRING = `mutation DeleteRecurring($id: ID!) { deleteRecurring(id: $id) { id } }`;

// Sharing: expenses shared with other people by email, and the balances with each of them per currency.
const SHARED_EXPENSE =
  'id payerEmail paidByMe merchant date amount currency myShare participants { email amount payer }';
export const SHARED = `query Shared($nextToken: String) {
  shareBalances { email currency amount text }
  listSharedExpenses(limit: 50, nextToken: $nextToken) { items { ${SHARED_EXPENSE} } nextToken } }`;
export type SharedData = {
  shareBalances: ShareBalance[];
  listSharedExpenses: { items: SharedExpense[]; nextToken?: string | null };
};

export const SHARE_EXPENSE = `mutation ShareExpense($input: ShareExpenseInput!) { shareExpense(input: $input) { ${SHARED_EXPENSE} } }`;
export type ShareExpenseData = { shareExpense: SharedExpense };

export const UNSHARE_EXPENSE = `mutation UnshareExpense($id: ID!, $email: AWSEmail) {
  unshareExpense(id: $id, email: $email) { ${SHARED_EXPENSE} } }`;
export type UnshareExpenseData = { unshareExpense: SharedExpense | null };

export const SETTLE_SHARE_BALANCE = `mutation SettleShareBalance($input: SettleShareBalanceInput!) {
  settleShareBalance(input: $input) { id email currency amount paidByMe balance } }`;
export type SettleShareBalanceData = { settleShareBalance: ShareSettlement };
