import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUserSession,
  importReceipts,
  progressLines,
  type StackOutputs,
} from '../../local/cli/import-receipts.ts';
import { givenSignedInUser, graphql, PASSWORD, stackDynamoDb, type SignedInUser } from '../e2e/steps.ts';
import { givenReceiptStack, type ReceiptStack } from '../support/receipt-stack.ts';

/**
 * `npm run import` (its core, in-process) against the local stack: a folder of receipts is
 * imported once, the same bytes under two names make one receipt, a re-run skips everything,
 * a presigned upload abandoned earlier does not block the file for ever, progress shows as
 * plain lines off a terminal, and the session refreshes its token before it expires.
 */
let receipts: ReceiptStack;
let ada: SignedInUser;
let dir: string;
let outputs: StackOutputs;

const call = (query: string, variables: Record<string, unknown> = {}) =>
  graphql(receipts.stack.urls.graphql, query, variables, ada.accessToken);
const png = (red: number) =>
  sharp({ create: { width: 48, height: 48, channels: 3, background: { r: red, g: 90, b: 30 } } })
    .png()
    .toBuffer();

beforeAll(async () => {
  receipts = await givenReceiptStack('import');
  ada = await givenSignedInUser(receipts.stack, 'ada@example.com');
  outputs = receipts.stack.amplifyOutputs as unknown as StackOutputs;
  dir = await mkdtemp(path.join(tmpdir(), 'import-dir-'));
  await writeFile(path.join(dir, 'a.png'), await png(10));
  await writeFile(path.join(dir, 'b.png'), await png(200));
  await copyFile(path.join(dir, 'a.png'), path.join(dir, 'c-copy-of-a.png'));
  await writeFile(path.join(dir, 'notes.txt'), 'not a receipt');
});

afterAll(async () => {
  await receipts?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run import', () => {
  it('given a file whose presigned upload was abandoned and swept as FAILED, and the same bytes under two names, when imported, then each file is one processed receipt and the copy a duplicate; a re-run skips all', async () => {
    // An earlier attempt asked for an upload URL for a.png and never used it; 30 minutes later the sweep gave up on it.
    const a = await png(10);
    const abandoned = await call(
      'mutation ($input: CreateReceiptUploadInput!) { createReceiptUpload(input: $input) { receipt { id } } }',
      {
        input: {
          contentType: 'image/png',
          size: a.length,
          sha256: createHash('sha256').update(a).digest('hex'),
          fileName: 'a.png',
        },
      },
    );
    const abandonedId = abandoned.body.data.createReceiptUpload.receipt.id as string;
    const db = stackDynamoDb(receipts.stack);
    const owner = JSON.parse(Buffer.from(ada.accessToken.split('.')[1], 'base64url').toString()).sub;
    await db.send(
      new UpdateCommand({
        TableName: 'Receipts',
        Key: { user_id: owner, receipt_id: abandonedId },
        UpdateExpression: 'SET updatedAt = :then',
        ExpressionAttributeValues: { ':then': new Date(Date.now() - 30 * 60 * 1000).toISOString() },
      }),
    );
    await receipts.stack.lambda.invoke('ProcessReceiptFn', { action: 'sweep' }, 'RequestResponse');
    // The sweep the stack runs at start may be the one that took it: wait for it too.
    await receipts.stack.lambda.drain();
    expect(
      (await call('query ($id: ID!) { receipt(id: $id) { status error } }', { id: abandonedId })).body.data.receipt,
    ).toEqual({ status: 'FAILED', error: 'ValidationError: The image was never uploaded or has been deleted' });

    const lines: string[] = [];
    const first = await importReceipts({
      dir,
      outputs,
      session: createUserSession(outputs, ada.email, PASSWORD),
      progress: progressLines((line) => lines.push(line), 0),
      waitMs: 20_000,
    });

    expect(first).toEqual({
      files: 3,
      counts: { PROCESSED: 2, NEEDS_REVIEW: 0, FAILED: 0, DUPLICATE: 1, ERROR: 0 },
      problems: [],
    });
    const listed = (await call('query { listReceipts(limit: 100) { items { id status fileName } } }')).body.data
      .listReceipts.items as Array<{ id: string; status: string; fileName: string }>;
    expect(listed.map((r) => [r.fileName, r.status]).sort()).toEqual([
      ['a.png', 'PROCESSED'],
      ['b.png', 'PROCESSED'],
    ]);
    expect(listed.find((r) => r.fileName === 'a.png')!.id).toBe(abandonedId);
    expect(lines[0]).toBe('importing 3 files');
    expect(lines.at(-1)).toMatch(/^importing 3\/3 \(2 processed, 0 need review, 0 failed, 1 duplicates, 0 errors\)/);

    const again = await importReceipts({
      dir,
      outputs,
      session: createUserSession(outputs, ada.email, PASSWORD),
      waitMs: 20_000,
    });
    expect(again.counts).toEqual({ PROCESSED: 0, NEEDS_REVIEW: 0, FAILED: 0, DUPLICATE: 3, ERROR: 0 });
    expect(
      (await call('query { listReceipts(limit: 100) { items { id } } }')).body.data.listReceipts.items,
    ).toHaveLength(2);
  });

  it('given a session whose token is about to expire, when the next request needs it, then it is refreshed with the refresh token and works', async () => {
    let clock = Date.now();
    const session = createUserSession(outputs, ada.email, PASSWORD, () => clock);
    const first = await session.token();
    expect(await session.token()).toBe(first);

    clock += 56 * 60 * 1000;
    const refreshed = await session.token();

    expect(refreshed).not.toBe(first);
    const me = await graphql(receipts.stack.urls.graphql, 'query { me { email } }', {}, refreshed);
    expect(me.body).toEqual({ data: { me: { email: ada.email } } });
  });
});
