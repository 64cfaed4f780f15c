import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import type { OutboxMessage } from '../../local/ses-outbox.ts';
import type { LocalStack } from '../../local/stack.ts';
import { TABLES } from '../../model/tables.ts';
import { RULE_PREFIX, type RecurringRuleItem } from '../../model/recurring.ts';
import { BAKERY_RECEIPT, drawReceiptJpeg } from '../support/drawn-receipts.ts';
import {
  endpointsOf,
  eventually,
  givenRunningStack,
  givenSignedInUser,
  graphql,
  signIn,
  stackDynamoDb,
  type SignedInUser,
} from './steps.ts';

/**
 * "Your data, in and out" as a user gets it from `npm start`: the archive of everything they
 * wrote (checked file by file against what was written, another user's data absent), then the
 * account deleted (checked by scanning every table and listing the whole bucket), the other
 * user untouched.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let bob: SignedInUser;
let adaId: string;
let bobId: string;
let s3: S3Client;
let db: DynamoDBDocumentClient;

const RECEIPT_ID = '01JRECEIPTADA0000000000001';
const RECEIPT_BYTES = Buffer.from('\xff\xd8\xffthe receipt image of ada', 'latin1');
const REPORT_KEY = () => `reports/${adaId}/2026-11-weekly.eml`;

const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(stack.urls.graphql, query, variables, user.accessToken);

const JOB_FIELDS = `id status kind error { errorType message }
  accountExport { url expiresAt sizeBytes fileCount counts { what count } }`;

async function whenJobRuns(user: SignedInUser, mutation: string) {
  const started = await call(user, `mutation { ${mutation} { ${JOB_FIELDS} } }`);
  expect(started.body.errors).toBeUndefined();
  const job = Object.values(started.body.data as Record<string, { id: string; status: string }>)[0];
  expect(job.status).toBe('PENDING');
  const done = await eventually(
    async () => (await call(user, `query ($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id: job.id })).body,
    (body) => ['SUCCEEDED', 'FAILED'].includes(body.data?.job?.status),
    60_000,
  );
  expect(done.errors).toBeUndefined();
  return done.data.job;
}

async function outbox(): Promise<OutboxMessage[]> {
  return (await (await fetch(`${stack.urls.outbox}.json`)).json()) as OutboxMessage[];
}

/** The files of a zip, by path. */
async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return files;
}

/** Every item of every table that names the user anywhere (keys, attributes, nested). */
async function itemsMentioning(userId: string): Promise<Record<string, unknown[]>> {
  const found: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await db.send(new ScanCommand({ TableName: table.logicalName, ExclusiveStartKey }));
      for (const item of out.Items ?? [])
        if (JSON.stringify(item).includes(userId)) (found[table.logicalName] ??= []).push(item);
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return found;
}

