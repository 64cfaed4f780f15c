import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Block, ExpenseField, LineItemGroup } from '@aws-sdk/client-textract';
import { readLayout, type LayoutField, type TextLine } from '../functions/ocr/layout-rules.ts';
import { readLineItems, type PrintedValue } from '../functions/ocr/line-items.ts';
import { currencyOf } from '../functions/ocr/currency-evidence.ts';
import { printedDateIn } from '../functions/ocr/receipt-text.ts';
import { checkReceiptContent } from '../functions/shared/receipt-content.ts';
import type { OcrEngine } from './ocr-engine.ts';
import { OcrEngineBusy, OcrEngineCrashed } from './ocr-engine-process.ts';
import { createIamVerifier, signedRequestOf } from './server/auth.ts';
import { BodyTooLarge, discardRest, readBoundedBody } from './server/request-body.ts';
import type { Route } from './server/http.ts';

/**
 * Textract, locally: `AnalyzeExpense` over Textract's JSON 1.1 protocol (POST, `X-Amz-Target:
 * Textract.AnalyzeExpense`, SigV4 for service textract), answered in its response shape —
 * PAGE/LINE blocks with normalized geometry, SummaryFields (VENDOR_NAME, INVOICE_RECEIPT_DATE,
 * TOTAL, SUBTOTAL, TAX with label and value detections), LineItemGroups (ITEM, PRICE,
 * QUANTITY, UNIT_PRICE and EXPENSE_ROW per item) — from the local OCR engine, the layout
 * rules and the line-item rules. So the OCR function's code path is the same as on AWS.
 * Like Textract, it does not know the user: values are the text as printed (a date stays
 * "11/01/2019"), and the parser reads them in the user's date order.
 * Not emulated: documents in S3 (`Document.S3Object`), PDFs (the local engine reads images).
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

/** Textract's Geometry: the upright box, and the line's own corners when the engine gave them (as Textract does). */
const geometryOf = (box: TextLine['box'], polygon?: TextLine['polygon']) => ({
  BoundingBox: { Left: box.left, Top: box.top, Width: box.width, Height: box.height },
  Polygon: polygon?.map((p) => ({ X: p.x, Y: p.y })) ?? [
    { X: box.left, Y: box.top },
    { X: box.left + box.width, Y: box.top },
    { X: box.left + box.width, Y: box.top + box.height },
    { X: box.left, Y: box.top + box.height },
  ],
});

const confidence = (c: number) => Math.round(c * 1e4) / 100;

function summaryField(type: string, field: LayoutField | undefined, value?: string): ExpenseField[] {
  if (!field) return [];
  const line = field.row.lines.at(-1)!;
  return [
    {
      Type: { Text: type, Confidence: 99 },
      ...(field.label
        ? {
            LabelDetection: {
              Text: field.label,
              Geometry: geometryOf(field.row.lines[0].box),
              Confidence: confidence(field.row.lines[0].confidence),
            },
          }
        : {}),
      ValueDetection: {
        Text: value ?? field.text,
        Geometry: geometryOf(line.box),
        Confidence: confidence(field.confidence),
      },
      PageNumber: field.row.page,
    },
  ];
}

/** The part of a line's box a span of its text covers (characters taken as equally wide: the engine boxes lines, not words). */
function spanBox(value: PrintedValue): TextLine['box'] {
  const { box, text } = value.line;
  const length = Math.max(1, text.length);
  return {
    left: box.left + (box.width * value.start) / length,
    top: box.top,
    width: (box.width * (value.end - value.start)) / length,
    height: box.height,
  };
}

function unionBox(lines: TextLine[]): TextLine['box'] {
  const left = Math.min(...lines.map((l) => l.box.left));
  const top = Math.min(...lines.map((l) => l.box.top));
  const right = Math.max(...lines.map((l) => l.box.left + l.box.width));
  const bottom = Math.max(...lines.map((l) => l.box.top + l.box.height));
  return { left, top, width: right - left, height: bottom - top };
}

