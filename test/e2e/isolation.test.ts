import { randomUUID } from 'node:crypto';
import { getNamedType } from 'graphql';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { BAKERY_RECEIPT, drawReceiptJpeg, GALLERY_RECEIPT } from '../support/drawn-receipts.ts';
import { givenReceiptStack } from '../support/receipt-stack.ts';
import {
  idArgumentOf,
  operationFor,
  rootFields,
  takesNextToken,
  type RootField,
} from '../support/schema-operations.ts';
import {
  eventually,
  givenSignedInUser,
  graphql,
  subscribeOverWebSocket,
  type GraphQLAnswer,
  type SignedInUser,
} from './steps.ts';

/**
 * Users are isolated, swept from the schema: for every query and mutation, user B calls it
 * with user A's ids, A's page tokens, or (for the fields that take neither) as plainly as the
 * schema allows; every answer with A's id or token is the answer for an id or token that never
 * existed, no answer of B's carries anything of A's, and A's data is as it was. B cannot reach
 * A's exports, images or stored reports by editing its own links, and hears none of A's
 * subscription events. A field added to the schema is swept with the others.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;

interface Party {
  user: SignedInUser;
  sub: string;
  ids: Record<string, string[]>;
  versions: Record<string, number>;
  tokens: Record<string, string>;
  links: { export: string; image: string; report: string };
  /** Strings only this user's data contains: none may appear in the other's answers. */
  secrets: string[];
}

const call = (who: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, who.accessToken);

async function ok<T = any>(who: SignedInUser, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await call(who, query, variables);
  if (answer.body.errors) throw new Error(`${query}: ${JSON.stringify(answer.body.errors)}`);
  return answer.body.data as T;
}

