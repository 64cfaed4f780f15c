import type { ExpenseItem } from './expenses.ts';

/**
 * What crosses into a Lambda function from the resolvers or from another function: the field
 * call of a Lambda data source and its answer (resolvers/lib/lambda.ts sends, functions/shared/field-call.ts
 * answers), and the asynchronous events one part of the system sends another. Both sides type
 * the payload from here, so a change to it is a compile error on both.
 */

/** The API's errorTypes (schema.graphql documents them). */
export type ErrorType =
  | 'ValidationError'
  | 'NotFound'
  | 'Unauthorized'
  | 'Conflict'
  | 'DuplicateReceipt'
  | 'LimitExceeded'
  | 'OcrFailed'
  | 'InternalError';

/**
 * A field resolved by a Lambda data source: the field, its arguments, the caller's `sub` and
 * the parent object, as resolvers/lib/lambda.ts `invokeFieldFunction` sends them.
 */
export type FieldCall<Args = unknown, Source = unknown> = {
  typeName: string;
  fieldName: string;
  arguments: Args;
  /** The caller's Cognito sub; every read and write is keyed on it. */
  sub?: string | null;
  source?: Source | null;
  /** The correlation id of the API request (resolvers/lib/correlation.ts). */
  requestId?: string | null;
};

/** A business error as a value, so AppSync turns it into a typed error (`util.error(message, errorType, null, errorInfo)`). */
export type FieldFailure = { errorType: ErrorType; message: string; errorInfo?: Record<string, unknown> };

/** What a Lambda data source answers a field call (`error` is checked without `in`, which APPSYNC_JS lacks). */
export type FieldAnswer<T> = { data: T; error?: undefined } | { data?: undefined; error: FieldFailure };

/** An expense as budgets see it: the Expenses item's key, day, category and money. */
export type ExpenseSnapshot = Pick<
  ExpenseItem,
  'expense_id' | 'date' | 'category' | 'amount' | 'currency' | 'converted' | 'customCategoryId' | 'tags' | 'splits'
>;

/**
 * To BudgetFn (Lambda `Event`) after an expense changed: the items before and after the write
 * (before null on create, after null on delete), from the expense resolvers
 * (resolvers/lib/budget-evaluation.ts) and from ReceiptFn when a receipt's expense is deleted.
 */
export type ExpenseChangedEvent = {
  action: 'expenseChanged';
  owner: string;
  before: ExpenseSnapshot | null;
  after: ExpenseSnapshot | null;
  correlationId?: string | null;
};

/** To BudgetFn (Lambda `Event`) after createBudget or updateBudget (resolvers/lib/budget-reevaluation.ts). */
export type BudgetChangedEvent = {
  action: 'budgetChanged';
  owner: string;
  budgetId: string;
  correlationId?: string | null;
};

/** To ProcessReceiptFn (Lambda `Event`) from ReceiptFn's reprocessReceipt, with the id of the request that asked. */
export type ProcessReceiptRequest = {
  action: 'process';
  owner: string;
  receiptId: string;
  correlationId?: string | null;
};

/** To the function that runs a job (Lambda `Event`), from the mutation that stored it (resolvers/lib/jobs.ts). */
export type RunJobRequest = {
  action: 'runJob';
  owner: string;
  jobId: string;
  correlationId?: string | null;
};

/**
 * To RatesFn from the expense pipelines' conversion step (resolvers/lib/conversion.ts): an
 * amount of `currency` on `date` in the owner's `home` currency. Answers `{ conversion }`.
 */
export type ConvertRequest = {
  action: 'convert';
  owner: string;
  amount: number;
  currency: string;
  date: string;
  home: string;
};

/**
 * To RatesFn (Lambda `Event`) after setExchangeRate (`currency`: its expenses) or a new home
 * currency (`currency` null: every expense): convert the owner's expenses again.
 */
export type ReconvertExpensesRequest = {
  action: 'reconvertExpenses';
  owner: string;
  currency: string | null;
  correlationId?: string | null;
};

/** To StatementFn (Lambda `Event`) from importStatement (resolvers/Mutation.importStatement): run the import. */
export type RunStatementImportRequest = {
  action: 'runImport';
  owner: string;
  importId: string;
  /** The importStatement request's, so the import's lines are found under it. */
  correlationId?: string | null;
};
