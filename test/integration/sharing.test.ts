import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMimeMessage } from '../../local/ses-outbox.ts';
import type { LocalStack } from '../../local/stack.ts';
import {
  eventually,
  givenRunningStack,
  givenSignedInUser,
  graphql,
  subscribeOverWebSocket,
  type SignedInUser,
} from '../e2e/steps.ts';

/**
 * Sharing expenses through the API on the whole local system (AppSync runtime, SharingFn, the
 * IAM-signed publish, the WebSocket subscription, SES into the outbox), with three signed-up
 * people and one address with no account: Ada pays and shares, Bob and Cy see their shares and
 * what they owe, a stranger sees nothing, retries change nothing, and payments settle up.
 */
let stack: LocalStack;
let stopStack: () => Promise<void>;
let ada: SignedInUser;
let bob: SignedInUser;
let cy: SignedInUser;
let eve: SignedInUser;
let bobPushes: Awaited<ReturnType<typeof subscribeOverWebSocket>>;
let evePushes: Awaited<ReturnType<typeof subscribeOverWebSocket>>;
let adaPushes: Awaited<ReturnType<typeof subscribeOverWebSocket>>;

const SHARED_FIELDS =
  'id payerEmail paidByMe merchant amount currency method myShare participants { email amount payer }';

async function call(who: SignedInUser, query: string, variables: Record<string, unknown> = {}) {
  const answer = await graphql(stack.urls.graphql, query, variables, who.accessToken);
  return answer.body as { data?: any; errors?: Array<{ errorType?: string; errorInfo?: any; message: string }> };
}