const itemField = (type: string, text: string, box: TextLine['box'], lines: TextLine[]): ExpenseField => ({
  Type: { Text: type, Confidence: 99 },
  ValueDetection: {
    Text: text,
    Geometry: geometryOf(box),
    Confidence: confidence(Math.min(...lines.map((l) => l.confidence))),
  },
  PageNumber: lines[0].page,
});

/**
 * The line items as Textract answers them: one LineItemGroup (a receipt's one table) of
 * LineItems, each with LineItemExpenseFields typed ITEM, PRICE, QUANTITY and UNIT_PRICE when
 * printed, and EXPENSE_ROW, the whole text of the item's rows
 * (https://docs.aws.amazon.com/textract/latest/dg/expensedocuments.html, API_LineItemGroup).
 */
function lineItemGroups(rows: ReturnType<typeof readLayout>['rows'], currency: string): LineItemGroup[] {
  const items = readLineItems(rows, currency);
  if (items.length === 0) return [];
  return [
    {
      LineItemGroupIndex: 1,
      LineItems: items.map((item) => {
        const rowLines = item.rows.flatMap((r) => r.lines);
        const fields: ExpenseField[] = [];
        if (item.description)
          fields.push(
            itemField('ITEM', item.description.text, unionBox(item.description.lines), item.description.lines),
          );
        if (item.quantity)
          fields.push(itemField('QUANTITY', item.quantity.text, spanBox(item.quantity), [item.quantity.line]));
        if (item.unitPrice)
          fields.push(itemField('UNIT_PRICE', item.unitPrice.text, spanBox(item.unitPrice), [item.unitPrice.line]));
        fields.push(itemField('PRICE', item.price.text, spanBox(item.price), [item.price.line]));
        fields.push(itemField('EXPENSE_ROW', item.rows.map((r) => r.text).join(' '), unionBox(rowLines), rowLines));
        return { LineItemExpenseFields: fields };
      }),
    },
  ];
}

/** The AnalyzeExpense response for one page of OCR lines. */
export function analyzeExpenseResponse(lines: TextLine[], options: { today?: Date } = {}) {
  const text = lines.map((l) => l.text).join('\n');
  const currency = currencyOf(text).code;
  const today = options.today ?? new Date();
  // The order only decides which row holds a date the layout rules can read; the value sent is
  // that date as printed, which the parser reads in the user's order.
  const layout = readLayout(lines, 'DMY', today, currency);
  const pageId = randomUUID();
  const lineBlocks: Block[] = lines.map((l) => ({
    BlockType: 'LINE',
    Id: randomUUID(),
    Text: l.text,
    Confidence: confidence(l.confidence),
    Geometry: geometryOf(l.box, l.polygon),
    Page: l.page,
  }));
  const blocks: Block[] = [
    {
      BlockType: 'PAGE',
      Id: pageId,
      Geometry: geometryOf({ left: 0, top: 0, width: 1, height: 1 }),
      Page: 1,
      Relationships: [{ Type: 'CHILD', Ids: lineBlocks.map((b) => b.Id!) }],
    },
    ...lineBlocks,
  ];
  const SummaryFields = [
    ...summaryField('VENDOR_NAME', layout.merchant),
    ...summaryField(
      'INVOICE_RECEIPT_DATE',
      layout.date,
      layout.date ? (printedDateIn(layout.date.text, today) ?? layout.date.text) : undefined,
    ),
    ...summaryField('TOTAL', layout.total),
    ...summaryField('SUBTOTAL', layout.subtotal),
    ...summaryField('TAX', layout.tax),
  ];
  return {
    DocumentMetadata: { Pages: 1 },
    ExpenseDocuments: [
      { ExpenseIndex: 1, SummaryFields, LineItemGroups: lineItemGroups(layout.rows, currency), Blocks: blocks },
    ],
  };
}

/** The largest AnalyzeExpense request: a document of MAX_BYTES in base64, and room for the JSON around it. */
export const MAX_REQUEST_BYTES = Math.ceil(MAX_BYTES / 3) * 4 + 64 * 1024;

