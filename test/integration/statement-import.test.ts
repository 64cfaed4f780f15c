import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_LEASE_MS, IMPORT_PENDING, type StatementImportItem } from '../../model/statements.ts';
import { eventually, givenSignedInUser, graphql, stackDynamoDb, type SignedInUser } from '../e2e/steps.ts';
import { BAKERY_RECEIPT, drawReceiptJpeg } from '../support/drawn-receipts.ts';
import { givenReceiptStack, receiptPage, type ReceiptStack } from '../support/receipt-stack.ts';

/**
 * Statement import end to end on the local stack: a presigned upload of a sample statement
 * (test/fixtures/statements, written for this project), a preview, the import that runs in
 * StatementFn in the background, the report, and a second import of the same file.
 * A receipt read by the OCR function (a scripted page) is the purchase one line shows.
 */
let receipts: ReceiptStack;
let ada: SignedInUser;
let bob: SignedInUser;

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../fixtures/statements', name));
const call = (user: SignedInUser, query: string, variables: Record<string, unknown> = {}) =>
  graphql(receipts.stack.urls.graphql, query, variables, user.accessToken);

const IMPORT = `id status fileName format account lineCount created matched alreadyImported skippedCredits invalid
  unmatchedReceipts { receiptId merchant reason } error { errorType message }
  lines(limit: 100) { items { index date amount currency description outcome reason expenseId receiptId } nextToken }`;

async function upload(user: SignedInUser, fileName: string, bytes: Buffer): Promise<string> {
  const answer = await call(
    user,
    'mutation ($input: CreateStatementUploadInput!) { createStatementUpload(input: $input) { uploadId uploadUrl uploadHeaders expiresAt } }',
    { input: { fileName, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } },
  );
  expect(answer.body.errors).toBeUndefined();
  const { uploadId, uploadUrl, uploadHeaders } = answer.body.data.createStatementUpload;
  const put = await fetch(uploadUrl, { method: 'PUT', headers: JSON.parse(uploadHeaders), body: bytes });
  expect(put.status).toBe(200);
  return uploadId;
}

async function importAndWait(user: SignedInUser, input: Record<string, unknown>): Promise<any> {
  const started = await call(
    user,
    'mutation ($input: ImportStatementInput!) { importStatement(input: $input) { id status } }',
    { input },
  );
  expect(started.body.errors).toBeUndefined();
  expect(started.body.data.importStatement.status).toBe('PENDING');
  const id = started.body.data.importStatement.id;
  return eventually(
    async () => (await call(user, `query ($id: ID!) { statementImport(id: $id) { ${IMPORT} } }`, { id })).body.data,
    (data) => ['SUCCEEDED', 'FAILED'].includes(data?.statementImport?.status),
    30_000,
  ).then((data) => data.statementImport);
}

async function expensesOf(user: SignedInUser): Promise<any[]> {
  const answer = await call(
    user,
    'query { listExpenses(limit: 100) { items { id merchant amount currency date receiptId category converted { amount currency source } statementLine { importId account date amount currency description } } } }',
  );
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data.listExpenses.items;
}

beforeAll(async () => {
  receipts = await givenReceiptStack('statements', () => receiptPage('CORNER BAKERY', '05/03/2024', 'USD 12.40'));
  ada = await givenSignedInUser(receipts.stack, 'ada@example.com');
  bob = await givenSignedInUser(receipts.stack, 'bob@example.com');
  await call(ada, 'mutation { updateProfile(input: { homeCurrency: "USD" }) { id } }');
});

afterAll(async () => {
  await receipts?.stop();
});

const subOf = (user: SignedInUser): string =>
  JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString()).sub;

