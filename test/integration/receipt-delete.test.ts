import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, givenSignedInUser, graphql, stackDynamoDb, type SignedInUser } from '../e2e/steps.ts';
import { searchPartitionsOf } from '../../model/search.ts';
import { givenReceiptStack, type ReceiptStack } from '../support/receipt-stack.ts';

/**
 * deleteReceipt against the real local S3 (the stand-in under the API's /s3): the
 * image and the record go, and the expense goes too only when asked, with the budgets it
 * counted in re-evaluated by BudgetFn. Kept, the expense still works, just unlinked.
 */
let receipts: ReceiptStack;
let ada: SignedInUser;
let adaSub: string;
let s3: S3Client;

const call = (query: string, variables: Record<string, unknown> = {}) =>
  graphql(receipts.stack.urls.graphql, query, variables, ada.accessToken);

/** A small real PNG; each colour is a different file (different hash). */
const png = (red: number) =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: { r: red, g: 40, b: 40 } } })
    .png()
    .toBuffer();

async function givenProcessedReceipt(red: number): Promise<{ id: string; s3Key: string }> {
  const uploaded = await call('mutation ($input: UploadReceiptInput!) { uploadReceipt(input: $input) { id } }', {
    input: { image: (await png(red)).toString('base64') },
  });
  expect(uploaded.body.errors).toBeUndefined();
  const id = uploaded.body.data.uploadReceipt.id as string;
  const receipt = await eventually(
    async () => (await call('query ($id: ID!) { receipt(id: $id) { status expenseId } }', { id })).body.data.receipt,
    (r) => r.status === 'PROCESSED',
    10_000,
  );
  expect(receipt).toEqual({ status: 'PROCESSED', expenseId: id });
  return { id, s3Key: `receipts/${adaSub}/${id}.png` };
}

/** The expense's entries in the owner's search index (every partition of theirs, model/search.ts). */
async function searchEntriesOf(expenseId: string): Promise<unknown[]> {
  const db = stackDynamoDb(receipts.stack);
  const entries: unknown[] = [];
  for (const partition of searchPartitionsOf(adaSub)) {
    const out = await db.send(
      new QueryCommand({
        TableName: 'SearchTerms',
        KeyConditionExpression: 'term_key = :k',
        ExpressionAttributeValues: { ':k': partition },
      }),
    );
    entries.push(...(out.Items ?? []).filter((item) => item.expense_id === expenseId));
  }
  return entries;
}

async function objectExists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: receipts.stack.config.receiptsBucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

beforeAll(async () => {
  receipts = await givenReceiptStack('delete');
  ada = await givenSignedInUser(receipts.stack, 'ada@example.com');
  adaSub = JSON.parse(Buffer.from(ada.accessToken.split('.')[1], 'base64url').toString()).sub;
  s3 = new S3Client({
    region: receipts.stack.config.region,
    endpoint: receipts.stack.urls.s3,
    forcePathStyle: true,
    credentials: receipts.stack.config.credentials,
  });
  expect(
    (await call('mutation { createBudget(input: { name: "Everything", period: MONTHLY, amount: 100000 }) { id } }'))
      .body.errors,
  ).toBeUndefined();
});

afterAll(async () => {
  await receipts?.stop();
});

describe('deleteReceipt on the local stack', () => {
  it('given a processed receipt, when deleted with its expense, then the object, the record and the expense are gone and BudgetFn re-evaluated the budgets it counted in', async () => {
    const { id, s3Key } = await givenProcessedReceipt(200);
    const expense = (await call('query ($id: ID!) { expense(id: $id) { date category } }', { id })).body.data.expense;
    expect(await objectExists(s3Key)).toBe(true);
    // OCR indexed the expense it wrote: found by the merchant it read.
    const found = await call('query { searchExpenses(text: "kopi") { items { id } } }');
    expect(found.body.data.searchExpenses.items).toEqual([{ id }]);
    expect((await searchEntriesOf(id)).length).toBeGreaterThan(0);
    await receipts.stack.lambda.drain();
    const evaluationsBefore = receipts.invocations.filter((i) => i.functionName === 'BudgetFn').length;

    const deleted = await call('mutation ($id: ID!) { deleteReceipt(id: $id, deleteExpense: true) { id status } }', {
      id,
    });

    expect(deleted.body.errors).toBeUndefined();
    expect(deleted.body.data.deleteReceipt).toEqual({ id, status: 'PROCESSED' });
    expect(await objectExists(s3Key)).toBe(false);
    expect((await call('query ($id: ID!) { receipt(id: $id) { id } }', { id })).body.errors?.[0].errorType).toBe(
      'NotFound',
    );
    expect((await call('query ($id: ID!) { expense(id: $id) { id } }', { id })).body.errors?.[0].errorType).toBe(
      'NotFound',
    );
    // Its deletion is in its history: made by OCR, deleted by ada through the API.
    const history = await call(
      'query ($id: ID!) { history(itemId: $id, itemType: EXPENSE) { items { action by path } } }',
      {
        id,
      },
    );
    expect(history.body.data.history.items.map((h: Record<string, string>) => [h.action, h.path])).toEqual([
      ['CREATED', 'OCR'],
      ['DELETED', 'API'],
    ]);
    expect(history.body.data.history.items[1].by).toBe(adaSub);
    // Its search entries went with it.
    expect(await searchEntriesOf(id)).toEqual([]);
    await receipts.stack.lambda.drain();
    const evaluations = receipts.invocations.filter((i) => i.functionName === 'BudgetFn').slice(evaluationsBefore);
    expect(evaluations).toHaveLength(1);
    expect(evaluations[0].event).toMatchObject({
      action: 'expenseChanged',
      owner: adaSub,
      before: expense,
      after: null,
    });
    expect(evaluations[0].error).toBeUndefined();
    expect(evaluations[0].result).toEqual({ alerts: 0 });
  });

  it('given a processed receipt, when deleted without its expense, then the object and record are gone and the expense stays, usable, with no receipt link', async () => {
    const { id, s3Key } = await givenProcessedReceipt(120);

    const deleted = await call('mutation ($id: ID!) { deleteReceipt(id: $id) { id } }', { id });

    expect(deleted.body.errors).toBeUndefined();
    expect(await objectExists(s3Key)).toBe(false);
    expect((await call('query ($id: ID!) { receipt(id: $id) { id } }', { id })).body.errors?.[0].errorType).toBe(
      'NotFound',
    );
    const kept = await call('query ($id: ID!) { expense(id: $id) { id amount version receiptId receipt { id } } }', {
      id,
    });
    expect(kept.body.errors).toBeUndefined();
    expect(kept.body.data.expense).toMatchObject({ id, amount: 8500, receiptId: null, receipt: null });
    const edited = await call('mutation ($input: UpdateExpenseInput!) { updateExpense(input: $input) { note } }', {
      input: { id, expectedVersion: kept.body.data.expense.version, note: 'receipt thrown away' },
    });
    expect(edited.body.errors).toBeUndefined();
    expect(edited.body.data.updateExpense).toEqual({ note: 'receipt thrown away' });
  });
});
