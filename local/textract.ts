import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Block, ExpenseField } from '@aws-sdk/client-textract';
import type { DateOrder } from '../generated/graphql.ts';
import { readLayout, type LayoutField, type TextLine } from '../functions/ocr/layout-rules.ts';
import { currencyIn } from '../functions/ocr/receipt-text.ts';
import { checkReceiptContent } from '../functions/receipts/receipt-content.ts';
import type { OcrEngine } from './ocr-engine.ts';
import type { Route } from './server/http.ts';

/**
 * Textract, locally: `AnalyzeExpense` over Textract's JSON 1.1 protocol (POST, `X-Amz-Target:
 * Textract.AnalyzeExpense`, SigV4 for service textract), answered in its response shape —
 * PAGE/LINE blocks with normalized geometry, SummaryFields (VENDOR_NAME, INVOICE_RECEIPT_DATE,
 * TOTAL, SUBTOTAL, TAX with label and value detections), LineItemGroups — from the local OCR
 * engine and the layout rules. So the OCR function's code path is the same as on AWS.
 * Not emulated: documents in S3 (`Document.S3Object`), PDFs (the local engine reads images),
 * line items (always empty).
 */
const MAX_BYTES = 10 * 1024 * 1024;

class TextractError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const geometryOf = (box: TextLine['box']) => ({
  BoundingBox: { Left: box.left, Top: box.top, Width: box.width, Height: box.height },
  Polygon: [
    { X: box.left, Y: box.top },
    { X: box.left + box.width, Y: box.top },
    { X: box.left + box.width, Y: box.top + box.height },
    { X: box.left, Y: box.top + box.height },
  ],
});

function summaryField(type: string, field: LayoutField | undefined, value?: string): ExpenseField[] {
  if (!field) return [];
  const line = field.row.lines.at(-1)!;
  return [
    {
      Type: { Text: type, Confidence: 99 },
      ...(field.label ? { LabelDetection: { Text: field.label, Geometry: geometryOf(field.row.lines[0].box), Confidence: Math.round(field.row.lines[0].confidence * 1e4) / 100 } } : {}),
      ValueDetection: { Text: value ?? field.text, Geometry: geometryOf(line.box), Confidence: Math.round(field.confidence * 1e4) / 100 },
      PageNumber: field.row.page,
    },
  ];
}

/** The AnalyzeExpense response for one page of OCR lines. */
export function analyzeExpenseResponse(lines: TextLine[], options: { dateOrder?: DateOrder; today?: Date } = {}) {
  const text = lines.map((l) => l.text).join('\n');
  const currency = currencyIn(text) ?? 'USD';
  // Textract does not know the user's date order; day-first is the most common reading worldwide.
  const layout = readLayout(lines, options.dateOrder ?? 'DMY', options.today ?? new Date(), currency);
  const pageId = randomUUID();
  const lineBlocks: Block[] = lines.map((l) => ({ BlockType: 'LINE', Id: randomUUID(), Text: l.text, Confidence: Math.round(l.confidence * 1e4) / 100, Geometry: geometryOf(l.box), Page: l.page }));
  const blocks: Block[] = [
    { BlockType: 'PAGE', Id: pageId, Geometry: geometryOf({ left: 0, top: 0, width: 1, height: 1 }), Page: 1, Relationships: [{ Type: 'CHILD', Ids: lineBlocks.map((b) => b.Id!) }] },
    ...lineBlocks,
  ];
  const SummaryFields = [
    ...summaryField('VENDOR_NAME', layout.merchant),
    ...summaryField('INVOICE_RECEIPT_DATE', layout.date, layout.date ? (/\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}\s*[A-Za-z]{3,9}\s*\d{2,4}/.exec(layout.date.text)?.[0] ?? layout.date.text) : undefined),
    ...summaryField('TOTAL', layout.total),
    ...summaryField('SUBTOTAL', layout.subtotal),
    ...summaryField('TAX', layout.tax),
  ];
  return { DocumentMetadata: { Pages: 1 }, ExpenseDocuments: [{ ExpenseIndex: 1, SummaryFields, LineItemGroups: [], Blocks: blocks }] };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface LocalTextractOptions {
  engine: OcrEngine;
  /** Checks the SigV4 signature (service textract); throws to refuse. */
  authorize(req: IncomingMessage, body: string): Promise<void>;
}

export function createLocalTextractRoute(options: LocalTextractOptions): Route {
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), ...headers });
    res.end(JSON.stringify(body));
  };
  return {
    matches: (req) => req.method === 'POST' && String(req.headers['x-amz-target'] ?? '').startsWith('Textract.'),
    async handle(req, res) {
      const body = await readBody(req);
      try {
        await options.authorize(req, body);
      } catch (error) {
        return send(res, 400, { __type: 'UnrecognizedClientException', message: (error as Error).message }, { 'x-amzn-errortype': 'UnrecognizedClientException' });
      }
      try {
        if (req.headers['x-amz-target'] !== 'Textract.AnalyzeExpense') throw new TextractError('UnknownOperationException', `${String(req.headers['x-amz-target'])} is not available locally`);
        const request = JSON.parse(body) as { Document?: { Bytes?: string; S3Object?: unknown } };
        if (!request.Document?.Bytes) throw new TextractError('InvalidParameterException', 'Request has invalid parameters: Document.Bytes is required locally (S3Object is not emulated)');
        const bytes = Buffer.from(request.Document.Bytes, 'base64');
        if (bytes.length > MAX_BYTES) throw new TextractError('DocumentTooLargeException', 'S3 object size is more than the maximum limit');
        const content = checkReceiptContent(bytes);
        if (!content.ok || content.contentType === 'application/pdf') {
          throw new TextractError('UnsupportedDocumentException', 'Request has unsupported document format');
        }
        const page = await options.engine.read(bytes);
        send(res, 200, analyzeExpenseResponse(page.lines));
      } catch (error) {
        if (error instanceof TextractError) return send(res, 400, { __type: error.type, message: error.message }, { 'x-amzn-errortype': error.type });
        if (error instanceof SyntaxError) return send(res, 400, { __type: 'InvalidParameterException', message: 'Request body is not valid JSON' });
        // The engine could not decode the image (a corrupt or truncated file).
        return send(res, 400, { __type: 'BadDocumentException', message: `Unable to read the document: ${(error as Error).message}` }, { 'x-amzn-errortype': 'BadDocumentException' });
      }
    },
  };
}
