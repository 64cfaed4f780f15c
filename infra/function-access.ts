import { existsSync } from 'node:fs';
import { IMAGE_CONVERSION_FILES } from '../model/functions.ts';

/**
 * What each function of model/functions.ts may do beyond its tables (which the catalog
 * lists as read / readWrite). Plain data read by the processing construct; a function not
 * named here gets its tables and nothing else. Keep it to what the code calls.
 */
export interface FunctionAccess {
  /** The receipts bucket: read objects, or also write and delete them (and their versions). */
  receiptsBucket?: 'read' | 'readWrite';
  /** textract:AnalyzeExpense. */
  textract?: boolean;
  /** comprehend:DetectEntities (also turns COMPREHEND_ENABLED on). */
  comprehend?: boolean;
  /** SES send from the sender identity only. */
  sendEmail?: boolean;
  /** `appsync:GraphQL` on these Mutation fields only (functions/shared/publish.ts). */
  publish?: string[];
  /** Functions it invokes by name (catalog names); each gets an env var, see functionEnvVar. */
  invoke?: string[];
  /** Other key prefixes of the bucket it reads and writes (get and put only), e.g. exports. */
  bucketPrefixes?: string[];
  /** Of its bucketPrefixes, those whose objects it also deletes, every version (what it took in is not kept). */
  deletePrefixes?: string[];
  /** Files (paths from the project root) copied next to the bundle: data the code reads at run time. */
  bundleFiles?: string[];
  /**
   * A user's data as a whole (export, deletion, retention): every prefix of
   * model/data-lifecycle.ts userObjectPrefixes read, written and deleted with every version, and
   * the user pool's sign-in accounts disabled and deleted (its id and client id in USER_POOL_ID,
   * USER_POOL_CLIENT_ID).
   */
  accountData?: boolean;
}

/** The image converters' WebAssembly (libwebp and MozJPEG, functions/shared/image-conversion.ts), for the functions that convert. */
const IMAGE_CONVERSION_BUNDLE_FILES = IMAGE_CONVERSION_FILES.map((file) => `node_modules/${file}`);

/** The dated ECB history RatesFn imports (functions/rates/handler.ts SNAPSHOT_FILE_NAME). */
const RATES_SNAPSHOT = 'functions/rates/snapshot/ecb-eurofxref-hist.csv';

export const FUNCTION_ACCESS: Readonly<Record<string, FunctionAccess>> = {
  // Presigned and inline uploads, image URLs, deletes with every version; reprocess invokes OCR,
  // deleting a receipt's expense asks BudgetFn to re-evaluate budgets. An inline WebP is stored as JPEG.
  ReceiptFn: {
    receiptsBucket: 'readWrite',
    invoke: ['ProcessReceiptFn', 'BudgetFn'],
    bundleFiles: IMAGE_CONVERSION_BUNDLE_FILES,
  },
  // OCR, categorization, then the receipt-processed event and the budget evaluation (alerts by push and email).
  // Exports and kept reports go to the bucket; report emails are sent through SES; exports link receipt images (presigned GET).
  // The chart renderer's WebAssembly and font travel with the bundle (functions/report/charts.ts).
  // Finished jobs are pushed to their owner (onJobDone).
  ReportFn: {
    receiptsBucket: 'read',
    publish: ['publishJobDone'],
    bucketPrefixes: ['exports/', 'reports/'],
    sendEmail: true,
    bundleFiles: [
      'node_modules/@resvg/resvg-wasm/index_bg.wasm',
      'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
      'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
    ],
  },
  // Account archives (every prefix of the user's), deletion (every version of every object, the
  // sign-in account), receipt image retention; the archive's email and the deletion receipt by SES;
  // finished jobs pushed to their owner.
  AccountFn: { accountData: true, sendEmail: true, publish: ['publishJobDone'] },
  // Typed-in expenses' categories: Comprehend when brands and keywords find nothing.
  CategorizeFn: { comprehend: true },
  // Alerts: pushed through the publish mutation and emailed.
  BudgetFn: { sendEmail: true, publish: ['publishBudgetAlert'] },
  // The ECB history shipped in the repository (when it is there) travels with the bundle: the first
  // scheduled run stores it, then the feed keeps it current.
  RatesFn: existsSync(RATES_SNAPSHOT) ? { bundleFiles: [RATES_SNAPSHOT] } : {},
  // A WebP uploaded presigned is read through a JPEG conversion.
  ProcessReceiptFn: {
    receiptsBucket: 'read',
    textract: true,
    comprehend: true,
    sendEmail: true,
    publish: ['publishReceiptProcessed', 'publishBudgetAlert'],
    bundleFiles: IMAGE_CONVERSION_BUNDLE_FILES,
  },
  // The code that confirms an extra sender address is emailed.
  ForwardingFn: { sendEmail: true },
  // Forwarded mail: the stored message under inbound/ read, its attachments stored as receipts
  // (converted like an inline upload), the sender answered, then the message deleted.
  InboundEmailFn: {
    receiptsBucket: 'readWrite',
    bucketPrefixes: ['inbound/'],
    deletePrefixes: ['inbound/'],
    sendEmail: true,
    bundleFiles: IMAGE_CONVERSION_BUNDLE_FILES,
  },
  // Statement files: presigned PUTs and reads under statements/ (nothing else of the bucket); budgets
  // look at the expenses an import made (BudgetFn, asynchronously).
  StatementFn: { bucketPrefixes: ['statements/'], invoke: ['BudgetFn'] },
  // The daily check emails the owner of a rule whose charge was missed or repriced.
  RecurringFn: { sendEmail: true },
  // Each person a share or a payment concerns is told by push (onShareEvent) and by email.
  SharingFn: { sendEmail: true, publish: ['publishShareEvent'] },
};

/** `ProcessReceiptFn` → `PROCESS_RECEIPT_FUNCTION` (what functions/shared/config.ts reads). */
export function functionEnvVar(functionName: string): string {
  const base = functionName.replace(/Fn$/, '');
  return `${base.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_FUNCTION`;
}
