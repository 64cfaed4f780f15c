import { IMAGE_CONVERSION_FILES } from '../functions/shared/image-conversion.ts';

/**
 * What each function of functions/catalog.ts may do beyond its tables (which the catalog
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
  /** Files (paths from the project root) copied next to the bundle: data the code reads at run time. */
  bundleFiles?: string[];
}

/** The image converters' WebAssembly (libwebp and MozJPEG, functions/shared/image-conversion.ts), for the functions that convert. */
const IMAGE_CONVERSION_BUNDLE_FILES = IMAGE_CONVERSION_FILES.map((file) => `node_modules/${file}`);

export const FUNCTION_ACCESS: Readonly<Record<string, FunctionAccess>> = {
  // Presigned and inline uploads, image URLs, deletes with every version; reprocess invokes OCR,
  // deleting a receipt's expense asks BudgetFn to re-evaluate budgets. An inline WebP is stored as JPEG.
  ReceiptFn: { receiptsBucket: 'readWrite', invoke: ['ProcessReceiptFn', 'BudgetFn'], bundleFiles: IMAGE_CONVERSION_BUNDLE_FILES },
  // OCR, categorization, then the receipt-processed event and the budget evaluation (alerts by push and email).
  // Exports and kept reports go to the bucket; report emails are sent through SES; exports link receipt images (presigned GET).
  // The chart renderer's WebAssembly and font travel with the bundle (functions/report/charts.ts).
  ReportFn: {
    receiptsBucket: 'read',
    bucketPrefixes: ['exports/', 'reports/'],
    sendEmail: true,
    bundleFiles: ['node_modules/@resvg/resvg-wasm/index_bg.wasm', 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'],
  },
  // Alerts: pushed through the publish mutation and emailed.
  BudgetFn: { sendEmail: true, publish: ['publishBudgetAlert'] },
  // A WebP uploaded presigned is read through a JPEG conversion.
  ProcessReceiptFn: {
    receiptsBucket: 'read',
    textract: true,
    comprehend: true,
    sendEmail: true,
    publish: ['publishReceiptProcessed', 'publishBudgetAlert'],
    bundleFiles: IMAGE_CONVERSION_BUNDLE_FILES,
  },
};

/** `ProcessReceiptFn` → `PROCESS_RECEIPT_FUNCTION` (what functions/shared/config.ts reads). */
export function functionEnvVar(functionName: string): string {
  const base = functionName.replace(/Fn$/, '');
  return `${base.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_FUNCTION`;
}
