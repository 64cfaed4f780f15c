import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Route } from '../../local/server/http.ts';
import { PROJECT_ROOT } from '../../local/stack.ts';

/**
 * A Textract endpoint for tests that answers every AnalyzeExpense with a saved, real response
 * (test/fixtures/textract, Apache-2.0), so the OCR function's code path runs in milliseconds. The
 * receipt's printed date is replaced by today's (in `timezone`, MM/DD/YYYY as this Chicago
 * receipt prints dates) so the expense lands in the current budget period. It counts calls, and can be told to fail or to stall.
 */
export const TEXTRACT_DATA = path.join(PROJECT_ROOT, 'test/fixtures/textract');
/** The receipt whose image and response are both saved: MEGA MARKET PLUS, total 1810.46 USD. */
export const MEGA_MARKET_IMAGE = path.join(TEXTRACT_DATA, 'mega-market-receipt.jpg');
export const MEGA_MARKET_TOTAL = 181046;

export interface SavedTextract {
  route: Route;
  /** AnalyzeExpense requests received (failed ones included). */
  calls: number;
  /** The next `count` requests answer `type` (HTTP 400, as Textract's JSON protocol does). */
  failNext(count: number, type?: string): void;
  /** Each answer waits this long first (a slow OCR, to crash a run in the middle of it). */
  delayMs: number;
  /** Resolves on the next request received. */
  nextCall(): Promise<void>;
}

export function createSavedTextract(
  options: {
    response?: string;
    timezone?: string;
    /** Changes the answer to the `call`-th request (1-based), e.g. to lower a field's confidence. */
    rewrite?: (response: string, call: number) => string;
  } = {},
): SavedTextract {
  const saved = readFileSync(
    path.join(TEXTRACT_DATA, options.response ?? 'mega-market-receipt.analyze-expense.json'),
    'utf8',
  );
  let failures: { count: number; type: string } = { count: 0, type: 'ThrottlingException' };
  let waiting: Array<() => void> = [];
  const textract: SavedTextract = {
    calls: 0,
    delayMs: 0,
    failNext(count, type = 'ThrottlingException') {
      failures = { count, type };
    },
    nextCall: () => new Promise((resolve) => waiting.push(resolve)),
    route: {
      matches: (req) => req.method === 'POST' && req.headers['x-amz-target'] === 'Textract.AnalyzeExpense',
      async handle(req, res) {
        for await (const _chunk of req) void _chunk;
        textract.calls += 1;
        const woken = waiting;
        waiting = [];
        woken.forEach((wake) => wake());
        if (textract.delayMs) await new Promise((resolve) => setTimeout(resolve, textract.delayMs));
        if (failures.count > 0) {
          failures.count -= 1;
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': failures.type });
          res.end(JSON.stringify({ __type: failures.type, message: 'Rate exceeded' }));
          return;
        }
        const today = new Intl.DateTimeFormat('en-US', {
          timeZone: options.timezone ?? 'UTC',
          day: '2-digit',
          month: '2-digit',
          year: 'numeric',
        }).format(new Date());
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        const answer = saved.replaceAll('12/07/2019', today);
        res.end(options.rewrite ? options.rewrite(answer, textract.calls) : answer);
      },
    },
  };
  return textract;
}
