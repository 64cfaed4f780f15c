import { describe, expect, it } from 'vitest';
import {
  createServerLog,
  functionLogText,
  logFormatOf,
  rewriteFunctionLines,
  type RequestLogEntry,
} from '../../../local/log-format.ts';

/** What npm start prints: readable lines by default, JSON with LOG_FORMAT=json. */
const at = new Date(2026, 10, 20, 9, 5, 7); // local time: the text form shows the machine's clock
const entry: RequestLogEntry = {
  method: 'POST',
  path: '/graphql',
  operation: 'mutation createExpense',
  status: 200,
  ms: 14,
  authMode: 'AMAZON_COGNITO_USER_POOLS',
  errorTypes: ['ValidationError'],
  requestId: 'req-1',
};

// Lines as Powertools prints them on Lambda (and in-process under npm start).
const powertoolsLine = JSON.stringify({
  level: 'ERROR',
  message: 'budget alert delivery failed',
  timestamp: '2026-11-20T08:05:07.000Z',
  service: 'budgets',
  cold_start: false,
  function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:BudgetFn',
  function_memory_size: '256',
  function_name: 'BudgetFn',
  function_request_id: 'lambda-1',
  sampling_rate: 0,
  correlationId: 'req-1',
  budgetId: 'DINING-MONTHLY',
  attempt: 2,
  error: {
    name: 'AggregateError',
    location: 'alert-delivery.ts:160',
    message: 'alert not fully delivered',
    stack: 'x',
  },
});
const emfLine = JSON.stringify({
  _aws: {
    Timestamp: Date.parse('2026-11-20T08:05:07.000Z'),
    CloudWatchMetrics: [
      {
        Namespace: 'SmartExpenseTracker',
        Dimensions: [['service']],
        Metrics: [
          { Name: 'ReceiptsProcessed', Unit: 'Count' },
          { Name: 'OcrSeconds', Unit: 'Seconds' },
        ],
      },
    ],
  },
  service: 'process-receipt',
  correlationId: 'req-1',
  ReceiptsProcessed: 1,
  OcrSeconds: 1.25,
});
const clockOf = (iso: string) => new Date(iso).toTimeString().slice(0, 8);

describe('server log', () => {
  it('given a request, when logged as text, then one line names the operation, status, time taken, caller and error types', () => {
    const lines: string[] = [];
    createServerLog(
      'text',
      (line) => lines.push(line),
      () => at,
    ).request(entry);
    expect(lines).toEqual([
      '09:05:07 POST /graphql mutation createExpense 200 14ms AMAZON_COGNITO_USER_POOLS errors=ValidationError',
    ]);
  });

  it('given a request refused before it ran, then the line says so without an operation', () => {
    const lines: string[] = [];
    const log = createServerLog(
      'text',
      (line) => lines.push(line),
      () => at,
    );
    log.request({
      method: 'POST',
      path: '/graphql',
      operation: null,
      status: 401,
      ms: 1,
      requestId: 'r',
      errorTypes: ['UnauthorizedException'],
    });
    log('SIGTERM: shutting down…');
    expect(lines).toEqual([
      '09:05:07 POST /graphql - 401 1ms errors=UnauthorizedException',
      '09:05:07 SIGTERM: shutting down…',
    ]);
  });

  it('given LOG_FORMAT=json, then requests and messages are JSON lines with every field', () => {
    const lines: string[] = [];
    const log = createServerLog(
      'json',
      (line) => lines.push(line),
      () => at,
    );
    log.request({ ...entry, correlationId: 'change-2' });
    log('SIGINT: shutting down…');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        level: 'INFO',
        timestamp: at.toISOString(),
        service: 'local-stack',
        message: 'request',
        ...entry,
        correlationId: 'change-2',
      },
      { level: 'INFO', timestamp: at.toISOString(), service: 'local-stack', message: 'SIGINT: shutting down…' },
    ]);
  });

  it('given LOG_FORMAT, then text and json are taken and anything else is refused by name', () => {
    expect([undefined, '', 'text', 'json'].map(logFormatOf)).toEqual(['text', 'text', 'text', 'json']);
    expect(() => logFormatOf('pretty')).toThrow('LOG_FORMAT must be text or json, not "pretty"');
  });
});

describe("the functions' lines", () => {
  it('given a Powertools entry, then one line: time, service, level, message, its own keys, the error by name and message', () => {
    expect(functionLogText(powertoolsLine)).toBe(
      `${clockOf('2026-11-20T08:05:07.000Z')} budgets ERROR budget alert delivery failed budgetId=DINING-MONTHLY attempt=2 error=AggregateError: alert not fully delivered (alert-delivery.ts:160)`,
    );
  });

  it('given an EMF metrics line, then one line with each metric and its value', () => {
    expect(functionLogText(emfLine)).toBe(
      `${clockOf('2026-11-20T08:05:07.000Z')} process-receipt metrics ReceiptsProcessed=1 OcrSeconds=1.25`,
    );
  });

  it('given anything else, then it is not taken for a function line', () => {
    for (const line of ['plain text', '{not json', '{"a":1}', JSON.stringify({ level: 'INFO', message: 'no service' })])
      expect(functionLogText(line), line).toBeUndefined();
  });

  it('given a stream, when function lines are rewritten or dropped, then the other lines pass unchanged and callbacks still run', async () => {
    const written: string[] = [];
    const stream = { write: (chunk: string) => written.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
    const restore = rewriteFunctionLines(stream, (line) => (line.includes('"budgets"') ? null : functionLogText(line)));
    stream.write('ready\n');
    stream.write(`${emfLine}\n`);
    let called = false;
    stream.write(`${powertoolsLine}\n`, () => (called = true));
    await new Promise((resolve) => process.nextTick(resolve));
    restore();
    stream.write(`${emfLine}\n`);
    expect(written).toEqual([
      'ready\n',
      `${clockOf('2026-11-20T08:05:07.000Z')} process-receipt metrics ReceiptsProcessed=1 OcrSeconds=1.25\n`,
      `${emfLine}\n`,
    ]);
    expect(called).toBe(true);
  });
});
