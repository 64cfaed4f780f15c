import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishBudgetAlert } from '../../functions/shared/publish.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { createCognito, createExtraRoutes, createResolvers } from '../../local/wiring.ts';
import { startAmplifyProcess, type AmplifyProcess } from './amplify-process.ts';
import {
  givenSignedInUser,
  graphql,
  PASSWORD,
  subscribeOverWebSocket,
  verificationCodeFor,
  eventually,
  budgetAlertFor,
  type SignedInUser,
} from './steps.ts';

/**
 * End to end with AWS's own client: the unmodified aws-amplify v6 (SRP sign-in, generateClient,
 * subscriptions over wss://) against `startLocalStack` with every real module. Amplify runs in
 * a child process (amplify-client.ts) that trusts the stack's certificate via NODE_EXTRA_CA_CERTS.
 */
let stack: LocalStack;
let dataDir: string;
let amplify: AmplifyProcess;
const call = <T = any>(command: string, ...args: unknown[]) => amplify.call<T>(command, ...args);

const EXPENSE = 'id merchant amount currency date category version';

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'e2e-amplify-'));
  stack = await startLocalStack({
    port: 0,
    dataDir,
    quiet: true,
    env: {},
    createResolvers,
    createCognito,
    extraRoutes: createExtraRoutes,
  });
  amplify = await startAmplifyProcess(stack.certificateFile);
  await call('configure', stack.urls.amplifyOutputs);
});

afterAll(async () => {
  amplify?.stop();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a user with the Amplify v6 client', () => {
  const email = 'alice@example.com';
  let alice: { sub: string; accessToken: string };
  let expenseId: string;
  let bob: SignedInUser;

  it('signs up, confirms with the code from the outbox and signs in with SRP', async () => {
    const signUp = await call('signUp', email, PASSWORD);
    expect(signUp.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    const confirmed = await call('confirmSignUp', email, await verificationCodeFor(stack, email));
    expect(confirmed.isSignUpComplete).toBe(true);
    const signedIn = await call('signIn', email, PASSWORD);
    expect(signedIn.isSignedIn).toBe(true);
    alice = await call('session');
    expect(alice.sub).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('creates, lists, updates and deletes expenses', async () => {
    const created = await call(
      'graphql',
      `mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { ${EXPENSE} } }`,
      {
        input: { merchant: 'Corner Cafe', amount: 1250, currency: 'EUR', date: '2026-11-20', category: 'DINING' },
      },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createExpense).toMatchObject({
      merchant: 'Corner Cafe',
      amount: 1250,
      currency: 'EUR',
      category: 'DINING',
      version: 1,
    });
    expenseId = created.data.createExpense.id;

    const listed = await call('graphql', `query { listExpenses(limit: 20) { items { ${EXPENSE} } nextToken } }`);
    expect(listed.data.listExpenses.items.map((e: { id: string }) => e.id)).toEqual([expenseId]);

    const updated = await call(
      'graphql',
      `mutation ($input: UpdateExpenseInput!) { updateExpense(input: $input) { ${EXPENSE} } }`,
      {
        input: { id: expenseId, expectedVersion: 1, amount: 1400 },
      },
    );
    expect(updated.data.updateExpense).toMatchObject({ id: expenseId, amount: 1400, version: 2 });

    const stale = await call(
      'graphql',
      `mutation ($input: UpdateExpenseInput!) { updateExpense(input: $input) { id } }`,
      { input: { id: expenseId, expectedVersion: 1, amount: 1 } },
    );
    expect(stale.errors[0].errorType).toBe('Conflict');

    const kept = await call(
      'graphql',
      `mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }`,
      {
        input: { merchant: 'Grocer', amount: 5230, currency: 'EUR', date: '2026-11-21', category: 'GROCERIES' },
      },
    );
    const deleted = await call('graphql', `mutation ($id: ID!) { deleteExpense(id: $id) { id } }`, { id: expenseId });
    expect(deleted.data.deleteExpense.id).toBe(expenseId);
    const after = await call('graphql', `query { listExpenses { items { id } } }`);
    expect(after.data.listExpenses.items).toEqual([{ id: kept.data.createExpense.id }]);
    expenseId = kept.data.createExpense.id;
  });

  it('receives its budget alert published by an IAM-signed mutation; another user never does', async () => {
    bob = await givenSignedInUser(stack, 'bob@example.com');
    await call(
      'subscribe',
      'alerts',
      'subscription { onBudgetAlert { owner budgetName threshold spent limit currency } }',
    );
    const bobSocket = await subscribeOverWebSocket(
      stack,
      bob.accessToken,
      'subscription { onBudgetAlert { owner threshold } }',
    );
    await eventually(
      () => stack.realtime.subscriberCount(),
      (n) => n >= 2,
    );

    await publishBudgetAlert(budgetAlertFor(alice.sub, 80));
    const received = await eventually(
      () => call('received', 'alerts'),
      (r) => r.events.length >= 1,
    );
    expect(received.errors).toEqual([]);
    expect(received.events).toEqual([
      {
        onBudgetAlert: {
          owner: alice.sub,
          budgetName: 'Eating out',
          threshold: 80,
          spent: 8000,
          limit: 10000,
          currency: 'EUR',
        },
      },
    ]);
    // Bob's own alert reaches Bob, proving his subscription is live; Alice's never does.
    const bobSub = decodeJwt(bob.accessToken).sub!;
    await publishBudgetAlert(budgetAlertFor(bobSub, 50));
    await eventually(
      () => bobSocket.data,
      (d) => d.length >= 1,
    );
    expect(bobSocket.data).toEqual([{ onBudgetAlert: { owner: bobSub, threshold: 50 } }]);
    expect((await call('received', 'alerts')).events).toHaveLength(1);
    bobSocket.socket.close();
    await call('unsubscribe', 'alerts');
  });

  it('another user can never read or change its data', async () => {
    const read = await graphql(
      stack.urls.graphql,
      `
        query ($id: ID!) {
          expense(id: $id) {
            id
          }
        }
      `,
      { id: expenseId },
      bob.accessToken,
    );
    expect(read.body.data?.expense ?? null).toBeNull();
    const list = await graphql(
      stack.urls.graphql,
      `
        query {
          listExpenses {
            items {
              id
            }
          }
        }
      `,
      {},
      bob.accessToken,
    );
    expect(list.body.data.listExpenses.items).toEqual([]);
    const remove = await graphql(
      stack.urls.graphql,
      `
        mutation ($id: ID!) {
          deleteExpense(id: $id) {
            id
          }
        }
      `,
      { id: expenseId },
      bob.accessToken,
    );
    expect(remove.body.errors?.[0].errorType).toBe('NotFound');
    const mine = await call('graphql', `query ($id: ID!) { expense(id: $id) { id } }`, { id: expenseId });
    expect(mine.data.expense.id).toBe(expenseId);
  });

  it('cannot call the internal publish mutations with its Cognito token', async () => {
    const answer = await call(
      'graphql',
      `mutation ($input: BudgetAlertInput!) { publishBudgetAlert(input: $input) { owner } }`,
      { input: budgetAlertFor(alice.sub, 100) },
    );
    expect(answer.errors).toEqual([
      { message: 'Not Authorized to access publishBudgetAlert on type Mutation', errorType: 'Unauthorized' },
    ]);
  });
});
