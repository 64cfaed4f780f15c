import '../sdk-warnings.ts';
/**
 * Bulk import: `npm run import -- --email ADDRESS DIR` signs in as that user and uploads every
 * receipt image in DIR through the public API (presigned uploads, a few at a time), waits for
 * OCR, and prints a summary. Safe to re-run: files uploaded before come back as
 * DuplicateReceipt and are skipped, and a file that appears twice in DIR is uploaded once.
 * The password comes from EXPENSE_TRACKER_PASSWORD or a prompt.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import cliProgress from 'cli-progress';
import { EXTENSION_OF } from '../../functions/shared/receipt-content.ts';

// Every type a receipt is stored as, by the extension it is saved with (and .jpeg).
const CONTENT_TYPES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(EXTENSION_OF).map(([type, extension]) => [`.${extension}`, type])),
  '.jpeg': 'image/jpeg',
};
const TERMINAL = new Set(['PROCESSED', 'NEEDS_REVIEW', 'FAILED']);
/** Refresh the access token this long before it expires, so no request goes out with a dying one. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export interface StackOutputs {
  auth: { user_pool_id: string; user_pool_client_id: string; aws_region: string; user_pool_endpoint?: string };
  data: { url: string };
}

export type Outcome = 'PROCESSED' | 'NEEDS_REVIEW' | 'FAILED' | 'DUPLICATE' | 'ERROR';

export interface ImportSummary {
  files: number;
  counts: Record<Outcome, number>;
  /** One line per file that failed or could not be imported. */
  problems: string[];
}

/** How progress is shown: a bar on a terminal, plain lines otherwise (CI logs, pipes). */
export interface ProgressReporter {
  start(total: number): void;
  fileDone(done: number, file: string, counts: Record<Outcome, number>): void;
  stop(): void;
}

export async function loadOutputs(location: string): Promise<StackOutputs> {
  if (/^https?:/.test(location)) {
    const response = await fetch(location);
    if (!response.ok) throw new Error(`Could not read ${location}: HTTP ${response.status}`);
    return (await response.json()) as StackOutputs;
  }
  return JSON.parse(await readFile(location, 'utf8')) as StackOutputs;
}

/**
 * A signed-in user's access token, kept fresh: refreshed with the refresh token shortly before
 * it expires (an import can outlast one token), and on demand when the API refuses it.
 */
export function createUserSession(
  outputs: StackOutputs,
  email: string,
  password: string,
  now: () => number = Date.now,
) {
  const cognito = new CognitoIdentityProviderClient({
    region: outputs.auth.aws_region,
    endpoint: outputs.auth.user_pool_endpoint,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  const ClientId = outputs.auth.user_pool_client_id;
  let current: { accessToken: string; refreshToken: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function authenticate(flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH'): Promise<string> {
    const AuthParameters: Record<string, string> =
      flow === 'USER_PASSWORD_AUTH'
        ? { USERNAME: email, PASSWORD: password }
        : { REFRESH_TOKEN: current!.refreshToken };
    const out = await cognito.send(new InitiateAuthCommand({ AuthFlow: flow, ClientId, AuthParameters }));
    const result = out.AuthenticationResult;
    if (!result?.AccessToken)
      throw new Error(`Sign-in needs a further step (${out.ChallengeName}); finish it in the console first`);
    // A refresh answers no new refresh token: the one signed in with stays valid.
    current = {
      accessToken: result.AccessToken,
      refreshToken: result.RefreshToken ?? current!.refreshToken,
      expiresAt: now() + (result.ExpiresIn ?? 3600) * 1000,
    };
    return current.accessToken;
  }

  // One sign-in or refresh at a time, shared by the concurrent uploads.
  const once = (flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH') =>
    (pending ??= authenticate(flow).finally(() => (pending = undefined)));

  return {
    async token(): Promise<string> {
      if (pending) return pending;
      if (!current) return once('USER_PASSWORD_AUTH');
      if (now() >= current.expiresAt - REFRESH_MARGIN_MS) return once('REFRESH_TOKEN_AUTH');
      return current.accessToken;
    },
    /** The API said the token is no longer valid: get another one. */
    async refresh(): Promise<string> {
      return current ? once('REFRESH_TOKEN_AUTH') : once('USER_PASSWORD_AUTH');
    },
  };
}

type Session = ReturnType<typeof createUserSession>;
type GraphQLBody = { data?: any; errors?: Array<{ message: string; errorType?: string; errorInfo?: any }> };

function graphqlClient(url: string, session: Session) {
  const post = async (token: string, query: string, variables: Record<string, unknown>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token },
      body: JSON.stringify({ query, variables }),
    });
  return async (query: string, variables: Record<string, unknown>): Promise<GraphQLBody> => {
    let response = await post(await session.token(), query, variables);
    // Revoked or expired early (clock skew, a long pause): one fresh token, one retry.
    if (response.status === 401) response = await post(await session.refresh(), query, variables);
    return (await response.json()) as GraphQLBody;
  };
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function importOne(
  gql: ReturnType<typeof graphqlClient>,
  file: string,
  sha256: string,
  waitMs: number,
): Promise<{ outcome: Outcome; detail?: string }> {
  const bytes = await readFile(file);
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  const created = await gql(
    `mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id } uploadUrl uploadHeaders } }`,
    { input: { contentType, size: bytes.length, sha256, fileName: basename(file) } },
  );
  const error = created.errors?.[0];
  if (error?.errorType === 'DuplicateReceipt') return { outcome: 'DUPLICATE', detail: error.errorInfo?.receiptId };
  if (error) return { outcome: 'ERROR', detail: `${error.errorType}: ${error.message}` };
  const { receipt, uploadUrl, uploadHeaders } = created.data.createReceiptUpload;
  const put = await fetch(uploadUrl, { method: 'PUT', headers: JSON.parse(uploadHeaders), body: bytes });
  if (!put.ok) return { outcome: 'ERROR', detail: `upload refused: HTTP ${put.status}` };

  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const read = await gql(`query ($id: ID!) { receipt(id: $id) { status error } }`, { id: receipt.id });
    const status = read.data?.receipt?.status;
    if (TERMINAL.has(status)) return { outcome: status, detail: read.data.receipt.error ?? undefined };
  }
  return { outcome: 'ERROR', detail: 'still processing; it will finish in the background' };
}

export interface ImportOptions {
  dir: string;
  outputs: StackOutputs;
  session: Session;
  concurrency?: number;
  waitMs?: number;
  progress?: ProgressReporter;
}

/** Import every receipt file of `dir` (sorted by name); what happened to each is counted. */
export async function importReceipts(options: ImportOptions): Promise<ImportSummary> {
  const dir = resolve(options.dir);
  const files = (await readdir(dir))
    .filter((name) => CONTENT_TYPES[extname(name).toLowerCase()])
    .sort()
    .map((name) => join(dir, name));
  const gql = graphqlClient(options.outputs.data.url, options.session);
  const progress = options.progress ?? { start() {}, fileDone() {}, stop() {} };
  const counts: Record<Outcome, number> = { PROCESSED: 0, NEEDS_REVIEW: 0, FAILED: 0, DUPLICATE: 0, ERROR: 0 };
  const problems: string[] = [];
  let done = 0;
  const record = (file: string, result: { outcome: Outcome; detail?: string }) => {
    counts[result.outcome] += 1;
    if (result.outcome === 'FAILED' || result.outcome === 'ERROR') problems.push(`${file}: ${result.detail}`);
    progress.fileDone(++done, basename(file), counts);
  };

  progress.start(files.length);
  // The same bytes under two names are one receipt: upload the first, count the others as duplicates.
  const firstWithHash = new Map<string, string>();
  const queue: Array<{ file: string; sha256: string }> = [];
  for (const file of files) {
    const sha256 = await sha256Of(file);
    if (firstWithHash.has(sha256))
      record(file, { outcome: 'DUPLICATE', detail: `same file as ${basename(firstWithHash.get(sha256)!)}` });
    else {
      firstWithHash.set(sha256, file);
      queue.push({ file, sha256 });
    }
  }
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 3) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      record(
        next.file,
        await importOne(gql, next.file, next.sha256, options.waitMs ?? 120_000).catch((e: Error) => ({
          outcome: 'ERROR' as const,
          detail: e.message,
        })),
      );
    }
  });
  await Promise.all(workers);
  progress.stop();
  return { files: files.length, counts, problems };
}