async function ok(who: SignedInUser, query: string, variables: Record<string, unknown> = {}) {
  const body = await call(who, query, variables);
  if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function expense(who: SignedInUser, merchant: string, amount: number, currency: string): Promise<string> {
  const { createExpense } = await ok(
    who,
    'mutation ($input: CreateExpenseInput!) { createExpense(input: $input) { id } }',
    { input: { merchant, amount, currency, date: '2026-11-28', category: 'DINING' } },
  );
  return createExpense.id;
}

const share = (who: SignedInUser, input: Record<string, unknown>) =>
  call(who, `mutation ($input: ShareExpenseInput!) { shareExpense(input: $input) { ${SHARED_FIELDS} } }`, { input });

async function balances(who: SignedInUser) {
  const { shareBalances } = await ok(who, '{ shareBalances { email currency amount text } }');
  return shareBalances as Array<{ email: string; currency: string; amount: number; text: string }>;
}

async function emailsTo(address: string) {
  const found: Array<{ subject: string; text: string; messageId: string }> = [];
  for (const message of await stack.outbox.list()) {
    if (!message.to.includes(address) || message.subject.includes('code')) continue;
    const mime = readMimeMessage(await (await fetch(`${stack.urls.outbox}/${message.id}.eml`)).text());
    found.push({ subject: message.subject, text: mime.text ?? '', messageId: mime.headers['message-id'] });
  }
  return found;
}

/** The onShareEvent pushes of one kind a subscriber got, once there are at least `count`. */
const pushesOfKind = (pushes: typeof bobPushes, kind: string, count: number) =>
  eventually(
    () => pushes.data.map((d) => (d as { onShareEvent: { kind: string } }).onShareEvent).filter((e) => e.kind === kind),
    (events) => events.length >= count,
    5000,
  );

beforeAll(async () => {
  ({ stack, stop: stopStack } = await givenRunningStack('sharing'));
  ada = await givenSignedInUser(stack, 'ada@example.com');
  bob = await givenSignedInUser(stack, 'bob@example.com');
  cy = await givenSignedInUser(stack, 'cy@example.com');
  eve = await givenSignedInUser(stack, 'eve@example.com');
  bobPushes = await subscribeOverWebSocket(
    stack,
    bob.accessToken,
    'subscription { onShareEvent { id kind fromEmail amount currency text } }',
  );
  evePushes = await subscribeOverWebSocket(stack, eve.accessToken, 'subscription { onShareEvent { id } }');
  adaPushes = await subscribeOverWebSocket(
    stack,
    ada.accessToken,
    'subscription { onShareEvent { kind amount text } }',
  );
}, 60_000);

afterAll(async () => {
  bobPushes?.socket.close();
  evePushes?.socket.close();
  adaPushes?.socket.close();
  await stopStack?.();
});

describe('sharing an expense', () => {
  let dinnerId: string;
  let sharedId: string;

  it('given Ada’s 100.00 EUR dinner, when she shares it equally with Bob and Cy by email, then each of them sees it with their share, and Bob is told by push and email', async () => {
    dinnerId = await expense(ada, 'Trattoria Roma', 10000, 'EUR');
    const answer = await share(ada, {
      expenseId: dinnerId,
      method: 'EQUAL',
      participants: [{ email: 'Bob@Example.com' }, { email: 'cy@example.com' }],
    });
    expect(answer.errors).toBeUndefined();
    const shared = answer.data.shareExpense;
    sharedId = shared.id;
    expect(shared).toMatchObject({ paidByMe: true, amount: 10000, currency: 'EUR', myShare: 3334 });
    expect(shared.participants).toEqual([
      { email: 'ada@example.com', amount: 3334, payer: true },
      { email: 'bob@example.com', amount: 3333, payer: false },
      { email: 'cy@example.com', amount: 3333, payer: false },
    ]);

    const { sharedExpense } = await ok(bob, `query ($id: ID!) { sharedExpense(id: $id) { ${SHARED_FIELDS} } }`, {
      id: sharedId,
    });
    expect(sharedExpense).toMatchObject({
      payerEmail: 'ada@example.com',
      paidByMe: false,
      myShare: 3333,
      merchant: 'Trattoria Roma',
    });
    const { listSharedExpenses } = await ok(cy, `{ listSharedExpenses { items { id myShare } nextToken } }`);
    expect(listSharedExpenses.items).toEqual([{ id: sharedId, myShare: 3333 }]);

    await eventually(
      () => bobPushes.data.length,
      (n) => n >= 1,
      5000,
    );
    expect(bobPushes.data).toEqual([
      {
        onShareEvent: {
          // One sharing of the expense among others (its createdAt): a share withdrawn and shared again has new ids.
          id: expect.stringMatching(new RegExp(`^shared:${sharedId}:[0-9a-z]+:bob@example\\.com$`)),
          kind: 'SHARED',
          fromEmail: 'ada@example.com',
          amount: 3333,
          currency: 'EUR',
          text: 'ada@example.com shared Trattoria Roma (€100.00, 2026-11-28) with you: your share is €33.33.',
        },
      },
    ]);
    const mails = await emailsTo('bob@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('ada@example.com shared an expense with you: your share is €33.33');
    expect(mails[0].text).toContain('your share is €33.33');
  });

  it('given the shared dinner, when Eve (not a participant) asks for it or tries to share Ada’s expense, then she gets NotFound exactly as for an id that never existed, and hears nothing', async () => {
    const query = `query ($id: ID!) { sharedExpense(id: $id) { id } }`;
    const withReal = await call(eve, query, { id: sharedId });
    const withNone = await call(eve, query, { id: '01JAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(withReal.errors?.[0]).toMatchObject({ errorType: 'NotFound' });
    expect(withReal).toEqual(withNone);
    const stolen = await share(eve, {
      expenseId: dinnerId,
      method: 'EQUAL',
      participants: [{ email: 'eve2@example.com' }],
    });
    expect(stolen.errors?.[0]).toMatchObject({ errorType: 'NotFound', errorInfo: { field: 'expenseId' } });
    expect((await ok(eve, '{ listSharedExpenses { items { id } } }')).listSharedExpenses.items).toEqual([]);
    expect(await balances(eve)).toEqual([]);
    expect(evePushes.data).toEqual([]);
  });

  it('given the share, when Ada’s call is retried (twice, and at once), then nothing is shared, owed or sent twice; a different split is a Conflict', async () => {
    const input = {
      expenseId: dinnerId,
      method: 'EQUAL',
      participants: [{ email: 'bob@example.com' }, { email: 'cy@example.com' }],
    };
    const again = await Promise.all([share(ada, input), share(ada, input)]);
    for (const answer of again) expect(answer.data.shareExpense.id).toBe(sharedId);
    expect((await ok(bob, '{ listSharedExpenses { items { id } } }')).listSharedExpenses.items).toHaveLength(1);
    expect(await balances(bob)).toEqual([
      { email: 'ada@example.com', currency: 'EUR', amount: -3333, text: 'You owe ada@example.com €33.33' },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bobPushes.data).toHaveLength(1);
    expect(await emailsTo('bob@example.com')).toHaveLength(1);
    const other = await share(ada, { ...input, participants: [{ email: 'bob@example.com' }] });
    expect(other.errors?.[0]).toMatchObject({ errorType: 'Conflict', errorInfo: { field: 'expenseId', id: sharedId } });
  });

  it('given bad inputs, then each is a ValidationError naming its field', async () => {
    const lunch = await expense(ada, 'Deli', 2000, 'EUR');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ method: 'EQUAL', participants: [{ email: 'ada@example.com' }] }, 'participants.0.email'],
      [
        { method: 'EQUAL', participants: [{ email: 'bob@example.com' }, { email: 'BOB@example.com' }] },
        'participants.1.email',
      ],
      [{ method: 'EQUAL', participants: [] }, 'participants'],
      [{ method: 'AMOUNTS', participants: [{ email: 'bob@example.com', amount: 2001 }] }, 'participants'],
      [{ method: 'AMOUNTS', participants: [{ email: 'bob@example.com' }] }, 'participants.0.amount'],
      [
        { method: 'PERCENTAGES', participants: [{ email: 'bob@example.com', percent: 100.5 }] },
        'participants.0.percent',
      ],
      [{ method: 'EQUAL', participants: [{ email: 'bob@example.com', amount: 5 }] }, 'participants.0.amount'],
    ];
    for (const [input, field] of cases) {
      const answer = await share(ada, { expenseId: lunch, ...input });
      expect(answer.errors?.[0], JSON.stringify(input)).toMatchObject({
        errorType: 'ValidationError',
        errorInfo: { field },
      });
    }
    const settle = await call(
      bob,
      'mutation ($input: SettleShareBalanceInput!) { settleShareBalance(input: $input) { id } }',
      { input: { email: 'cy@example.com', currency: 'EUR', requestId: 'x' } },
    );
    expect(settle.errors?.[0]).toMatchObject({ errorType: 'ValidationError', errorInfo: { field: 'email' } });
    // Nothing was shared by the refused calls.
    expect((await ok(ada, '{ listSharedExpenses { items { id } } }')).listSharedExpenses.items).toEqual([
      { id: sharedId },
    ]);
  });
});

describe('balances and settling up', () => {
  it('given several shares in EUR and JPY both ways, then balances are per person and per currency, exact, and opposite on either side', async () => {
    // Bob pays 3,000 JPY of ramen for him and Ada, by amounts: Ada's part 1,200.
    const ramen = await expense(bob, 'Ramen Ya', 3000, 'JPY');
    expect(
      (
        await share(bob, {
          expenseId: ramen,
          method: 'AMOUNTS',
          participants: [{ email: 'ada@example.com', amount: 1200 }],
        })
      ).errors,
    ).toBeUndefined();
    // Ada pays 10.00 EUR of taxi, 25 % each for Bob and Cy.
    const taxi = await expense(ada, 'Taxi', 1000, 'EUR');
    expect(
      (
        await share(ada, {
          expenseId: taxi,
          method: 'PERCENTAGES',
          participants: [
            { email: 'bob@example.com', percent: 25 },
            { email: 'cy@example.com', percent: 25 },
          ],
        })
      ).errors,
    ).toBeUndefined();
    // Cy pays 1,001 JPY of tea, equal three ways: 333.67 each, so the two units left go to Cy (the payer) and Ada (listed first).
    const tea = await expense(cy, 'Tea House', 1001, 'JPY');
    expect(
      (
        await share(cy, {
          expenseId: tea,
          method: 'EQUAL',
          participants: [{ email: 'ada@example.com' }, { email: 'bob@example.com' }],
        })
      ).errors,
    ).toBeUndefined();

    expect(await balances(ada)).toEqual([
      { email: 'bob@example.com', currency: 'EUR', amount: 3333 + 250, text: 'bob@example.com owes you €35.83' },
      { email: 'bob@example.com', currency: 'JPY', amount: -1200, text: 'You owe bob@example.com ¥1,200' },
      { email: 'cy@example.com', currency: 'EUR', amount: 3333 + 250, text: 'cy@example.com owes you €35.83' },
      { email: 'cy@example.com', currency: 'JPY', amount: -334, text: 'You owe cy@example.com ¥334' },
    ]);
    expect(await balances(bob)).toEqual([
      { email: 'ada@example.com', currency: 'EUR', amount: -3583, text: 'You owe ada@example.com €35.83' },
      { email: 'ada@example.com', currency: 'JPY', amount: 1200, text: 'ada@example.com owes you ¥1,200' },
      { email: 'cy@example.com', currency: 'JPY', amount: -333, text: 'You owe cy@example.com ¥333' },
    ]);
    expect((await balances(cy)).map((b) => [b.email, b.currency, b.amount])).toEqual([
      ['ada@example.com', 'EUR', -3583],
      ['ada@example.com', 'JPY', 334],
      ['bob@example.com', 'JPY', 333],
    ]);
  });

  it('given Bob owes Ada 35.83 EUR, when he pays 10.00 and then the rest (the last call retried), then the balance goes to zero once, and Ada is told each time', async () => {
    const settle = (input: Record<string, unknown>) =>
      call(
        bob,
        'mutation ($input: SettleShareBalanceInput!) { settleShareBalance(input: $input) { id email currency amount paidByMe balance } }',
        { input },
      );
    const part = await settle({ email: 'ada@example.com', currency: 'EUR', amount: 1000, requestId: 'pay-1' });
    expect(part.data.settleShareBalance).toMatchObject({ amount: 1000, paidByMe: true, balance: -2583 });
    const tooMuch = await settle({ email: 'ada@example.com', currency: 'EUR', amount: 2584, requestId: 'pay-x' });
    expect(tooMuch.errors?.[0]).toMatchObject({
      errorType: 'ValidationError',
      errorInfo: { field: 'amount', limit: 2583 },
    });
    const rest = await settle({ email: 'ada@example.com', currency: 'EUR', requestId: 'pay-2' });
    expect(rest.data.settleShareBalance).toMatchObject({ amount: 2583, balance: 0 });
    const retried = await settle({ email: 'ada@example.com', currency: 'EUR', requestId: 'pay-2' });
    expect(retried.data.settleShareBalance).toEqual(rest.data.settleShareBalance);
    expect((await balances(bob)).filter((b) => b.currency === 'EUR')).toEqual([]);
    expect((await balances(ada)).find((b) => b.email === 'bob@example.com' && b.currency === 'EUR')).toBeUndefined();
    // JPY is untouched: currencies never mix.
    expect((await balances(ada)).find((b) => b.email === 'bob@example.com')).toMatchObject({
      currency: 'JPY',
      amount: -1200,
    });
    const settled = await pushesOfKind(adaPushes, 'SETTLED', 2);
    expect(settled).toEqual([
      { kind: 'SETTLED', amount: 1000, text: 'bob@example.com paid you €10.00.' },
      { kind: 'SETTLED', amount: 2583, text: 'bob@example.com paid you €25.83.' },
    ]);
    const toAda = (await emailsTo('ada@example.com')).filter((m) => m.subject.includes('paid you'));
    expect(toAda.map((m) => m.subject)).toEqual(['bob@example.com paid you €10.00', 'bob@example.com paid you €25.83']);
  });
});

describe('paying at the same moment', () => {
  it('given Cy owes Ada 10.00 GBP, when Cy pays 7.00 from two devices and Ada records 7.00 from Cy, all at once, then one payment is recorded, the others are told the balance is now 3.00, and nobody is paid past zero', async () => {
    const lunch = await expense(ada, 'Lunch', 2000, 'GBP');
    await share(ada, {
      expenseId: lunch,
      method: 'AMOUNTS',
      participants: [{ email: 'cy@example.com', amount: 1000 }],
    });
    const settle = (who: SignedInUser, email: string, requestId: string) =>
      call(
        who,
        'mutation ($input: SettleShareBalanceInput!) { settleShareBalance(input: $input) { amount balance } }',
        {
          input: { email, currency: 'GBP', amount: 700, requestId },
        },
      );
    const answers = await Promise.all([
      settle(cy, 'ada@example.com', 'phone'),
      settle(cy, 'ada@example.com', 'laptop'),
      settle(ada, 'cy@example.com', 'cash'),
    ]);
    expect(answers.filter((a) => a.data?.settleShareBalance)).toHaveLength(1);
    expect(answers.flatMap((a) => a.errors ?? [])).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'amount', limit: 300 } }),
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'amount', limit: 300 } }),
    ]);
    expect((await balances(cy)).find((b) => b.currency === 'GBP')).toMatchObject({ amount: -300 });
    expect((await balances(ada)).find((b) => b.email === 'cy@example.com' && b.currency === 'GBP')).toMatchObject({
      amount: 300,
    });
  });
});