async function bucketKeysMentioning(userId: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: stack.config.receiptsBucket, ContinuationToken }));
    for (const object of out.Contents ?? []) if (object.Key!.includes(userId)) keys.push(object.Key!);
    ContinuationToken = out.NextContinuationToken;
  } while (ContinuationToken);
  return keys;
}

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('account-data'));
  const credentials = stack.config.credentials;
  s3 = new S3Client({ endpoint: stack.urls.s3, region: stack.config.region, credentials, forcePathStyle: true });
  db = stackDynamoDb(stack);
  ada = await givenSignedInUser(stack, 'ada@example.com');
  bob = await givenSignedInUser(stack, 'bob@example.com');
  adaId = (await call(ada, 'query { me { id } }')).body.data.me.id;
  bobId = (await call(bob, 'query { me { id } }')).body.data.me.id;

  // What ada writes through the API.
  expect(
    (
      await call(
        ada,
        'mutation { updateProfile(input: { name: "Ada", homeCurrency: "EUR", timezone: "Europe/Paris" }) { id } }',
      )
    ).body.errors,
  ).toBeUndefined();
  for (const input of [
    {
      merchant: 'Tesco',
      amount: 4120,
      date: '2026-11-02',
      category: 'GROCERIES',
      note: 'weekly shop',
      tags: ['household', 'Family'],
    },
    { merchant: 'Corner Café', amount: 1850, date: '2026-11-03', category: 'DINING' },
  ]) {
    const out = await call(ada, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }', {
      input: { ...input, currency: 'EUR' },
    });
    expect(out.body.errors).toBeUndefined();
    // The café bill is shared with bob, half each: ada's Sharing items, and bob's own copy.
    if (input.merchant !== 'Corner Café') continue;
    const shared = await call(ada, 'mutation ($input: ShareExpenseInput!) { shareExpense(input: $input) { id } }', {
      input: {
        expenseId: out.body.data.createExpense.id,
        method: 'EQUAL',
        participants: [{ email: 'bob@example.com' }],
      },
    });
    expect(shared.body.errors).toBeUndefined();
  }
  const rate = await call(
    ada,
    'mutation { setExchangeRate(input: { currency: "XOF", rate: "655.957", from: "2026-01-01" }) { currency } }',
  );
  expect(rate.body.errors).toBeUndefined();
  const budget = await call(
    ada,
    'mutation { createBudget(input: { name: "Eating out", category: DINING, period: MONTHLY, amount: 15000, currency: "EUR" }) { id } }',
  );
  expect(budget.body.errors).toBeUndefined();
  // A receipt as OCR leaves it (image in the bucket, receipt and expense items), and a kept report email.
  const s3Key = `receipts/${adaId}/${RECEIPT_ID}.jpg`;
  await s3.send(
    new PutObjectCommand({
      Bucket: stack.config.receiptsBucket,
      Key: s3Key,
      Body: RECEIPT_BYTES,
      ContentType: 'image/jpeg',
    }),
  );
  const at = '2026-11-04T09:00:00.000Z';
  await db.send(
    new PutCommand({
      TableName: 'Receipts',
      Item: {
        user_id: adaId,
        receipt_id: RECEIPT_ID,
        s3Key,
        status: 'PROCESSED',
        contentType: 'image/jpeg',
        expenseId: RECEIPT_ID,
        createdAt: at,
        updatedAt: at,
      },
    }),
  );
  await db.send(
    new PutCommand({
      TableName: 'Expenses',
      Item: {
        user_id: adaId,
        expense_id: RECEIPT_ID,
        receiptId: RECEIPT_ID,
        merchant: 'Receipt Shop',
        amount: 2500,
        currency: 'EUR',
        date: '2026-11-04',
        category: 'OTHER',
        category_date: 'OTHER#2026-11-04',
        version: 1,
        createdAt: at,
        updatedAt: at,
      },
    }),
  );
  // A recurring rule she confirmed, as RecurringFn stores it (functions/recurring).
  const rule: RecurringRuleItem = {
    user_id: adaId,
    rule_id: `${RULE_PREFIX}MONTHLY#EUR#netflixcom`,
    id: 'MONTHLY#EUR#netflixcom',
    name: 'Netflix',
    merchant: 'Netflix.com',
    merchantKey: 'netflixcom',
    currency: 'EUR',
    cadence: 'MONTHLY',
    amount: 1799,
    tolerancePercent: 10,
    anchorDay: 31,
    anchorMonth: 1,
    lastDate: '2026-10-31',
    createdAt: at,
    updatedAt: at,
  };
  await db.send(new PutCommand({ TableName: 'Recurring', Item: rule }));
  await s3.send(
    new PutObjectCommand({
      Bucket: stack.config.receiptsBucket,
      Key: REPORT_KEY(),
      Body: 'Subject: Your week\r\n\r\nHi',
    }),
  );
  // A finished statement import of ada's with one report line (the line claim beside it is bookkeeping).
  for (const Item of [
    {
      user_id: adaId,
      import_key: 'IMPORT1',
      status: 'SUCCEEDED',
      uploadId: 'UPLOAD1',
      fileName: 'november.csv',
      format: 'CSV',
      request: {},
      counts: { lineCount: 1, created: 1 },
      createdAt: at,
      updatedAt: at,
      finishedAt: at,
    },
    {
      user_id: `${adaId}#report-lines`,
      import_key: 'IMPORT1#line#000001',
      index: 1,
      date: '2026-11-04',
      amount: 990,
      currency: 'EUR',
      description: 'BAKERY 42',
      outcome: 'CREATED',
      reason: 'no receipt of that day and amount',
      expenseId: 'EXPENSE-FROM-LINE',
    },
  ])
    await db.send(new PutCommand({ TableName: 'StatementImports', Item }));
  // Bob's, which must appear in nothing of ada's and survive her deletion.
  expect(
    (
      await call(bob, 'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }', {
        input: { merchant: 'Bob shop', amount: 777777, date: '2026-11-04', currency: 'EUR' },
      })
    ).body.errors,
  ).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await stopStack?.();
});