export function summaryLine(summary: ImportSummary): string {
  const { counts } = summary;
  return `${summary.files} files: ${counts.PROCESSED} processed, ${counts.NEEDS_REVIEW} need review, ${counts.FAILED} failed, ${counts.DUPLICATE} duplicates skipped, ${counts.ERROR} errors`;
}

/** A bar that redraws in place: only on a terminal. */
function progressBar(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    { format: 'importing [{bar}] {value}/{total} {file}', hideCursor: true, stream },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0, { file: '' }),
    fileDone: (done, file) => bar.update(done, { file }),
    stop: () => bar.stop(),
  };
}

/** Plain lines for logs and pipes: one every `everyMs` at most, and one for the last file. */
export function progressLines(
  write: (line: string) => void,
  everyMs = 5000,
  now: () => number = Date.now,
): ProgressReporter {
  let total = 0;
  let last = -Infinity;
  return {
    start(n) {
      total = n;
      write(`importing ${n} files`);
    },
    fileDone(done, file, counts) {
      if (done < total && now() - last < everyMs) return;
      last = now();
      write(
        `importing ${done}/${total} (${counts.PROCESSED} processed, ${counts.NEEDS_REVIEW} need review, ${counts.FAILED} failed, ${counts.DUPLICATE} duplicates, ${counts.ERROR} errors) last: ${file}`,
      );
    },
    stop() {},
  };
}

async function askPassword(email: string): Promise<string> {
  if (process.env.EXPENSE_TRACKER_PASSWORD) return process.env.EXPENSE_TRACKER_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const password = await rl.question(`Password for ${email}: `);
  rl.close();
  return password;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      outputs: {
        type: 'string',
        default: process.env.AMPLIFY_OUTPUTS ?? `http://127.0.0.1:${process.env.PORT ?? 4000}/amplify_outputs.json`,
      },
      concurrency: { type: 'string', default: '3' },
      'wait-seconds': { type: 'string', default: '120' },
    },
  });
  const dir = positionals[0];
  if (!values.email || !dir) {
    console.error(
      'usage: npm run import -- --email ADDRESS [--outputs URL|FILE] [--concurrency N] [--wait-seconds N] DIR',
    );
    process.exit(2);
  }
  const outputs = await loadOutputs(values.outputs!);
  const session = createUserSession(outputs, values.email, await askPassword(values.email));
  await session.token();
  const summary = await importReceipts({
    dir,
    outputs,
    session,
    concurrency: Number(values.concurrency),
    waitMs: Number(values['wait-seconds']) * 1000,
    progress: process.stderr.isTTY
      ? progressBar(process.stderr)
      : progressLines((line) => process.stderr.write(`${line}\n`)),
  });
  console.log(summaryLine(summary));
  for (const problem of summary.problems) console.log(`  ${problem}`);
  if (summary.counts.ERROR > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