describe('withdrawing a share', () => {
  const unshare = (who: SignedInUser, id: string, email?: string) =>
    call(
      who,
      'mutation ($id: ID!, $email: AWSEmail) { unshareExpense(id: $id, email: $email) { id myShare participants { email amount payer } } }',
      { id, email },
    );
  const chf = async (who: SignedInUser, email: string) =>
    (await balances(who)).find((b) => b.email === email && b.currency === 'CHF')?.amount ?? 0;

  it('given Ada’s 30.00 CHF taxi shared with Bob and Cy, Bob having paid 4.00, when Ada deletes the expense and then withdraws Bob’s share, then the share stays until withdrawn, Bob no longer sees it or owes for it, Ada owes him back his 4.00, Bob is told once, and Cy’s share is untouched', async () => {
    const taxi = await expense(ada, 'Taxi', 3000, 'CHF');
    const { id } = (
      await share(ada, {
        expenseId: taxi,
        method: 'EQUAL',
        participants: [{ email: 'bob@example.com' }, { email: 'cy@example.com' }],
      })
    ).data.shareExpense;
    await ok(bob, 'mutation ($input: SettleShareBalanceInput!) { settleShareBalance(input: $input) { id } }', {
      input: { email: 'ada@example.com', currency: 'CHF', amount: 400, requestId: 'taxi-1' },
    });
    // Deleting the expense withdraws nothing: what was shared stays owed.
    await ok(ada, 'mutation ($id: ID!) { deleteExpense(id: $id) { id } }', { id: taxi });
    expect(await chf(cy, 'ada@example.com')).toBe(-1000);

    const first = await unshare(ada, id, 'BOB@example.com');
    expect(first.errors).toBeUndefined();
    expect(first.data.unshareExpense).toEqual({
      id,
      myShare: 2000,
      participants: [
        { email: 'ada@example.com', amount: 2000, payer: true },
        { email: 'cy@example.com', amount: 1000, payer: false },
      ],
    });
    expect((await unshare(ada, id, 'bob@example.com')).data).toEqual(first.data);
    const { listSharedExpenses } = await ok(bob, '{ listSharedExpenses(limit: 100) { items { id } } }');
    expect(listSharedExpenses.items).not.toContainEqual({ id });
    expect((await call(bob, 'query ($id: ID!) { sharedExpense(id: $id) { id } }', { id })).errors?.[0]).toMatchObject({
      errorType: 'NotFound',
    });
    expect(await chf(bob, 'ada@example.com')).toBe(400);
    expect(await chf(ada, 'bob@example.com')).toBe(-400);
    expect(await chf(ada, 'cy@example.com')).toBe(1000);
    const { sharedExpense } = await ok(cy, 'query ($id: ID!) { sharedExpense(id: $id) { participants { email } } }', {
      id,
    });
    expect(sharedExpense.participants.map((p: { email: string }) => p.email)).toEqual([
      'ada@example.com',
      'cy@example.com',
    ]);

    const told = await pushesOfKind(bobPushes, 'UNSHARED', 1);
    expect(told).toEqual([
      {
        id: expect.stringMatching(new RegExp(`^unshared:${id}:[0-9a-z]+:bob@example\\.com$`)),
        kind: 'UNSHARED',
        fromEmail: 'ada@example.com',
        amount: 1000,
        currency: 'CHF',
        text: 'ada@example.com withdrew Taxi (CHF\u00a030.00, 2026-11-28): you no longer owe your share of CHF\u00a010.00.',
      },
    ]);
    const mails = (await emailsTo('bob@example.com')).filter((m) => m.subject.includes('withdrew'));
    expect(mails.map((m) => m.subject)).toEqual([
      'ada@example.com withdrew a shared expense: you no longer owe CHF\u00a010.00',
    ]);

    // Only the payer withdraws: a participant, a stranger and a made-up id get the same NotFound.
    for (const [who, shareId] of [
      [cy, id],
      [eve, id],
      [ada, '01JF0000000000000000000000'],
    ] as const)
      expect((await unshare(who, shareId)).errors?.[0]).toMatchObject({
        errorType: 'NotFound',
        errorInfo: { field: 'id' },
      });

    // From everyone: gone from every list, and a retry answers the same.
    const all = await unshare(ada, id);
    expect(all).toEqual({ data: { unshareExpense: null } });
    expect(await unshare(ada, id)).toEqual(all);
    expect(await chf(cy, 'ada@example.com')).toBe(0);
    for (const who of [ada, cy]) {
      const { listSharedExpenses: list } = await ok(who, '{ listSharedExpenses(limit: 100) { items { id } } }');
      expect(list.items).not.toContainEqual({ id });
    }
  });
});