/** A user with two of everything (so every list has a second page), an export, stored reports and a receipt image. */
async function givenParty(name: string, budgets: Array<[category: string, period: string]>): Promise<Party> {
  const user = await givenSignedInUser(stack, `${name}@example.com`);
  await ok(user, 'mutation { updateProfile(input: { homeCurrency: "EUR", timezone: "Europe/Paris" }) { id } }');
  const { me } = await ok(user, '{ me { id } }');
  const merchant = `${name}-only merchant ${randomUUID().slice(0, 8)}`;
  const ids: Party['ids'] = { Expense: [], Receipt: [], Budget: [], Job: [] };
  const versions: Party['versions'] = {};
  for (const day of ['2026-11-20', '2026-11-21']) {
    const { createExpense } = await ok(
      user,
      'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id version } }',
      { input: { merchant, amount: 1250, date: day, category: 'DINING' } },
    );
    ids.Expense.push(createExpense.id);
    versions[createExpense.id] = createExpense.version;
  }
  for (const [category, period] of budgets) {
    const { createBudget } = await ok(
      user,
      `mutation { createBudget(input: { category: ${category}, period: ${period}, amount: 30000 }) { id version } }`,
    );
    ids.Budget.push(createBudget.id);
    versions[createBudget.id] = createBudget.version;
  }
  for (const receipt of [BAKERY_RECEIPT, GALLERY_RECEIPT]) {
    const image = await drawReceiptJpeg({ lines: [...receipt.lines, name] });
    const { uploadReceipt } = await ok(
      user,
      'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }',
      {
        input: { image: image.toString('base64'), fileName: `${name}.jpg` },
      },
    );
    ids.Receipt.push(uploadReceipt.id);
  }
  await eventually(
    async () => (await ok(user, '{ listReceipts(limit: 10) { items { status } } }')).listReceipts.items,
    (items: Array<{ status: string }>) =>
      items.every((r) => !['PENDING_UPLOAD', 'UPLOADED', 'PROCESSING'].includes(r.status)),
    20_000,
  );
  // Exports and report emails run as jobs: started, then read with job(id) once they are done.
  type Job = { id: string; status: string; export?: { url: string } | null };
  const jobs: Job[] = [];
  for (const mutation of [
    'exportExpenses(from: "2026-01-01", to: "2026-12-31")',
    'sendReport(period: WEEKLY, date: "2026-11-24")',
    'sendReport(period: MONTHLY, date: "2026-11-24")',
  ]) {
    const started = await ok(user, `mutation { ${mutation} { id } }`);
    const { id } = Object.values(started)[0] as { id: string };
    jobs.push(
      await eventually(
        async () => (await ok(user, 'query ($id: ID!) { job(id: $id) { id status export { url } } }', { id })).job,
        (job: Job) => ['SUCCEEDED', 'FAILED'].includes(job.status),
        30_000,
      ),
    );
  }
  ids.Job = jobs.map((j) => j.id);
  // Two imports of one statement (the second finds every line imported): a second page of imports.
  const csv = Buffer.from(`Date,Description,Amount\n2026-11-22,${merchant},-7.25\n2026-11-23,${merchant},-3.10\n`);
  ids.StatementImport = [];
  for (const fileName of ['first.csv', 'again.csv']) {
    const { createStatementUpload: upload } = await ok(
      user,
      'mutation ($input: CreateStatementUploadInput!) { createStatementUpload(input: $input) { uploadId uploadUrl uploadHeaders } }',
      { input: { fileName, size: csv.length } },
    );
    const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: JSON.parse(upload.uploadHeaders), body: csv });
    expect(put.status).toBe(200);
    const { importStatement } = await ok(
      user,
      'mutation ($input: ImportStatementInput!) { importStatement(input: $input) { id } }',
      { input: { uploadId: upload.uploadId, account: `${name}-account` } },
    );
    await eventually(
      async () =>
        (await ok(user, 'query ($id: ID!) { statementImport(id: $id) { status } }', { id: importStatement.id }))
          .statementImport,
      (item: { status: string }) => item.status === 'SUCCEEDED',
      20_000,
    );
    ids.StatementImport.push(importStatement.id);
  }
  // Both expenses shared with a friend (an address with no account: the share waits for them), so the
  // user has shared expenses, a second page of them, and balances.
  ids.SharedExpense = [];
  for (const expenseId of ids.Expense) {
    const { shareExpense } = await ok(
      user,
      'mutation ($input: ShareExpenseInput!) { shareExpense(input: $input) { id } }',
      { input: { expenseId, method: 'EQUAL', participants: [{ email: `${name}-friend@example.com` }] } },
    );
    ids.SharedExpense.push(shareExpense.id);
  }
  const { receipt } = await ok(user, 'query ($id: ID!) { receipt(id: $id) { imageUrl } }', { id: ids.Receipt[0] });
  const tokens: Party['tokens'] = {};
  for (const list of [
    'listExpenses',
    'listReceipts',
    'listBudgets',
    'listReports',
    'listStatementImports',
    'listSharedExpenses',
  ]) {
    const page = await ok(user, `{ ${list}(limit: 1) { nextToken } }`);
    tokens[list] = page[list].nextToken;
    expect(tokens[list], `${name}'s ${list} has a second page`).toBeTruthy();
  }
  // A search's second page: both users' merchants have the word "merchant".
  const { searchExpenses } = await ok(user, '{ searchExpenses(text: "merchant", limit: 1) { nextToken } }');
  tokens.searchExpenses = searchExpenses.nextToken;
  expect(tokens.searchExpenses, `${name}'s search has a second page`).toBeTruthy();
  // Each budget's history: its creation, then a change made here (reverted by the sweep's own updates
  // failing on versions), so its history has a second page.
  const budgetId = ids.Budget[0];
  const { updateBudget } = await ok(
    user,
    'mutation ($id: ID!, $v: Int!) { updateBudget(input: { id: $id, expectedVersion: $v, name: "Renamed" }) { version } }',
    { id: budgetId, v: versions[budgetId] },
  );
  versions[budgetId] = updateBudget.version;
  const { history } = await ok(user, 'query ($id: ID!) { history(itemId: $id, limit: 1) { nextToken } }', {
    id: budgetId,
  });
  tokens.history = history.nextToken;
  expect(tokens.history, `${name}'s history has a second page`).toBeTruthy();
  const { listReports } = await ok(user, '{ listReports(limit: 1) { items { url } } }');
  return {
    user,
    sub: me.id,
    ids,
    versions,
    tokens,
    links: { export: jobs[0].export!.url, image: receipt.imageUrl, report: listReports.items[0].url },
    // Budget ids are per user and name a category and period (DINING-MONTHLY): not secrets.
    secrets: [
      me.id,
      user.email,
      merchant,
      `${name}-friend@example.com`,
      ...ids.Expense,
      ...ids.Receipt,
      ...ids.Job,
      ...ids.StatementImport,
      ...ids.SharedExpense,
    ],
  };
}