describe('statement import and matching', () => {
  it('given a receipt and a CSV statement with its purchase, when imported twice, then the purchase is one expense with its receipt and line, and nothing is imported twice', async () => {
    const photo = await drawReceiptJpeg(BAKERY_RECEIPT);
    const uploaded = await call(ada, 'mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
      input: { image: photo.toString('base64'), fileName: 'bakery.jpg' },
    });
    expect(uploaded.body.errors).toBeUndefined();
    const receiptId = uploaded.body.data.uploadReceipt.id;
    await eventually(
      () => expensesOf(ada),
      (list) => list.some((e) => e.receiptId === receiptId),
      15_000,
    );

    const csv = fixture('checking-us.csv');
    const uploadId = await upload(ada, 'checking-us.csv', csv);
    const preview = await call(
      ada,
      'mutation ($id: ID!) { previewStatement(uploadId: $id) { format lineCount columns mapping { date amount description dateFormat amountSign delimiter headerRow } lines { date amount currency description problem } } }',
      { id: uploadId },
    );
    expect(preview.body.errors).toBeUndefined();
    expect(preview.body.data.previewStatement).toMatchObject({
      format: 'CSV',
      lineCount: 6,
      columns: ['Date', 'Description', 'Amount', 'Balance'],
      mapping: {
        date: 'Date',
        amount: 'Amount',
        description: ['Description'],
        dateFormat: 'YYYY-MM-DD',
        delimiter: ',',
      },
    });
    expect(preview.body.data.previewStatement.lines[0]).toMatchObject({ date: '2024-03-06', amount: -1240 });

    const first = await importAndWait(ada, { uploadId, account: 'Checking' });
    expect(first).toMatchObject({
      status: 'SUCCEEDED',
      fileName: 'checking-us.csv',
      format: 'CSV',
      account: 'Checking',
      lineCount: 6,
      created: 3,
      matched: 1,
      alreadyImported: 0,
      skippedCredits: 1,
      invalid: 1,
      unmatchedReceipts: [],
      error: null,
    });
    const outcomes = first.lines.items.map((l: any) => [l.index, l.outcome]);
    expect(outcomes).toEqual([
      [1, 'MATCHED'],
      [2, 'CREATED'],
      [3, 'SKIPPED_CREDIT'],
      [4, 'CREATED'],
      [5, 'CREATED'],
      [6, 'INVALID'],
    ]);
    expect(first.lines.items[0]).toMatchObject({ receiptId, amount: 1240, currency: 'USD' });
    expect(first.lines.items[0].reason).toContain('merchant similarity');
    expect(first.lines.items[5].reason).toContain('31/02/2024');
    // An expense made from a line has its creation in its history, by ada, through the import.
    const history = await call(
      ada,
      'query ($id: ID!) { history(itemId: $id, itemType: EXPENSE) { items { action path version by changes { field after } } } }',
      { id: first.lines.items[1].expenseId },
    );
    expect(history.body.errors).toBeUndefined();
    const adaId = (await call(ada, 'query { me { id } }')).body.data.me.id;
    expect(history.body.data.history.items).toMatchObject([
      { action: 'CREATED', path: 'IMPORT', version: 1, by: adaId },
    ]);
    expect(history.body.data.history.items[0].changes).toContainEqual({ field: 'amount', after: '5410' });

    const expenses = await expensesOf(ada);
    expect(expenses).toHaveLength(4); // the receipt's, and three made from lines
    const bakery = expenses.filter((e) => e.amount === 1240);
    expect(bakery).toHaveLength(1);
    expect(bakery[0]).toMatchObject({
      receiptId,
      merchant: 'CORNER BAKERY',
      statementLine: { importId: first.id, account: 'Checking', date: '2024-03-06', amount: 1240, currency: 'USD' },
    });
    expect(expenses.filter((e) => e.amount === 450)).toHaveLength(2);
    expect(expenses.find((e) => e.amount === 5410)).toMatchObject({
      receiptId: null,
      date: '2024-03-04',
      converted: { amount: 5410, currency: 'USD', source: 'SAME' },
    });
    // The expenses a statement made are in the search index as they are written.
    const found = await call(ada, 'query { searchExpenses(text: "starb") { items { id amount date } } }');
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data.searchExpenses.items).toEqual(
      expenses
        .filter((e) => e.amount === 450)
        .map(({ id, amount, date }) => ({ id, amount, date }))
        .sort((a, b) => b.id.localeCompare(a.id)),
    );
    // Budgets look at the new expenses: BudgetFn is asked, as after any expense change.
    const budgetRequests = await eventually(
      async () =>
        receipts.invocations.filter(
          (i) => i.functionName === 'BudgetFn' && i.event?.after?.statementLine?.importId === first.id,
        ),
      (list) => list.length >= 2,
      10_000,
    );
    // One request per category and day: the two identical coffees of one day are one.
    expect(budgetRequests.map((i) => i.event.after.amount).sort((a, b) => a - b)).toEqual([450, 5410]);

    // The same file again (a new upload of it): every line is recognised, nothing new is made.
    const again = await importAndWait(ada, { uploadId: await upload(ada, 'again.csv', csv), account: 'Checking' });
    expect(again).toMatchObject({ status: 'SUCCEEDED', created: 0, matched: 0, alreadyImported: 4, skippedCredits: 1 });
    expect(again.lines.items[0]).toMatchObject({ outcome: 'ALREADY_IMPORTED', receiptId });
    expect(await expensesOf(ada)).toHaveLength(4);
  });

  it('given OFX, QFX and camt.053 statements, when imported and imported again, then their lines become expenses once, by the bank’s transaction ids', async () => {
    const before = (await expensesOf(bob)).length;
    const ofx = await importAndWait(bob, { uploadId: await upload(bob, 'checking.ofx', fixture('checking.ofx')) });
    expect(ofx).toMatchObject({
      status: 'SUCCEEDED',
      format: 'OFX',
      account: '000012345678',
      created: 2,
      skippedCredits: 1,
    });
    const qfx = await importAndWait(bob, { uploadId: await upload(bob, 'card.qfx', fixture('card.qfx')) });
    expect(qfx).toMatchObject({ status: 'SUCCEEDED', format: 'OFX', account: 'XXXXXXXXXXXX4321', created: 1 });
    const camt = await importAndWait(bob, { uploadId: await upload(bob, 'camt.xml', fixture('camt053-de.xml')) });
    expect(camt).toMatchObject({
      status: 'SUCCEEDED',
      format: 'CAMT053',
      account: 'DE89370400440532013000',
      created: 1,
      skippedCredits: 1,
      invalid: 1,
    });
    const expenses = await expensesOf(bob);
    expect(expenses).toHaveLength(before + 4);
    expect(expenses.find((e) => e.currency === 'EUR')).toMatchObject({
      amount: 2345,
      date: '2024-03-04',
      category: 'GROCERIES',
      statementLine: { account: 'DE89370400440532013000', description: 'REWE Markt GmbH Kartenzahlung 04.03 Berlin' },
    });

    const ofxAgain = await importAndWait(bob, { uploadId: await upload(bob, 'checking.ofx', fixture('checking.ofx')) });
    expect(ofxAgain).toMatchObject({ created: 0, alreadyImported: 2 });
    expect(await expensesOf(bob)).toHaveLength(before + 4);
  });

  it('given real-world statements from other projects (ANZ and Suncorp OFX, a credit union OFX 1.0.2, a camt.053 of two statements), when imported and imported again, then each debit is one expense with its amount, day and currency, credits are skipped, and the second import makes nothing', async () => {
    const cy = await givenSignedInUser(receipts.stack, 'cy@example.com');
    const real = (name: string) => fixture(path.join('real-world', name));
    const samples = [
      {
        file: 'ofxparse-anzcc.ofx',
        account: '1234123412341234',
        skippedCredits: 0,
        debits: [{ date: '2017-05-08', amount: 550, currency: 'AUD', description: 'SOME MEMO' }],
      },
      {
        // NAME and MEMO in CDATA sections: read as their text.
        file: 'ofxparse-suncorp.ofx',
        account: '123456789',
        skippedCredits: 0,
        debits: [
          {
            date: '2013-12-15',
            amount: 1685,
            currency: 'AUD',
            description: 'EFTPOS WDL HANDYWAY ALDI STORE EFTPOS WDL HANDYWAY ALDI STORE   GEELONG WEST VICAU',
          },
        ],
      },
      {
        file: 'ofxparse-checking.ofx',
        account: '1452687~7',
        skippedCredits: 1,
        debits: [
          {
            date: '2011-04-05',
            amount: 3451,
            currency: 'USD',
            description: 'AUTOMATIC WITHDRAWAL, ELECTRIC BILL AUTOMATIC WITHDRAWAL, ELECTRIC BILL WEB(S )',
          },
          {
            date: '2011-04-07',
            amount: 2500,
            currency: 'USD',
            description: 'RETURNED CHECK FEE, CHECK # 319 RETURNED CHECK FEE, CHECK # 319 FOR $45.33 ON 04/07/11',
          },
        ],
      },
      {
        // No AcctSvcrRef or NtryRef: a second import is recognised by the line itself.
        file: 'genkgo-camt053-v2-multi-statement.xml',
        account: 'NL26VAYB8060476890',
        skippedCredits: 1,
        debits: [
          { date: '2014-12-31', amount: 700, currency: 'EUR', description: 'Company Name 2 Transaction Description 2' },
        ],
      },
    ];
    for (const sample of samples) {
      const first = await importAndWait(cy, { uploadId: await upload(cy, sample.file, real(sample.file)) });
      expect(first, sample.file).toMatchObject({
        status: 'SUCCEEDED',
        account: sample.account,
        lineCount: sample.debits.length + sample.skippedCredits,
        created: sample.debits.length,
        skippedCredits: sample.skippedCredits,
        invalid: 0,
        error: null,
      });
      const made = (await expensesOf(cy)).filter((e) => e.statementLine?.importId === first.id);
      expect(
        made
          .map((e) => ({ date: e.date, amount: e.amount, currency: e.currency, ...e.statementLine }))
          .sort((a, b) => a.date.localeCompare(b.date)),
        sample.file,
      ).toEqual(sample.debits.map((d) => ({ ...d, importId: first.id, account: sample.account })));
    }
    const count = (await expensesOf(cy)).length;
    expect(count).toBe(5);

    for (const sample of samples) {
      const again = await importAndWait(cy, { uploadId: await upload(cy, `again-${sample.file}`, real(sample.file)) });
      expect(again, sample.file).toMatchObject({
        status: 'SUCCEEDED',
        created: 0,
        matched: 0,
        alreadyImported: sample.debits.length,
        skippedCredits: sample.skippedCredits,
      });
    }
    expect(await expensesOf(cy)).toHaveLength(count);
  });

  it('given another user’s upload or import, or a bad request, when used, then it is NotFound or a ValidationError and nothing is imported', async () => {
    const adaUpload = await upload(ada, 'giro.csv', fixture('giro-de.csv'));
    const foreign = await call(
      bob,
      'mutation ($input: ImportStatementInput!) { importStatement(input: $input) { id } }',
      { input: { uploadId: adaUpload } },
    );
    expect(foreign.body.errors?.[0]?.errorType).toBe('NotFound');
    const foreignPreview = await call(bob, 'mutation ($id: ID!) { previewStatement(uploadId: $id) { format } }', {
      id: adaUpload,
    });
    expect(foreignPreview.body.errors?.[0]?.errorType).toBe('NotFound');
    const adaImports = await call(ada, 'query { listStatementImports { items { id } } }');
    const someImport = adaImports.body.data.listStatementImports.items[0].id;
    const peek = await call(bob, 'query ($id: ID!) { statementImport(id: $id) { id } }', { id: someImport });
    expect(peek.body.errors?.[0]?.errorType).toBe('NotFound');

    const tooBig = await call(
      ada,
      'mutation ($input: CreateStatementUploadInput!) { createStatementUpload(input: $input) { uploadId } }',
      { input: { fileName: 'huge.csv', size: 6 * 1024 * 1024 } },
    );
    expect(tooBig.body.errors?.[0]?.errorType).toBe('LimitExceeded');
    const badWindow = await call(
      ada,
      'mutation ($input: ImportStatementInput!) { importStatement(input: $input) { id } }',
      { input: { uploadId: adaUpload, matchWindowDays: 30 } },
    );
    expect(badWindow.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError' });

    // A mapping naming a column the file lacks fails the import with a ValidationError that names it.
    const failed = await importAndWait(ada, {
      uploadId: adaUpload,
      csv: { date: 'Posted', amount: 'Betrag', description: ['Verwendungszweck'], dateFormat: 'DD.MM.YYYY' },
    });
    expect(failed).toMatchObject({ status: 'FAILED', created: 0, error: { errorType: 'ValidationError' } });
    expect(failed.error.message).toContain('Posted');
  });

  it('given an import whose start was lost (stored PENDING, StatementFn never invoked), when the job sweep runs a lease later, then it is imported once, and later sweeps leave it', async () => {
    const csv = [
      'Date,Description,Amount',
      '2024-04-02,LOST START DINER,-18.25',
      '2024-04-03,LOST START BOOKS,-9.99',
    ].join('\n');
    const uploadId = await upload(ada, 'lost-start.csv', Buffer.from(csv));
    const storedAt = new Date(Date.now() - 2 * IMPORT_LEASE_MS).toISOString();
    // What importStatement's first two steps leave when its third (the Event to StatementFn) is not accepted.
    const item: StatementImportItem = {
      user_id: subOf(ada),
      import_key: ulid(),
      status: 'PENDING',
      uploadId,
      fileName: 'lost-start.csv',
      request: { format: null, csv: null, currency: 'USD', account: 'Lost start', matchWindowDays: null },
      createdAt: storedAt,
      updatedAt: storedAt,
      pending: IMPORT_PENDING,
      attempts: 0,
    };
    const db = stackDynamoDb(receipts.stack);
    await db.send(new PutCommand({ TableName: 'StatementImports', Item: item }));
    db.destroy();
    const read = async () =>
      (await call(ada, `query ($id: ID!) { statementImport(id: $id) { ${IMPORT} } }`, { id: item.import_key })).body
        .data.statementImport;
    expect(await read()).toMatchObject({ status: 'PENDING' });

    // The job sweep's schedule reaches StatementFn (as EventBridge Scheduler does on AWS, from the same catalog).
    expect(receipts.stack.lambda.triggered('schedule-job-sweep').map((fn) => fn.name)).toContain('StatementFn');
    const sweep = () => receipts.stack.lambda.invoke('StatementFn', { action: 'sweepJobs' });
    expect(await sweep()).toEqual({ imported: 1, notRun: 0, failed: 0 });
    const imported = await eventually(read, (i) => i.status === 'SUCCEEDED', 30_000);
    expect(imported).toMatchObject({ account: 'Lost start', lineCount: 2, created: 2, error: null });
    const lostStart = async () =>
      (await expensesOf(ada)).filter((e) => e.statementLine?.importId === item.import_key).map((e) => e.merchant);
    expect((await lostStart()).sort()).toEqual(['LOST START BOOKS', 'LOST START DINER']);

    expect(await sweep()).toEqual({ imported: 0, notRun: 0, failed: 0 });
    await receipts.stack.lambda.drain();
    expect(await lostStart()).toHaveLength(2);
    expect(await read()).toMatchObject({ status: 'SUCCEEDED', created: 2 });
  });
});