describe('an email with no account', () => {
  it('given a share with an address that has no account, then the answer looks like any other, an invitation is emailed, and once they sign up the share and what they owe are theirs', async () => {
    const concert = await expense(ada, 'Concert', 9000, 'EUR');
    const answer = await share(ada, {
      expenseId: concert,
      method: 'EQUAL',
      participants: [{ email: 'dee@example.com' }],
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.shareExpense.participants).toEqual([
      { email: 'ada@example.com', amount: 4500, payer: true },
      { email: 'dee@example.com', amount: 4500, payer: false },
    ]);
    expect((await balances(ada)).find((b) => b.email === 'dee@example.com')).toMatchObject({ amount: 4500 });
    const invitation = await emailsTo('dee@example.com');
    expect(invitation).toHaveLength(1);
    expect(invitation[0].text).toContain('Sign up to Smart Expense Tracker with this address (dee@example.com)');

    const dee = await givenSignedInUser(stack, 'dee@example.com');
    expect(await balances(dee)).toEqual([
      { email: 'ada@example.com', currency: 'EUR', amount: -4500, text: 'You owe ada@example.com €45.00' },
    ]);
    const { listSharedExpenses } = await ok(dee, '{ listSharedExpenses { items { merchant myShare payerEmail } } }');
    expect(listSharedExpenses.items).toEqual([{ merchant: 'Concert', myShare: 4500, payerEmail: 'ada@example.com' }]);
    // Told once: signing up sends no second notice.
    expect(await emailsTo('dee@example.com')).toHaveLength(1);
    // Ada hears that Dee now sees it (a push, no email).
    expect(await pushesOfKind(adaPushes, 'JOINED', 1)).toEqual([
      { kind: 'JOINED', amount: 4500, text: 'dee@example.com signed up and now sees Concert: their share is €45.00.' },
    ]);
  });
});
