/**
 * What the functions' telemetry promises the infra and the local runtime, as plain data (so
 * they read it without loading Powertools): the business metrics the functions emit and the
 * dashboard charts, and where a scheduled event carries the id of its run.
 */

/**
 * Field of a scheduled event holding its run's id, the correlation id of everything the run
 * logs: EventBridge Scheduler fills it with its execution id, the local scheduler with a UUID.
 */
export const SCHEDULE_RUN_ID_FIELD = 'correlationId';

/** CloudWatch namespace of the functions' metrics; infra sets POWERTOOLS_METRICS_NAMESPACE to it. */
export const METRICS_NAMESPACE = 'SmartExpenseTracker';

/** CloudWatch EMF metrics (namespace METRICS_NAMESPACE, dimension `service`). */
export const BUSINESS_METRICS = {
  /** A receipt read and recorded as an expense (PROCESSED). */
  receiptsProcessed: { name: 'ReceiptsProcessed', unit: 'Count' },
  /** Read, but merchant, date or total need the owner's check (NEEDS_REVIEW). */
  receiptsNeedingReview: { name: 'ReceiptsNeedingReview', unit: 'Count' },
  /** Could not be read at all (FAILED). */
  receiptsFailed: { name: 'ReceiptsFailed', unit: 'Count' },
  /** One Textract AnalyzeExpense call, parsing included. */
  ocrDuration: { name: 'OcrDuration', unit: 'Milliseconds' },
  /** Receipts accepted for upload (presigned or inline). */
  receiptUploads: { name: 'ReceiptUploads', unit: 'Count' },
  /** A typed-in expense categorized (CategorizeFn), whatever evidence decided. */
  expensesCategorized: { name: 'ExpensesCategorized', unit: 'Count' },
  /** Recurring charges proposed to their owner (recurringCandidates, RecurringFn). */
  recurringCandidatesFound: { name: 'RecurringCandidatesFound', unit: 'Count' },
  /** Recurring charges confirmed as rules (confirmRecurring). */
  recurringRulesConfirmed: { name: 'RecurringRulesConfirmed', unit: 'Count' },
  /** Emails about a recurring charge missed or repriced (RecurringFn's daily check). */
  recurringAlertsSent: { name: 'RecurringAlertsSent', unit: 'Count' },
  /** Expenses shared with other people (shareExpense; a retry of one counts again). */
  expensesShared: { name: 'ExpensesShared', unit: 'Count' },
  /** Payments recorded between people who share expenses (settleShareBalance). */
  shareSettlementsRecorded: { name: 'ShareSettlementsRecorded', unit: 'Count' },
  /** Shared expenses withdrawn by their payer (unshareExpense; a retry counts again). */
  sharesWithdrawn: { name: 'SharesWithdrawn', unit: 'Count' },
  /** Open balances (per person and currency) a user was shown (shareBalances). */
  shareBalancesShown: { name: 'ShareBalancesShown', unit: 'Count' },
  /** Search index items written or deleted with an expense change (SearchFn). */
  searchTermsWritten: { name: 'SearchTermsWritten', unit: 'Count' },
  splitIndexWritten: { name: 'SplitIndexWritten', unit: 'Count' },
  budgetAlertsSent: { name: 'BudgetAlertsSent', unit: 'Count' },
  reportsSent: { name: 'ReportsSent', unit: 'Count' },
  reportsFailed: { name: 'ReportsFailed', unit: 'Count' },
  usersCreated: { name: 'UsersCreated', unit: 'Count' },
  /** A forwarded message that made (or found) at least one receipt. */
  inboundMessagesAccepted: { name: 'InboundMessagesAccepted', unit: 'Count' },
  /** A forwarded message refused or dropped (stranger, spam, automatic, unreadable, no receipt in it). */
  inboundMessagesRefused: { name: 'InboundMessagesRefused', unit: 'Count' },
  /** A reply to a forwarding sender accepted by SES. */
  inboundRepliesSent: { name: 'InboundRepliesSent', unit: 'Count' },
  /** Statement files accepted for upload. */
  statementUploads: { name: 'StatementUploads', unit: 'Count' },
  /** Statement lines that became expenses or were matched to receipts. */
  statementLinesImported: { name: 'StatementLinesImported', unit: 'Count' },
  /** Months of ECB reference rates written by a refresh (0 when the stored rates were current). */
  exchangeRateMonthsStored: { name: 'ExchangeRateMonthsStored', unit: 'Count' },
  /** Expenses converted into their owner's home currency (at creation, edit, or converted again). */
  expensesConverted: { name: 'ExpensesConverted', unit: 'Count' },
  /** Forwarding addresses made or rotated. */
  forwardingAddressesIssued: { name: 'ForwardingAddressesIssued', unit: 'Count' },
  /** Codes emailed to prove a new forwarding sender owns its mailbox. */
  forwardingCodesSent: { name: 'ForwardingCodesSent', unit: 'Count' },
  /** Account archives made. */
  accountExportsMade: { name: 'AccountExportsMade', unit: 'Count' },
  /** Accounts deleted, with all their data. */
  accountsDeleted: { name: 'AccountsDeleted', unit: 'Count' },
  /** Receipt images deleted when their owner's retention ran out. */
  receiptImagesExpired: { name: 'ReceiptImagesExpired', unit: 'Count' },
} as const;

export type BusinessMetric = keyof typeof BUSINESS_METRICS;
