import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import type { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type LocalStack } from '../../local/stack.ts';
import { BAKERY_RECEIPT, drawReceiptJpeg } from '../support/drawn-receipts.ts';
import { givenReceiptStack, receiptPage } from '../support/receipt-stack.ts';
import { eventually, givenSignedInUser, graphql, subscribeOverWebSocket } from './steps.ts';

/**
 * The README's code as a reader copies it: the curl sign-up and token, the Amplify script
 * (plain JavaScript, run by Node as it is) and every example operation of "Using the API",
 * against a stack started here. The only changes made to the snippets are the stack's address
 * (a free port instead of 4000) and the README's placeholders (`"…"`: the id the examples
 * created or started, `"<base64>"`: a receipt's bytes). The stack is the whole local one except that its
 * Textract answers from a scripted page, so the receipt example costs no OCR time.
 */
const execFileAsync = promisify(execFile);
const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

/** The code block after `<!-- README snippet: name`. */
function snippet(name: string): string {
  const start = readme.indexOf(`<!-- README snippet: ${name} `);
  expect(start, `README snippet ${name}`).toBeGreaterThan(0);
  const block = /```\w*\n([^]*?)```/.exec(readme.slice(start));
  return block![1];
}

let stack: LocalStack;
let stopStack: () => Promise<void>;
let origin: string;
let token: string;
const serverLog: string[] = [];
let amplify: ChildProcess | undefined;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenReceiptStack(
    'readme',
    () => receiptPage(BAKERY_RECEIPT.merchant, '20/11/2026', 'EUR 8.40'),
    { log: (line) => serverLog.push(line) },
  ));
  origin = new URL(stack.urls.graphql).origin;
}, 60_000);

afterAll(async () => {
  amplify?.kill();
  for (const socket of sockets) socket.close();
  await stopStack?.();
});

/** Today as the API's dates spell it (UTC, the default time zone of a new user). */
const today = () => new Date().toISOString().slice(0, 10);