describe('export everything', () => {
  it('given expenses, a budget, a receipt with its image and a kept report, when ada exports her account, then the archive holds exactly what she wrote, in JSON and CSV, and its link is emailed', async () => {
    const job = await whenJobRuns(ada, 'exportAccount');
    expect(job.status).toBe('SUCCEEDED');
    const archive = job.accountExport;
    expect(archive.url).toMatch(/^https?:\/\//);
    expect(Date.parse(archive.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);

    const response = await fetch(archive.url);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(archive.sizeBytes);
    const files = await unzip(bytes);
    expect(files.size).toBe(archive.fileCount);
    for (const name of ['README.txt', 'profile.json', 'expenses.csv', 'budgets.csv', 'alerts.json', 'history.json'])
      expect(files.has(name), name).toBe(true);

    const profile = JSON.parse(files.get('profile.json')!.toString('utf8'));
    expect(profile).toMatchObject({ id: adaId, email: 'ada@example.com', name: 'Ada', homeCurrency: 'EUR' });
    expect(profile.receiptRetentionDays).toBe(2557);

    const expenses = JSON.parse(files.get('expenses.json')!.toString('utf8')) as Array<Record<string, unknown>>;
    expect(expenses.map((e) => [e.merchant, e.amount, e.currency, e.date]).sort()).toEqual(
      [
        ['Corner Café', 1850, 'EUR', '2026-11-03'],
        ['Receipt Shop', 2500, 'EUR', '2026-11-04'],
        ['Tesco', 4120, 'EUR', '2026-11-02'],
      ].sort(),
    );
    expect(expenses.find((e) => e.merchant === 'Tesco')).toMatchObject({
      note: 'weekly shop',
      tags: ['household', 'family'],
    });
    // Bookkeeping stays out; keys are the API's names.
    for (const e of expenses) expect(Object.keys(e)).not.toContain('user_id');

    const csv = files.get('expenses.csv')!.toString('utf8').split('\r\n').filter(Boolean);
    expect(csv[0]).toBe(
      'id,date,merchant,category,amount,currency,note,tags,receipt_id,category_source,needs_review,version,created_at,updated_at',
    );
    expect(csv).toHaveLength(4);
    expect(csv.some((line) => line.includes(',Tesco,GROCERIES,41.20,EUR,weekly shop,household; family,'))).toBe(true);

    // Each expense ada typed in has its creation in the history, as the API recorded it.
    const history = JSON.parse(files.get('history.json')!.toString('utf8')) as Array<Record<string, any>>;
    const created = history.filter((h) => h.itemType === 'EXPENSE' && h.action === 'CREATED');
    expect(created.map((h) => [h.by, h.path, h.version]).sort()).toEqual([
      [adaId, 'API', 1],
      [adaId, 'API', 1],
    ]);
    expect(created.map((h) => h.itemId).sort()).toEqual(
      expenses
        .filter((e) => e.merchant !== 'Receipt Shop')
        .map((e) => e.id)
        .sort(),
    );
    expect(files.get('history.csv')!.toString('utf8')).toContain(',amount,,4120\r\n');

    const budgets = JSON.parse(files.get('budgets.json')!.toString('utf8'));
    expect(budgets).toEqual([expect.objectContaining({ name: 'Eating out', category: 'DINING', amount: 15000 })]);
    expect(JSON.parse(files.get('exchange-rates.json')!.toString('utf8'))).toEqual([
      expect.objectContaining({ currency: 'XOF', rate: '655.957', from: '2026-01-01' }),
    ]);
    expect(files.get('exchange-rates.csv')!.toString('utf8')).toContain('XOF,2026-01-01,EUR,655.957');
    const receipts = JSON.parse(files.get('receipts.json')!.toString('utf8'));
    expect(receipts).toEqual([expect.objectContaining({ id: RECEIPT_ID, status: 'PROCESSED' })]);
    expect(files.get(`receipts/${RECEIPT_ID}.jpg`)!.equals(RECEIPT_BYTES)).toBe(true);
    expect(files.get('reports/2026-11-weekly.eml')!.toString('utf8')).toContain('Your week');
    expect(JSON.parse(files.get('recurring.json')!.toString('utf8'))).toEqual([
      expect.objectContaining({ kind: 'rule', id: 'MONTHLY#EUR#netflixcom', name: 'Netflix', amount: 1799 }),
    ]);
    // The shared café bill: ada's copy and her ledger entry with bob (925 of 1850 cents owed to her).
    expect(JSON.parse(files.get('sharing.json')!.toString('utf8'))).toEqual([
      expect.objectContaining({ kind: 'ledger', email: 'bob@example.com', currency: 'EUR', amount: 925 }),
      expect.objectContaining({ kind: 'share', merchant: 'Corner Café', amount: 1850, payerEmail: 'ada@example.com' }),
    ]);
    expect(JSON.parse(files.get('statement-imports.json')!.toString('utf8'))).toEqual([
      expect.objectContaining({ id: 'IMPORT1', status: 'SUCCEEDED', fileName: 'november.csv', created: 1 }),
    ]);
    expect(JSON.parse(files.get('statement-lines.json')!.toString('utf8'))).toEqual([
      {
        importId: 'IMPORT1',
        index: 1,
        date: '2026-11-04',
        amount: 990,
        currency: 'EUR',
        description: 'BAKERY 42',
        outcome: 'CREATED',
        reason: 'no receipt of that day and amount',
        expenseId: 'EXPENSE-FROM-LINE',
      },
    ]);

    // Nothing of bob's anywhere in the archive.
    for (const [name, content] of files) {
      expect(content.toString('latin1').includes(bobId), name).toBe(false);
      expect(content.toString('latin1').includes('Bob shop'), name).toBe(false);
    }
    expect(archive.counts).toEqual(
      expect.arrayContaining([
        { what: 'Expenses', count: 3 },
        { what: 'Budgets', count: 1 },
        { what: 'Receipts', count: 1 },
        { what: 'receipt images', count: 1 },
        { what: 'report emails', count: 1 },
        { what: 'statement imports', count: 1 },
      ]),
    );

    const mail = (await outbox()).find((m) => m.to.includes('ada@example.com') && /export is ready/.test(m.subject));
    expect(mail?.text).toContain(job.id);

    // The archive is ada's alone: bob cannot read her job, so never gets a link to it.
    const asBob = await call(bob, `query ($id: ID!) { job(id: $id) { id accountExport { url } } }`, { id: job.id });
    expect(asBob.body.data?.job ?? null).toBeNull();
    expect(asBob.body.errors?.[0].errorType).toBe('NotFound');
  }, 120_000);
});

describe('delete my account', () => {
  it('given a wrong password, when ada asks to delete her account, then it is refused as Unauthorized and nothing is deleted', async () => {
    const out = await call(ada, 'mutation { deleteAccount(password: "not-her-password-1A!") { id status } }');
    expect(out.body.errors?.[0].errorType).toBe('Unauthorized');
    expect((await call(ada, 'query { me { id } }')).body.data.me.id).toBe(adaId);
  }, 30_000);

  it('given her password, when ada deletes her account, then no table holds an item of hers, the bucket no object of hers, she cannot sign in, a receipt with counts is emailed, and bob is untouched', async () => {
    const before = await itemsMentioning(adaId);
    expect(Object.keys(before).sort()).toEqual(
      // SearchTerms: the search index of her typed-in expenses, in partitions named after her.
      expect.arrayContaining([
        'Budgets',
        'Expenses',
        'History',
        'Jobs',
        'Rates',
        'Receipts',
        'SearchTerms',
        'Users',
        'Recurring',
        'Sharing',
      ]),
    );
    expect((await bucketKeysMentioning(adaId)).length).toBeGreaterThanOrEqual(3); // image, report, archive

    const out = await call(ada, `mutation ($p: String) { deleteAccount(password: $p) { id status kind } }`, {
      p: ada.password,
    });
    expect(out.body.errors).toBeUndefined();
    expect(out.body.data.deleteAccount).toMatchObject({ kind: 'DELETE_ACCOUNT' });

    const receipt = await eventually(
      async () => (await outbox()).find((m) => m.to.includes('ada@example.com') && /has been deleted/.test(m.subject)),
      (mail) => mail !== undefined,
      60_000,
    );
    expect(receipt?.text).toMatch(/expenses:\s+3\b/);
    expect(receipt?.text).toMatch(/budgets \(with their alerts\):\s+1\b/);
    expect(receipt?.text).toMatch(/receipt image versions:\s+1\b/);
    expect(receipt?.text).toMatch(/sign-in account:\s+1\b/);

    // The job's own item goes once its owner has been told; then nothing names her.
    const left = await eventually(
      () => itemsMentioning(adaId),
      (found) => Object.keys(found).length === 0,
      10_000,
    );
    expect(left).toEqual({});
    expect(await bucketKeysMentioning(adaId)).toEqual([]);

    await expect(signIn(endpointsOf(stack), ada.email, ada.password)).rejects.toThrow();
    const again = await call(ada, 'mutation { deleteAccount { id } }');
    expect(again.status === 401 || again.body.errors?.[0].errorType === 'Unauthorized').toBe(true);

    const bobs = await call(bob, 'query { listExpenses { items { merchant amount } } }');
    expect(bobs.body.data.listExpenses.items).toEqual([{ merchant: 'Bob shop', amount: 777777 }]);
    expect(Object.keys(await itemsMentioning(bobId))).toEqual(
      expect.arrayContaining(['Users', 'Expenses', 'SearchTerms']),
    );
    // Bob keeps his copy of what ada shared with him, and what he owes her.
    const bobShares = await call(bob, 'query { shareBalances { email currency amount } }');
    expect(bobShares.body.data.shareBalances).toEqual([{ email: 'ada@example.com', currency: 'EUR', amount: -925 }]);
    const bobFinds = await call(bob, 'query { searchExpenses(text: "bob") { items { merchant } } }');
    expect(bobFinds.body.data.searchExpenses.items).toEqual([{ merchant: 'Bob shop' }]);
  }, 120_000);
});

describe('receipt image retention', () => {
  let cy: SignedInUser;
  let cyId: string;
  const DAY = 86_400_000;

  /** Given a receipt as OCR leaves it, uploaded `daysAgo`, with its image and expense; `expiresOn` as stored. */
  async function givenStoredReceipt(receiptId: string, daysAgo: number, expiresOn: string) {
    const s3Key = `receipts/${cyId}/${receiptId}.jpg`;
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.config.receiptsBucket,
        Key: s3Key,
        Body: RECEIPT_BYTES,
        ContentType: 'image/jpeg',
      }),
    );
    const at = new Date(Date.now() - daysAgo * DAY).toISOString();
    await db.send(
      new PutCommand({
        TableName: 'Receipts',
        Item: {
          user_id: cyId,
          receipt_id: receiptId,
          s3Key,
          status: 'PROCESSED',
          contentType: 'image/jpeg',
          expenseId: receiptId,
          image_expires_on: expiresOn,
          createdAt: at,
          updatedAt: at,
        },
      }),
    );
    const date = at.slice(0, 10);
    await db.send(
      new PutCommand({
        TableName: 'Expenses',
        Item: {
          user_id: cyId,
          expense_id: receiptId,
          receiptId,
          merchant: 'Kept Shop',
          amount: 990,
          currency: 'EUR',
          date,
          category: 'OTHER',
          category_date: `OTHER#${date}`,
          version: 1,
          createdAt: at,
          updatedAt: at,
        },
      }),
    );
    return s3Key;
  }

  const RECEIPT_FIELDS = 'id imageUrl imageExpiresOn imageExpiredAt expense { id merchant amount }';
  const receiptOf = async (id: string) =>
    (await call(cy, `query ($id: ID!) { receipt(id: $id) { ${RECEIPT_FIELDS} } }`, { id })).body.data.receipt;
  const dayAfter = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString().slice(0, 10);

  beforeAll(async () => {
    cy = await givenSignedInUser(stack, 'cy@example.com');
    cyId = (await call(cy, 'query { me { id } }')).body.data.me.id;
  }, 60_000);

  it("given no choice made, when a receipt is created, then its image is kept seven years (2557 days), the bucket's own limit", async () => {
    expect((await call(cy, 'query { me { receiptRetentionDays } }')).body.data.me.receiptRetentionDays).toBe(2557);
    const upload = await call(
      cy,
      'mutation { createReceiptUpload(input: { contentType: "image/jpeg", size: 1000 }) { receipt { id imageExpiresOn createdAt } } }',
    );
    expect(upload.body.errors).toBeUndefined();
    const receipt = upload.body.data.createReceiptUpload.receipt;
    expect(receipt.imageExpiresOn).toBe(dayAfter(receipt.createdAt, 2557));
  }, 30_000);

  it('given a retention out of range, when set, then ValidationError with the limits and the profile unchanged', async () => {
    for (const days of [0, 2558]) {
      const out = await call(cy, 'mutation ($d: Int!) { setReceiptRetention(days: $d) { id } }', { d: days });
      expect(out.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError' });
    }
    expect((await call(cy, 'query { me { receiptRetentionDays } }')).body.data.me.receiptRetentionDays).toBe(2557);
  }, 30_000);

  it('given receipts 10 days and 1 day old, when cy chooses 5 days, then the old image is deleted (every version) while its receipt and expense stay, the recent one expires 5 days after upload, and new receipts take 5 days', async () => {
    const far = dayAfter(new Date().toISOString(), 2000);
    const oldKey = await givenStoredReceipt('01JRETENTIONOLD00000000001', 10, far);
    const recentKey = await givenStoredReceipt('01JRETENTIONNEW00000000001', 1, far);

    const out = await call(
      cy,
      'mutation { setReceiptRetention(days: 5) { id status kind retention { days receipts imagesExpired } } }',
    );
    expect(out.body.errors).toBeUndefined();
    const job = await eventually(
      async () =>
        (
          await call(cy, 'query ($id: ID!) { job(id: $id) { status retention { days receipts imagesExpired } } }', {
            id: out.body.data.setReceiptRetention.id,
          })
        ).body.data.job,
      (j) => j?.status === 'SUCCEEDED' || j?.status === 'FAILED',
      60_000,
    );
    // The two stored receipts and the upload still pending from the first test.
    expect(job).toEqual({ status: 'SUCCEEDED', retention: { days: 5, receipts: 3, imagesExpired: 1 } });
    expect((await call(cy, 'query { me { receiptRetentionDays } }')).body.data.me.receiptRetentionDays).toBe(5);

    const old = await receiptOf('01JRETENTIONOLD00000000001');
    expect(old).toMatchObject({
      imageUrl: null,
      imageExpiresOn: null,
      expense: { merchant: 'Kept Shop', amount: 990 },
    });
    expect(Date.now() - Date.parse(old.imageExpiredAt)).toBeLessThan(60_000);
    const history = await call(
      cy,
      'query ($id: ID!) { history(itemId: $id) { items { itemType action by path changes { field before after } } } }',
      { id: '01JRETENTIONOLD00000000001' },
    );
    expect(history.body.data.history.items).toEqual([
      expect.objectContaining({ itemType: 'RECEIPT', action: 'UPDATED', by: 'system', path: 'RETENTION' }),
    ]);
    expect(history.body.data.history.items[0].changes.map((c: { field: string }) => c.field)).toContain(
      'imageExpiredAt',
    );
    const keys = await bucketKeysMentioning(cyId);
    expect(keys).not.toContain(oldKey);
    expect(keys).toContain(recentKey);

    const recent = await receiptOf('01JRETENTIONNEW00000000001');
    expect(recent.imageExpiresOn).toBe(dayAfter(new Date(Date.now() - DAY).toISOString(), 5));
    expect(recent.imageUrl).toMatch(/^https?:\/\//);

    const upload = await call(
      cy,
      'mutation { createReceiptUpload(input: { contentType: "image/png", size: 1000 }) { receipt { imageExpiresOn createdAt } } }',
    );
    const fresh = upload.body.data.createReceiptUpload.receipt;
    expect(fresh.imageExpiresOn).toBe(dayAfter(fresh.createdAt, 5));
  }, 120_000);

  it('given an image whose day has come, when the daily sweep runs (twice, as a retried schedule may), then it is deleted once and its receipt says when', async () => {
    const yesterday = dayAfter(new Date().toISOString(), -1);
    const key = await givenStoredReceipt('01JRETENTIONDUE00000000001', 6, yesterday);
    const first = (await stack.lambda.invoke('AccountFn', { action: 'sweepExpiredImages' })) as { expired: number };
    expect(first.expired).toBe(1);
    const second = (await stack.lambda.invoke('AccountFn', { action: 'sweepExpiredImages' })) as { expired: number };
    expect(second.expired).toBe(0);
    expect(await bucketKeysMentioning(cyId)).not.toContain(key);
    const receipt = await receiptOf('01JRETENTIONDUE00000000001');
    expect(receipt).toMatchObject({ imageUrl: null, imageExpiresOn: null, expense: { merchant: 'Kept Shop' } });
    expect(receipt.imageExpiredAt).toBeTruthy();
  }, 60_000);
});

describe('history', () => {
  it('given an expense created, edited twice and deleted through the API, when its history is asked, then each change is there in order with who, when, which path and each field before and after; another user gets an empty list', async () => {
    const dee = await givenSignedInUser(stack, 'dee@example.com');
    const deeId = (await call(dee, 'query { me { id } }')).body.data.me.id;
    const created = await call(
      dee,
      'mutation { createExpense(input: { merchant: "Bakery", amount: 450, currency: "EUR", date: "2026-11-10", category: DINING }) { id version } }',
    );
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.createExpense.id;
    const update = (input: Record<string, unknown>) =>
      call(dee, 'mutation ($input: UpdateExpenseInput!) { updateExpense(input: $input) { version } }', {
        input: { id, ...input },
      });
    expect((await update({ expectedVersion: 1, amount: 520 })).body.errors).toBeUndefined();
    expect((await update({ expectedVersion: 2, category: 'GROCERIES', note: 'bread' })).body.errors).toBeUndefined();
    // A stale edit is refused and leaves no entry.
    expect((await update({ expectedVersion: 1, amount: 1 })).body.errors?.[0].errorType).toBe('Conflict');
    expect(
      (await call(dee, 'mutation ($id: ID!) { deleteExpense(id: $id) { id } }', { id })).body.errors,
    ).toBeUndefined();

    const HISTORY = `query ($id: ID!, $limit: Int, $next: String) { history(itemId: $id, limit: $limit, nextToken: $next) {
      items { itemType itemId version action at by path changes { field before after } } nextToken } }`;
    const first = await call(dee, HISTORY, { id, limit: 3 });
    expect(first.body.errors).toBeUndefined();
    const second = await call(dee, HISTORY, { id, limit: 3, next: first.body.data.history.nextToken });
    const entries = [...first.body.data.history.items, ...second.body.data.history.items];
    expect(entries.map((e) => [e.version, e.action, e.by, e.path, e.itemType])).toEqual([
      [1, 'CREATED', deeId, 'API', 'EXPENSE'],
      [2, 'UPDATED', deeId, 'API', 'EXPENSE'],
      [3, 'UPDATED', deeId, 'API', 'EXPENSE'],
      [4, 'DELETED', deeId, 'API', 'EXPENSE'],
    ]);
    expect(entries[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'merchant', before: null, after: '"Bakery"' },
        { field: 'amount', before: null, after: '450' },
      ]),
    );
    expect(entries[1].changes).toEqual([{ field: 'amount', before: '450', after: '520' }]);
    expect(entries[2].changes).toEqual(
      expect.arrayContaining([
        { field: 'category', before: '"DINING"', after: '"GROCERIES"' },
        { field: 'note', before: null, after: '"bread"' },
      ]),
    );
    expect(entries[3].changes).toEqual(expect.arrayContaining([{ field: 'amount', before: '520', after: null }]));
    for (let i = 1; i < entries.length; i += 1) expect(entries[i].at >= entries[i - 1].at).toBe(true);

    const asBob = await call(bob, HISTORY, { id });
    expect(asBob.body.data.history).toEqual({ items: [], nextToken: null });
    const bad = await call(dee, HISTORY, { id, limit: 0 });
    expect(bad.body.errors?.[0].errorType).toBe('ValidationError');
  }, 60_000);

  it('given a budget created, changed, deleted and created again under the same id, when its history is asked, then both lives are there in order, each from version 1', async () => {
    const eve = await givenSignedInUser(stack, 'eve@example.com');
    const create = () =>
      call(
        eve,
        'mutation { createBudget(input: { category: DINING, period: MONTHLY, amount: 20000, currency: "EUR" }) { id version } }',
      );
    const first = await create();
    expect(first.body.errors).toBeUndefined();
    const id = first.body.data.createBudget.id;
    const changed = await call(
      eve,
      'mutation ($id: ID!) { updateBudget(input: { id: $id, expectedVersion: 1, amount: 25000 }) { version } }',
      { id },
    );
    expect(changed.body.errors).toBeUndefined();
    expect(
      (await call(eve, 'mutation ($id: ID!) { deleteBudget(id: $id) { id } }', { id })).body.errors,
    ).toBeUndefined();
    // Distinct creation instants: the second life is told apart by its createdAt.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await create()).body.errors).toBeUndefined();

    const out = await call(
      eve,
      'query ($id: ID!) { history(itemId: $id, itemType: BUDGET) { items { version action path changes { field before after } } } }',
      { id },
    );
    expect(out.body.errors).toBeUndefined();
    const entries = out.body.data.history.items;
    expect(entries.map((e: { version: number; action: string }) => [e.version, e.action])).toEqual([
      [1, 'CREATED'],
      [2, 'UPDATED'],
      [3, 'DELETED'],
      [1, 'CREATED'],
    ]);
    expect(entries[1].changes).toEqual([{ field: 'amount', before: '20000', after: '25000' }]);
  }, 60_000);

  it('given a receipt uploaded, read by OCR and deleted, when its history is asked, then its creation (by its owner, API), what OCR read (by the system) and its deletion (API) are there in order; another user gets an empty list', async () => {
    const fay = await givenSignedInUser(stack, 'fay@example.com');
    const fayId = (await call(fay, 'query { me { id } }')).body.data.me.id;
    const image = await drawReceiptJpeg(BAKERY_RECEIPT);
    const uploaded = await call(fay, 'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
      input: { image: image.toString('base64'), fileName: 'bakery.jpg' },
    });
    expect(uploaded.body.errors).toBeUndefined();
    const id = uploaded.body.data.uploadReceipt.id;
    const read = await eventually(
      async () =>
        (await call(fay, 'query ($id: ID!) { receipt(id: $id) { status } }', { id })).body.data.receipt.status,
      (status: string) => ['PROCESSED', 'NEEDS_REVIEW', 'FAILED'].includes(status),
      60_000,
    );
    expect(read).toBe('PROCESSED');
    const deleted = await call(fay, 'mutation ($id: ID!) { deleteReceipt(id: $id) { id } }', { id });
    expect(deleted.body.errors).toBeUndefined();

    const HISTORY =
      'query ($id: ID!) { history(itemId: $id, itemType: RECEIPT) { items { itemId version action by path at changes { field before after } } } }';
    const out = await call(fay, HISTORY, { id });
    expect(out.body.errors).toBeUndefined();
    const entries = out.body.data.history.items;
    expect(entries.map((e: Record<string, unknown>) => [e.version, e.action, e.by, e.path])).toEqual([
      [1, 'CREATED', fayId, 'API'],
      [2, 'UPDATED', 'system', 'OCR'],
      [3, 'DELETED', fayId, 'API'],
    ]);
    expect(entries[0].changes).toEqual(
      expect.arrayContaining([
        { field: 'status', before: null, after: '"PENDING_UPLOAD"' },
        { field: 'fileName', before: null, after: '"bakery.jpg"' },
      ]),
    );
    expect(entries[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'status', before: '"PROCESSING"', after: '"PROCESSED"' },
        { field: 'totalRead', before: null, after: `${BAKERY_RECEIPT.total}` },
      ]),
    );
    expect(entries[2].changes).toEqual(
      expect.arrayContaining([{ field: 'status', before: '"PROCESSED"', after: null }]),
    );
    expect(Date.parse(entries[0].at)).toBeLessThanOrEqual(Date.parse(entries[1].at));
    expect(Date.parse(entries[1].at)).toBeLessThanOrEqual(Date.parse(entries[2].at));
    // Another user asking for the same id gets nothing of it.
    expect((await call(bob, HISTORY, { id })).body.data.history).toEqual({ items: [] });
  }, 90_000);
});
