import '../sdk-warnings.ts';
/**
 * Bulk import: `npm run import -- --email ADDRESS DIR` signs in as that user and uploads every
 * receipt image in DIR through the public API (presigned uploads, a few at a time), waits for
 * OCR, and prints a summary. Safe to re-run: files uploaded before come back as
 * DuplicateReceipt and are skipped. The password comes from EXPENSE_TRACKER_PASSWORD or a prompt.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import cliProgress from 'cli-progress';


const CONTENT_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.pdf': 'application/pdf' };
const TERMINAL = new Set(['PROCESSED', 'NEEDS_REVIEW', 'FAILED']);

interface Outputs {
  auth: { user_pool_id: string; user_pool_client_id: string; aws_region: string; user_pool_endpoint?: string };
  data: { url: string };
}

type Outcome = 'PROCESSED' | 'NEEDS_REVIEW' | 'FAILED' | 'DUPLICATE' | 'ERROR';

async function loadOutputs(location: string): Promise<Outputs> {
  if (/^https?:/.test(location)) {
    const response = await fetch(location);
    if (!response.ok) throw new Error(`Could not read ${location}: HTTP ${response.status}`);
    return (await response.json()) as Outputs;
  }
  return JSON.parse(await readFile(location, 'utf8')) as Outputs;
}

async function askPassword(email: string): Promise<string> {
  if (process.env.EXPENSE_TRACKER_PASSWORD) return process.env.EXPENSE_TRACKER_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const password = await rl.question(`Password for ${email}: `);
  rl.close();
  return password;
}

async function signIn(outputs: Outputs, email: string, password: string): Promise<string> {
  const cognito = new CognitoIdentityProviderClient({
    region: outputs.auth.aws_region,
    endpoint: outputs.auth.user_pool_endpoint,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  const out = await cognito.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: outputs.auth.user_pool_client_id, AuthParameters: { USERNAME: email, PASSWORD: password } }),
  );
  const token = out.AuthenticationResult?.AccessToken;
  if (!token) throw new Error(`Sign-in needs a further step (${out.ChallengeName}); finish it in the console first`);
  return token;
}

function graphqlClient(url: string, token: string) {
  return async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: any; errors?: Array<{ message: string; errorType?: string; errorInfo?: any }> };
    return body;
  };
}

async function importOne(gql: ReturnType<typeof graphqlClient>, file: string, waitMs: number): Promise<{ outcome: Outcome; detail?: string }> {
  const bytes = await readFile(file);
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const created = await gql(
    `mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id } uploadUrl uploadHeaders } }`,
    { input: { contentType, size: bytes.length, sha256, fileName: file.split('/').pop() } },
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

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      outputs: { type: 'string', default: process.env.AMPLIFY_OUTPUTS ?? `http://127.0.0.1:${process.env.PORT ?? 4000}/amplify_outputs.json` },
      concurrency: { type: 'string', default: '3' },
      'wait-seconds': { type: 'string', default: '120' },
    },
  });
  const dir = positionals[0];
  if (!values.email || !dir) {
    console.error('usage: npm run import -- --email ADDRESS [--outputs URL|FILE] [--concurrency N] DIR');
    process.exit(2);
  }
  const files = (await readdir(resolve(dir)))
    .filter((name) => CONTENT_TYPES[extname(name).toLowerCase()])
    .sort()
    .map((name) => join(resolve(dir), name));
  const outputs = await loadOutputs(values.outputs!);
  const token = await signIn(outputs, values.email, await askPassword(values.email));
  const gql = graphqlClient(outputs.data.url, token);

  const counts: Record<Outcome, number> = { PROCESSED: 0, NEEDS_REVIEW: 0, FAILED: 0, DUPLICATE: 0, ERROR: 0 };
  const problems: string[] = [];
  const bar = new cliProgress.SingleBar({ format: 'importing [{bar}] {value}/{total} {file}', hideCursor: true, stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(files.length, 0, { file: '' });
  const queue = [...files];
  const workers = Array.from({ length: Math.max(1, Number(values.concurrency)) }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const result = await importOne(gql, file, Number(values['wait-seconds']) * 1000).catch((e: Error) => ({ outcome: 'ERROR' as const, detail: e.message }));
      counts[result.outcome] += 1;
      if (result.outcome === 'FAILED' || result.outcome === 'ERROR') problems.push(`${file}: ${result.detail}`);
      bar.increment(1, { file: file.split('/').pop() });
    }
  });
  await Promise.all(workers);
  bar.stop();
  console.log(
    `${files.length} files: ${counts.PROCESSED} processed, ${counts.NEEDS_REVIEW} need review, ${counts.FAILED} failed, ${counts.DUPLICATE} duplicates skipped, ${counts.ERROR} errors`,
  );
  for (const problem of problems) console.log(`  ${problem}`);
  if (counts.ERROR > 0) process.exitCode = 1;
}

await main();