describe('README snippets', () => {
  it('given the curl snippet, when run in bash, then the user is signed up and its raw access token reads the API; Bearer is refused', async () => {
    const script = `set -e\n${snippet('curl').replaceAll('http://127.0.0.1:4000', origin)}\necho\necho "TOKEN=$TOKEN"\n`;
    const { stdout } = await execFileAsync('bash', ['-c', script], { cwd: PROJECT_ROOT, timeout: 60_000 });
    const lines = stdout.trim().split('\n');
    token = lines.at(-1)!.replace(/^TOKEN=/, '');
    const me = JSON.parse(lines.at(-2)!) as { data: { me: { id: string; email: string } } };
    expect(me.data.me).toEqual({ id: expect.any(String), email: 'ada@example.com' });

    const bearer = await graphql(stack.urls.graphql, '{ me { id } }', {}, `Bearer ${token}`);
    expect(bearer.status).toBe(401);
    expect(bearer.body.errors?.[0].message).toBe('Unable to parse JWT token.');
  }, 90_000);

  it('given the Amplify snippet, when Node runs it as it is, then it signs in, prints the user, connects and prints budget alerts; the log shows the subscription', async () => {
    expect(token).toBeTruthy();
    let output = '';
    amplify = spawn(process.execPath, ['--input-type=module'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: stack.certificateFile, NODE_NO_WARNINGS: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    amplify.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    amplify.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    amplify.stdin!.end(snippet('amplify').replaceAll('http://127.0.0.1:4000', origin));

    await eventually(
      () => output,
      (text) => text.includes('real-time: Connected'),
      30_000,
    );
    expect(output).toContain('real-time: Connected');
    expect(output).toMatch(/signed in as \{[^}]*email: 'ada@example\.com'/);
    await eventually(
      () => serverLog.join('\n'),
      (log) => log.includes('WS /graphql/realtime subscription onBudgetAlert started AMAZON_COGNITO_USER_POOLS'),
      10_000,
    );
    expect(serverLog).toContainEqual(
      expect.stringMatching(/ WS \/graphql\/realtime subscription onBudgetAlert started AMAZON_COGNITO_USER_POOLS$/),
    );

    // Spending past a budget's limit, then the budget: its alerts reach the script.
    const call = async (query: string) => {
      const answer = await graphql(stack.urls.graphql, query, {}, token);
      expect(answer.body.errors).toBeUndefined();
    };
    await call(
      `mutation { createExpense(input: { merchant: "Bistro", amount: 12000, date: "${today()}", category: DINING }) { id } }`,
    );
    await call(
      'mutation { createBudget(input: { name: "Eating out", category: DINING, period: MONTHLY, amount: 10000 }) { id } }',
    );
    await stack.lambda.drain();
    await eventually(
      () => output.match(/budget alert:/g)?.length ?? 0,
      (n) => n >= 3,
      20_000,
    );
    expect(output, output).toMatch(/budget alert: \{[^}]*budgetName: 'Eating out'[^}]*threshold: 100/);
    expect(output).not.toContain('subscription failed');
  }, 90_000);

  it('given the example operations of "Using the API", when each is sent in order, then each answers data without errors and does what its comment says', async () => {
    const start = readme.indexOf('## Using the API');
    const block = /```graphql\n([^]*?)```/.exec(readme.slice(start));
    expect(block, 'the GraphQL examples under "Using the API"').not.toBeNull();
    const operations = parse(block![1]).definitions as OperationDefinitionNode[];
    expect(operations.every((definition) => definition.kind === Kind.OPERATION_DEFINITION)).toBe(true);
    const user = await givenSignedInUser(stack, 'grace@example.com');
    const receipt = (await drawReceiptJpeg(BAKERY_RECEIPT)).toString('base64');

    // Subscriptions first, as an app would open them: each is accepted (start_ack).
    const subscriptions = new Map<string, unknown[]>();
    for (const operation of operations.filter((o) => o.operation === 'subscription')) {
      const { socket, data } = await subscribeOverWebSocket(stack, user.accessToken, print(operation));
      sockets.push(socket);
      subscriptions.set(fieldOf(operation), data);
    }
    expect([...subscriptions.keys()].sort()).toEqual(['onBudgetAlert', 'onJobDone', 'onReceiptProcessed']);

    // `"…"` in an example is the id answered by the example that made the thing it reads or changes.
    const idFrom: Record<string, string> = { updateExpense: 'createExpense', job: 'exportExpenses' };
    const answers = new Map<string, any>();
    const everyAnswer = new Map<string, any[]>();
    for (const operation of operations.filter((o) => o.operation !== 'subscription')) {
      const field = fieldOf(operation);
      let query = print(operation);
      if (query.includes('"…"')) {
        const id = answers.get(idFrom[field])?.id;
        expect(id, `the id "…" stands for in ${field}`).toEqual(expect.any(String));
        query = query.replace('"…"', JSON.stringify(id));
      }
      query = query.replace('"<base64>"', JSON.stringify(receipt));
      const answer = await graphql(stack.urls.graphql, query, {}, user.accessToken);
      expect(answer.body.errors, `${field}: ${JSON.stringify(answer.body.errors)}`).toBeUndefined();
      expect(answer.body.data?.[field], field).toBeTruthy();
      answers.set(field, answer.body.data![field]);
      everyAnswer.set(field, [...(everyAnswer.get(field) ?? []), answer.body.data![field]]);
      await stack.lambda.drain();
    }
    const expenseId = answers.get('createExpense').id;
    // The search, sent right after the expense was made, found it by its merchant and its tag.
    expect(answers.get('searchExpenses').items).toEqual([
      { id: expenseId, merchant: 'Corner Café', amount: 1250, tags: ['team lunch'] },
    ]);

    expect(answers.get('createExpense')).toMatchObject({ category: 'DINING', version: 1 });
    expect(answers.get('listExpenses').items).toContainEqual(
      expect.objectContaining({ id: expenseId, merchant: 'Corner Café', amount: 1250, currency: 'EUR' }),
    );
    expect(everyAnswer.get('updateExpense')).toEqual([{ version: 2 }, { version: 3, needsReview: false }]);
    expect(answers.get('createReceiptUpload').uploadUrl).toMatch(/^http/);
    const uploaded = answers.get('uploadReceipt');
    await eventually(
      () => subscriptions.get('onReceiptProcessed')!.length,
      (n) => n > 0,
      10_000,
    );
    expect(subscriptions.get('onReceiptProcessed')).toContainEqual({
      onReceiptProcessed: expect.objectContaining({
        id: uploaded.id,
        status: 'PROCESSED',
        expense: expect.objectContaining({ amount: 840 }),
      }),
    });
    expect(answers.get('listBudgets').items).toHaveLength(1);
    // exportExpenses and sendReport are jobs: PENDING at once, then done (job(id), onJobDone).
    expect(answers.get('exportExpenses')).toMatchObject({ status: 'PENDING' });
    expect(answers.get('sendReport')).toMatchObject({ status: 'PENDING' });
    const exported = answers.get('job');
    expect(exported).toMatchObject({ status: 'SUCCEEDED', export: { rowCount: 2 } });
    expect(exported.export.content).toContain('Corner Bakery');
    const done = await eventually(
      () => subscriptions.get('onJobDone') as Array<{ onJobDone: any }>,
      (events) => events.length >= 2,
      10_000,
    );
    expect(done.map((event) => event.onJobDone)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: answers.get('exportExpenses').id, status: 'SUCCEEDED' }),
        expect.objectContaining({
          id: answers.get('sendReport').id,
          status: 'SUCCEEDED',
          delivery: { to: 'grace@example.com', periodStart: '2026-11-23' },
        }),
      ]),
    );
    expect(answers.get('listReports').items.length).toBeGreaterThan(0);
    const outbox = (await (await fetch(stack.urls.outbox.replace(/\/?$/, '.json'))).json()) as Array<{ to: string[] }>;
    expect(outbox.filter((mail) => mail.to.includes('grace@example.com')).length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});

/** The one field an example operation selects. */
function fieldOf(operation: OperationDefinitionNode): string {
  const [selection] = operation.selectionSet.selections;
  if (selection.kind !== Kind.FIELD) throw new Error('an example selects a field');
  return selection.name.value;
}