export interface LocalTextractOptions {
  engine: OcrEngine;
  /** Checks the SigV4 signature (service textract); throws to refuse. */
  authorize(req: IncomingMessage, body: string): Promise<void>;
}

export function createLocalTextractRoute(options: LocalTextractOptions): Route {
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  return {
    matches: (req) => req.method === 'POST' && String(req.headers['x-amz-target'] ?? '').startsWith('Textract.'),
    async handle(req, res) {
      let body: string;
      try {
        body = (await readBoundedBody(req, MAX_REQUEST_BYTES)).toString('utf8');
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        discardRest(req, res);
        return send(
          res,
          413,
          {
            __type: 'DocumentTooLargeException',
            message: `The request is larger than ${MAX_REQUEST_BYTES} bytes: a document may have at most ${MAX_BYTES} bytes`,
          },
          { 'x-amzn-errortype': 'DocumentTooLargeException' },
        );
      }
      try {
        await options.authorize(req, body);
      } catch (error) {
        return send(
          res,
          400,
          { __type: 'UnrecognizedClientException', message: (error as Error).message },
          { 'x-amzn-errortype': 'UnrecognizedClientException' },
        );
      }
      try {
        if (req.headers['x-amz-target'] !== 'Textract.AnalyzeExpense')
          throw new TextractError(
            'UnknownOperationException',
            `${String(req.headers['x-amz-target'])} is not available locally`,
          );
        const request = JSON.parse(body) as { Document?: { Bytes?: string; S3Object?: unknown } };
        if (!request.Document?.Bytes)
          throw new TextractError(
            'InvalidParameterException',
            'Request has invalid parameters: Document.Bytes is required locally (S3Object is not emulated)',
          );
        const bytes = Buffer.from(request.Document.Bytes, 'base64');
        if (bytes.length > MAX_BYTES)
          throw new TextractError('DocumentTooLargeException', 'S3 object size is more than the maximum limit');
        const content = checkReceiptContent(bytes);
        if (!content.ok || content.contentType === 'application/pdf') {
          throw new TextractError('UnsupportedDocumentException', 'Request has unsupported document format');
        }
        const page = await options.engine.read(bytes);
        send(res, 200, analyzeExpenseResponse(page.lines));
      } catch (error) {
        if (error instanceof TextractError)
          return send(res, 400, { __type: error.type, message: error.message }, { 'x-amzn-errortype': error.type });
        // Too many receipts waiting: Textract's throttling answer, which the AWS SDK retries with back-off.
        if (error instanceof OcrEngineBusy)
          return send(
            res,
            400,
            { __type: 'ThrottlingException', message: error.message },
            { 'x-amzn-errortype': 'ThrottlingException' },
          );
        if (error instanceof OcrEngineCrashed)
          return send(
            res,
            500,
            { __type: 'InternalServerError', message: error.message },
            { 'x-amzn-errortype': 'InternalServerError' },
          );
        if (error instanceof SyntaxError)
          return send(res, 400, { __type: 'InvalidParameterException', message: 'Request body is not valid JSON' });
        // The engine could not decode the image (a corrupt or truncated file).
        return send(
          res,
          400,
          { __type: 'BadDocumentException', message: `Unable to read the document: ${(error as Error).message}` },
          { 'x-amzn-errortype': 'BadDocumentException' },
        );
      }
    },
  };
}

/** The route's `authorize`: SigV4 for service textract against the local credentials, as Textract checks it. */
export function textractSigV4Check(
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
): LocalTextractOptions['authorize'] {
  const verify = createIamVerifier(credentials, region, 'textract');
  return async (req, body) => void (await verify(signedRequestOf(req, body)));
}

/** The local Textract alone on a free port of 127.0.0.1, for tools that run without `npm start` (the OCR CLI). */
export async function serveLocalTextract(
  options: LocalTextractOptions,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const route = createLocalTextractRoute(options);
  const server = createServer((req, res) => {
    if (route.matches(req)) return void route.handle(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
