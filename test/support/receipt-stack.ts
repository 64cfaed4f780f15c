import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionDefinition } from '../../model/functions.ts';
import type { TextLine } from '../../functions/ocr/layout-rules.ts';
import type { Handler } from '../../local/lambda.ts';
import type { OcrEngine } from '../../local/ocr-engine.ts';
import { PROJECT_ROOT, startLocalStack, type LocalStack } from '../../local/stack.ts';
import { createLocalTextractRoute, textractSigV4Check } from '../../local/textract.ts';
import { createCognito, createResolvers } from '../../local/wiring.ts';

/**
 * The whole local stack (real resolvers, functions, dynalite, S3, Cognito) for tests about
 * receipts' storage rather than their reading: the local Textract answers from a scripted
 * page instead of running PaddleOCR, so a test pays milliseconds, not seconds, per receipt.
 * Every function invocation is recorded with its outcome, for tests that must see one happen.
 */
export interface Invocation {
  functionName: string;
  event: any;
  result?: unknown;
  error?: unknown;
}

export interface ReceiptStack {
  stack: LocalStack;
  invocations: Invocation[];
  /** Every document the local Textract was asked to read, in order. */
  documents: Uint8Array[];
  stop(): Promise<void>;
}

export interface ReceiptStackOptions {
  /** A handler to run instead of the function's source module (e.g. its deployed bundle); undefined: the source. */
  handlerOf?: (fn: FunctionDefinition) => Promise<Handler> | undefined;
  /** Where the server's log lines go (as `npm start` prints them); undefined: no log. */
  log?: (line: string) => void;
}

/** A clean receipt as OCR reads it: merchant, date and total (with its currency, so nothing is a guess), one line each. */
export function receiptPage(merchant: string, date: string, total: string): TextLine[] {
  return [merchant, `DATE: ${date}`, `TOTAL ${total}`].map((text, i) => ({
    text,
    confidence: 0.98,
    box: { left: 0.1, top: 0.1 + i * 0.1, width: 0.6, height: 0.04 },
    page: 1,
  }));
}

export async function givenReceiptStack(
  name: string,
  page: () => TextLine[] = () => receiptPage('KOPI CORNER CAFE', '05/03/2024', 'RM 85.00'),
  options: ReceiptStackOptions = {},
): Promise<ReceiptStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `receipts-${name}-`));
  const invocations: Invocation[] = [];
  const documents: Uint8Array[] = [];
  const engine: OcrEngine = {
    read: async (image) => {
      documents.push(image);
      return { width: 1000, height: 1000, lines: page() };
    },
  };
  const loadHandler = async (fn: FunctionDefinition) => {
    const handler =
      (await options.handlerOf?.(fn)) ??
      ((await import(pathToFileURL(path.resolve(PROJECT_ROOT, fn.entry)).href)) as { handler: Handler }).handler;
    return async (event: unknown, context: Context) => {
      const invocation: Invocation = { functionName: fn.name, event: structuredClone(event) };
      invocations.push(invocation);
      try {
        invocation.result = await handler(event, context);
        return invocation.result;
      } catch (error) {
        invocation.error = error;
        throw error;
      }
    };
  };
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    quiet: !options.log,
    log: options.log,
    env: {},
    createResolvers,
    createCognito,
    loadHandler,
    lambdaRetryDelaysMs: [100, 200],
    extraRoutes: async ({ config }) => [
      createLocalTextractRoute({ engine, authorize: textractSigV4Check(config.credentials, config.region) }),
    ],
  });
  return {
    stack,
    invocations,
    documents,
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
