/**
 * What the local stack prints, in one of two formats (LOG_FORMAT):
 *
 * - `text` (default): one readable line per request (time, operation, status, milliseconds, who
 *   called, error types) and per function log entry or metrics flush (time, service, level,
 *   message, the entry's own keys), so a request and what the functions did for it read at a glance.
 * - `json`: JSON lines: the functions' Powertools log entries and EMF metrics exactly as Lambda
 *   prints them, and the server's own lines in the same shape (level, message, timestamp, service).
 *
 * The functions always write JSON, as on AWS; the text form is made here, from their lines,
 * so no function has a local branch.
 */
export type LogFormat = 'text' | 'json';

export function logFormatOf(value: string | undefined): LogFormat {
  if (value === undefined || value === '' || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new Error(`LOG_FORMAT must be text or json, not ${JSON.stringify(value)}`);
}

/** One GraphQL request as the server saw it. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** The operation's type and root fields (`mutation createExpense`); null when it was refused before (401, 400, 413). */
  operation: string | null;
  status: number;
  ms: number;
  /** How the caller signed in (AMAZON_COGNITO_USER_POOLS, AWS_IAM); absent when it was refused before. */
  authMode?: string;
  /** The errorType of each error in the answer. */
  errorTypes?: string[];
  requestId: string;
  /** The invocation a function's publish comes from (functions/shared/publish.ts). */
  correlationId?: string;
}

/** What the server logs, in the chosen format, written line by line to `write`. */
export interface ServerLog {
  (message: string): void;
  request(entry: RequestLogEntry): void;
}

/** Local wall-clock time, HH:MM:SS: the log's lines are read next to the moment they happen. */
const clock = (at: Date) => at.toTimeString().slice(0, 8);
const SERVICE = 'local-stack';

export function createServerLog(format: LogFormat, write: (line: string) => void, now = () => new Date()): ServerLog {
  const json = (fields: Record<string, unknown>) =>
    write(JSON.stringify({ level: 'INFO', timestamp: now().toISOString(), service: SERVICE, ...fields }));
  const log = ((message: string) =>
    format === 'json' ? json({ message }) : write(`${clock(now())} ${message}`)) as ServerLog;
  log.request = (entry) =>
    format === 'json' ? json({ message: 'request', ...entry }) : write(requestLine(entry, now()));
  return log;
}

/** `12:03:04 POST /graphql mutation createExpense 200 14ms AMAZON_COGNITO_USER_POOLS errors=ValidationError` */
export function requestLine(entry: RequestLogEntry, at: Date): string {
  return [
    clock(at),
    entry.method,
    entry.path,
    entry.operation ?? '-',
    entry.status,
    `${entry.ms}ms`,
    entry.authMode,
    entry.errorTypes?.length ? `errors=${entry.errorTypes.join(',')}` : undefined,
    entry.correlationId ? `correlationId=${entry.correlationId}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' ');
}

// Keys Powertools puts on every entry: known from the service and level, left out of the text form.
const STANDARD_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'correlationId',
]);

const valueText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * A function's JSON line (a Powertools log entry or an EMF metrics object) as one readable
 * line; undefined for anything else (left as it is).
 */
export function functionLogText(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const service = typeof entry.service === 'string' ? entry.service : undefined;
  if (!service) return undefined;
  const emf = entry._aws as { Timestamp?: number; CloudWatchMetrics?: Array<{ Metrics?: Array<{ Name: string }> }> };
  if (emf?.CloudWatchMetrics) {
    const names = emf.CloudWatchMetrics.flatMap((d) => d.Metrics ?? []).map((m) => m.Name);
    const at = new Date(emf.Timestamp ?? Date.now());
    return `${clock(at)} ${service} metrics ${names.map((name) => `${name}=${valueText(entry[name])}`).join(' ')}`;
  }
  if (typeof entry.level !== 'string' || typeof entry.message !== 'string') return undefined;
  const at = typeof entry.timestamp === 'string' ? new Date(entry.timestamp) : new Date();
  const extra = Object.entries(entry)
    .filter(([key]) => !STANDARD_KEYS.has(key))
    .map(([key, value]) => {
      // Powertools' error shape: name, location, message, stack; the stack stays in the JSON form.
      const error = value as { name?: unknown; message?: unknown; location?: unknown } | null;
      if (error && typeof error === 'object' && typeof error.name === 'string' && 'message' in error)
        return `${key}=${error.name}: ${valueText(error.message)}${error.location ? ` (${valueText(error.location)})` : ''}`;
      return `${key}=${valueText(value)}`;
    });
  return [clock(at), service, entry.level, entry.message, ...extra].join(' ');
}

/**
 * Rewrites the functions' JSON lines written to `stream` (Powertools writes to the process's
 * stdout and stderr) with `rewrite`: a string replaces the line, null drops it, undefined keeps
 * it. Returns the function that puts the stream back.
 */
export function rewriteFunctionLines(
  stream: NodeJS.WriteStream,
  rewrite: (line: string) => string | null | undefined,
): () => void {
  const write = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    if (typeof chunk === 'string' && chunk.startsWith('{')) {
      const lines = chunk.split('\n').flatMap((line) => {
        const rewritten = line ? rewrite(line) : undefined;
        return rewritten === null ? [] : [rewritten ?? line];
      });
      chunk = lines.join('\n');
      // Every line dropped: nothing to write, but a callback given must still be called.
      if (lines.every((line) => line === '')) {
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        if (callback) process.nextTick(callback);
        return true;
      }
    }
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stream.write;
  return () => {
    stream.write = write;
  };
}