let ada: Party;
let bob: Party;

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenReceiptStack('isolation'));
  // Budget ids are the category and period: B's differ from A's, so A's ids are not B's own.
  ada = await givenParty('ada', [
    ['DINING', 'MONTHLY'],
    ['GROCERIES', 'WEEKLY'],
  ]);
  bob = await givenParty('bob', [
    ['TRANSPORT', 'MONTHLY'],
    ['SHOPPING', 'WEEKLY'],
  ]);
}, 120_000);

afterAll(async () => {
  await stopStack?.();
});

/** What A's own reading of A's data shows (presigned links without their signatures, which change per call). */
async function snapshotOf(party: Party): Promise<string> {
  const lists = await Promise.all(
    [
      'me',
      'listExpenses(limit: 100)',
      'listReceipts(limit: 100)',
      'listBudgets(limit: 100)',
      'listReports(limit: 100)',
      'listStatementImports(limit: 100)',
      'listSharedExpenses(limit: 100)',
      'shareBalances',
    ].map((field) => {
      const name = field.split('(')[0];
      const rootField = rootFields().find((f) => f.field.name === name)!;
      const selection = operationFor('Query', rootField.field)
        .query.replace(/^query \{ \w+/, '')
        .replace(/ \}$/, '');
      return ok(party.user, `{ ${field}${selection} }`);
    }),
  );
  return JSON.stringify(lists).replace(/\?X-Amz-[^"]*/g, '?<signature>');
}

const ownerOf = (field: RootField['field']) => getNamedType(field.type).name;

/** The answer with every id and owner given replaced, so two answers compare on what they say. */
function normalized(answer: GraphQLAnswer, replaced: Record<string, string>): unknown {
  let text = JSON.stringify({ status: answer.status, body: answer.body });
  for (const [value, placeholder] of Object.entries(replaced)) text = text.split(value).join(placeholder);
  return JSON.parse(text);
}

/** A missing item: NotFound (or Unauthorized for fields B may never call), or no data. */
function looksMissing(answer: GraphQLAnswer, field: string): boolean {
  const types = (answer.body.errors ?? []).map((e) => e.errorType);
  return types.some((t) => t === 'NotFound' || t === 'Unauthorized') || answer.body.data?.[field] === null;
}

describe('isolation sweep over every query and mutation', () => {
  it('given two users with data, when B calls every operation with A’s ids and tokens, then each answer is the one for an item that never existed, B sees nothing of A’s, and A’s data is unchanged', async () => {
    const before = await snapshotOf(ada);
    const swept: string[] = [];
    for (const { root, field } of rootFields().filter((f) => f.root !== 'Subscription')) {
      const name = `${root}.${field.name}`;
      const target = ownerOf(field);
      if (idArgumentOf(field)) {
        // The item the id names: the field's own type, or the budget an alert is about.
        const aId = ada.ids[target]?.[0] ?? ada.ids.Budget[0];
        const unknownId = ulid();
        const unknownOwner = randomUUID();
        const common = { deleteExpense: false, expectedVersion: ada.versions[aId] ?? 1, amount: 2000 };
        const withAdas = await call(
          bob.user,
          ...(Object.values(
            operationFor(root, field, { ...common, id: aId, owner: ada.sub, budgetId: ada.ids.Budget[0] }),
          ) as [string, Record<string, unknown>]),
        );
        const withNone = await call(
          bob.user,
          ...(Object.values(
            operationFor(root, field, { ...common, id: unknownId, owner: unknownOwner, budgetId: unknownId }),
          ) as [string, Record<string, unknown>]),
        );
        expect(
          normalized(withAdas, { [aId]: '<id>', [ada.sub]: '<owner>', [ada.ids.Budget[0]]: '<id>' }),
          `${name} with A's id`,
        ).toEqual(normalized(withNone, { [unknownId]: '<id>', [unknownOwner]: '<owner>' }));
        expect(looksMissing(withNone, field.name), `${name} with an unknown id: ${JSON.stringify(withNone.body)}`).toBe(
          true,
        );
        swept.push(name);
      } else if (takesNextToken(field)) {
        // A search names its words (the same for both users: a token is refused for its owner, not its words).
        const searched = field.args.some((a) => a.name === 'text') ? { text: 'merchant' } : {};
        const withAdas = await call(
          bob.user,
          ...(Object.values(operationFor(root, field, { ...searched, nextToken: ada.tokens[field.name] })) as [
            string,
            Record<string, unknown>,
          ]),
        );
        const garbage = Buffer.from(randomUUID()).toString('base64url');
        const withGarbage = await call(
          bob.user,
          ...(Object.values(operationFor(root, field, { ...searched, nextToken: garbage })) as [
            string,
            Record<string, unknown>,
          ]),
        );
        expect(normalized(withAdas, { [ada.tokens[field.name]]: '<token>' }), `${name} with A's token`).toEqual(
          normalized(withGarbage, { [garbage]: '<token>' }),
        );
        expect(withGarbage.body.errors, `${name} refuses a token it did not make`).toBeDefined();
        // And B's own listing shows only B's.
        const own = await call(
          bob.user,
          ...(Object.values(operationFor(root, field, searched)) as [string, Record<string, unknown>]),
        );
        for (const secret of ada.secrets)
          expect(JSON.stringify(own.body), `${name} shows A's ${secret}`).not.toContain(secret);
        swept.push(name);
      } else {
        // deleteAccount without a password, right after signing in, would delete B: a wrong one is refused.
        const values = field.name === 'deleteAccount' ? { password: 'not-Bs-password-1!' } : {};
        const own = await call(
          bob.user,
          ...(Object.values(operationFor(root, field, values)) as [string, Record<string, unknown>]),
        );
        expect(own.status, name).toBeLessThan(500);
        for (const secret of ada.secrets)
          expect(JSON.stringify(own.body), `${name} shows A's ${secret}`).not.toContain(secret);
        swept.push(name);
      }
    }
    const fields = rootFields().filter((f) => f.root !== 'Subscription');
    expect(swept).toHaveLength(fields.length);
    expect(await snapshotOf(ada)).toBe(before);
  }, 120_000);
});

describe('links', () => {
  const fetchStatus = async (url: string) => (await fetch(url)).status;
  const swap = (url: string, from: string, to: string) =>
    url.split(encodeURIComponent(from)).join(encodeURIComponent(to)).split(from).join(to);

  it('given B’s own export, image and report links, when B points them at A’s objects, then S3 refuses each (403) while B’s own still work', async () => {
    for (const link of Object.values(bob.links)) expect(await fetchStatus(link)).toBe(200);
    expect(await fetchStatus(swap(bob.links.export, bob.sub, ada.sub))).toBe(403);
    expect(
      await fetchStatus(swap(swap(bob.links.image, bob.sub, ada.sub), bob.ids.Receipt[0], ada.ids.Receipt[0])),
    ).toBe(403);
    expect(await fetchStatus(swap(bob.links.report, bob.sub, ada.sub))).toBe(403);
  });

  it('given A’s links, then B cannot get them through the API: A’s receipt and its image are missing to B', async () => {
    const answer = await call(bob.user, 'query ($id: ID!) { receipt(id: $id) { imageUrl } }', {
      id: ada.ids.Receipt[0],
    });
    expect(looksMissing(answer, 'receipt')).toBe(true);
    expect(JSON.stringify(answer.body)).not.toContain(ada.sub);
  });
});

describe('subscriptions', () => {
  it('given A and B subscribed to receipts, budget alerts, jobs and sharing, when A’s receipt is processed, A’s budget crosses a threshold, A’s export is done and an expense is shared with A, then only A hears of it', async () => {
    // B's own jobs the sweep started (exportAccount, setReceiptRetention) have finished: B may hear only of A's here.
    await stack.lambda.drain();
    const query = (field: string) => `subscription { ${field} { id } }`;
    const adaReceipts = await subscribeOverWebSocket(stack, ada.user.accessToken, query('onReceiptProcessed'));
    const bobReceipts = await subscribeOverWebSocket(stack, bob.user.accessToken, query('onReceiptProcessed'));
    const adaAlerts = await subscribeOverWebSocket(stack, ada.user.accessToken, query('onBudgetAlert'));
    const bobAlerts = await subscribeOverWebSocket(stack, bob.user.accessToken, query('onBudgetAlert'));
    const adaJobs = await subscribeOverWebSocket(stack, ada.user.accessToken, query('onJobDone'));
    const bobJobs = await subscribeOverWebSocket(stack, bob.user.accessToken, query('onJobDone'));
    const adaShares = await subscribeOverWebSocket(stack, ada.user.accessToken, query('onShareEvent'));
    const bobShares = await subscribeOverWebSocket(stack, bob.user.accessToken, query('onShareEvent'));
    try {
      await ok(ada.user, 'mutation ($id: ID!) { reprocessReceipt(id: $id) { id } }', { id: ada.ids.Receipt[1] });
      // Today, in A's timezone (Paris): an expense in a past period does not alert.
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
      await ok(
        ada.user,
        'mutation ($date: AWSDate!) { createExpense(input: { merchant: "Big dinner", amount: 29000, date: $date, category: DINING }) { id } }',
        { date: today },
      );
      await ok(ada.user, 'mutation { exportExpenses(from: "2026-01-01", to: "2026-12-31") { id } }');
      // Bob shares a new expense with Ada: the notice is hers, not the sender's.
      const { createExpense: bobs } = await ok(
        bob.user,
        'mutation { createExpense(input: { merchant: "Cinema", amount: 2400, date: "2026-11-20", category: OTHER }) { id } }',
      );
      await ok(bob.user, 'mutation ($input: ShareExpenseInput!) { shareExpense(input: $input) { id } }', {
        input: { expenseId: bobs.id, method: 'EQUAL', participants: [{ email: ada.user.email }] },
      });
      await eventually(
        () => Math.min(adaReceipts.data.length, adaAlerts.data.length, adaJobs.data.length, adaShares.data.length),
        (n) => n >= 1,
        15_000,
      );
      expect(adaReceipts.data.length).toBeGreaterThan(0);
      expect(adaAlerts.data.length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(adaJobs.data.length).toBeGreaterThan(0);
      expect(bobReceipts.data).toEqual([]);
      expect(bobAlerts.data).toEqual([]);
      expect(bobJobs.data).toEqual([]);
      expect(adaShares.data).toHaveLength(1);
      expect(bobShares.data).toEqual([]);
    } finally {
      for (const s of [adaReceipts, bobReceipts, adaAlerts, bobAlerts, adaJobs, bobJobs, adaShares, bobShares])
        s.socket.close();
    }
  }, 60_000);
});
