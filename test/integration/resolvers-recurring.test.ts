import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertMessageId, runDailyCheck } from '../../functions/recurring/daily-check.ts';
import { dailyCheckPortsOn } from '../../functions/recurring/dynamo.ts';
import { todayIn } from '../../functions/shared/periods.ts';
import { addDaysTo, stepFrom, type RecurringRuleItem } from '../../model/recurring.ts';
import { givenProfile, startResolverHarness, type ResolverHarness } from '../support/resolver-harness.ts';

/**
 * Recurring charges through the resolvers and RecurringFn on dynalite: expenses typed in
 * through createExpense, candidates detected from them, confirmed, dismissed and deleted, and
 * the charges the rules expect. Dates are relative to the user's today (Europe/Paris).
 */
let h: ResolverHarness;
const today = todayIn('Europe/Paris', new Date());
const monthly31 = { day: 31, month: 1 };
/** Six monthly charges on the 31st (the last day of shorter months), the latest in the month before this one. */
const netflixDates = Array.from({ length: 6 }, (_, i) => stepFrom(today, 'MONTHLY', monthly31, i - 6));
/** Eight weekly charges, the latest 1..7 days ago. */
const gymDates = Array.from({ length: 8 }, (_, i) => addDaysTo(today, -1 - 7 * (7 - i)));
const NETFLIX = 'MONTHLY#EUR#netflixcom';
const GYM = 'WEEKLY#EUR#fitgymberlin';

async function create(merchant: string, amount: number, date: string, sub = 'user-a'): Promise<void> {
  const out = await h.call(
    'Mutation',
    'createExpense',
    { input: { merchant, amount, date, category: 'OTHER' } },
    { sub },
  );
  expect(out.errors).toEqual([]);
}

async function call(typeName: string, fieldName: string, args: Record<string, unknown> = {}, sub = 'user-a') {
  return h.call(typeName, fieldName, args, { sub });
}

async function candidateIds(sub = 'user-a'): Promise<string[]> {
  const out = await call('Query', 'recurringCandidates', {}, sub);
  expect(out.errors).toEqual([]);
  return (out.data as Array<{ id: string }>).map((c) => c.id).sort();
}

beforeAll(async () => {
  h = await startResolverHarness();
  for (const sub of ['user-a', 'user-b']) await givenProfile(h.db, sub);
  for (const [i, date] of netflixDates.entries())
    await create(i === 2 ? 'NETFLIX.COM 866-579-7172' : 'Netflix.com', 1799, date);
  for (const date of gymDates) await create('FitGym Berlin', 2500, date);
  // Noise: coffee on irregular days, groceries of varied amounts, a one-off.
  for (const [i, back] of [2, 3, 7, 8, 12, 19, 20, 26, 33, 34].entries()) {
    await create('Corner Café', 450, addDaysTo(today, -back));
    await create('REWE Markt', 1800 + 1370 * i, addDaysTo(today, -back));
  }
  await create('IKEA', 24999, addDaysTo(today, -40));
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('recurring charges', () => {
  it('given a monthly streaming charge on the 31st and a weekly gym fee among everyday noise, when candidates are asked for, then just those two are proposed, with cadence, amount and next charge', async () => {
    const out = await call('Query', 'recurringCandidates');
    expect(out.errors).toEqual([]);
    const byId = new Map((out.data as Array<Record<string, unknown>>).map((c) => [c.id, c]));
    expect([...byId.keys()].sort()).toEqual([NETFLIX, GYM].sort());
    expect(byId.get(NETFLIX)).toMatchObject({
      cadence: 'MONTHLY',
      amount: 1799,
      currency: 'EUR',
      occurrences: 6,
      lastDate: netflixDates[5],
      nextDate: stepFrom(netflixDates[5], 'MONTHLY', monthly31, 1),
    });
    expect(byId.get(GYM)).toMatchObject({ cadence: 'WEEKLY', amount: 2500, nextDate: addDaysTo(gymDates[7], 7) });
  });

  it('given another user, when they ask for candidates or confirm or dismiss hers, then they see nothing and get NotFound', async () => {
    expect(await candidateIds('user-b')).toEqual([]);
    for (const [field, args] of [
      ['confirmRecurring', { input: { id: NETFLIX } }],
      ['dismissRecurring', { id: NETFLIX }],
      ['deleteRecurring', { id: NETFLIX }],
    ] as const) {
      const out = await call('Mutation', field, args, 'user-b');
      expect(out.errors).toEqual([expect.objectContaining({ errorType: 'NotFound' })]);
    }
  });

  it.each([
    [{ tolerancePercent: 101 }, 'tolerancePercent'],
    [{ amount: 12.5 }, 'amount'],
    [{ amount: 0 }, 'amount'],
    [{ name: '   ' }, 'name'],
  ])('given %o, when confirming, then it is a ValidationError on %s and nothing is stored', async (fields, field) => {
    const out = await call('Mutation', 'confirmRecurring', { input: { id: NETFLIX, ...fields } });
    expect(out.errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field }) }),
    ]);
    expect((await call('Query', 'listRecurring')).data).toEqual([]);
  });

  it('given the streaming candidate, when confirmed with a name, then it is a rule, no longer a candidate, listed with its next charge, and confirming again is a Conflict', async () => {
    const out = await call('Mutation', 'confirmRecurring', { input: { id: NETFLIX, name: 'Netflix' } });
    expect(out.errors).toEqual([]);
    const next = stepFrom(netflixDates[5], 'MONTHLY', monthly31, 1);
    expect(out.data).toMatchObject({
      id: NETFLIX,
      name: 'Netflix',
      cadence: 'MONTHLY',
      amount: 1799,
      tolerancePercent: 10,
      lastChargeDate: netflixDates[5],
      nextChargeDate: next,
    });
    expect(await candidateIds()).toEqual([GYM]);
    expect((await call('Query', 'listRecurring')).data).toEqual([
      expect.objectContaining({ id: NETFLIX, nextChargeDate: next }),
    ]);
    const again = await call('Mutation', 'confirmRecurring', { input: { id: NETFLIX } });
    expect(again.errors).toEqual([expect.objectContaining({ errorType: 'Conflict' })]);
    // Stored in her own partition of the Recurring table, nowhere else.
    const stored = await h.db.send(
      new QueryCommand({
        TableName: 'Recurring',
        KeyConditionExpression: 'user_id = :u',
        ExpressionAttributeValues: { ':u': 'user-b' },
      }),
    );
    expect(stored.Items).toEqual([]);
  });

  it('given the confirmed rule, when upcoming charges are asked for, then its next charge is listed on its day (and nothing of unconfirmed candidates); days out of range is a ValidationError', async () => {
    const next = stepFrom(netflixDates[5], 'MONTHLY', monthly31, 1);
    const out = await call('Query', 'upcomingCharges', { days: 62 });
    expect(out.errors).toEqual([]);
    const charges = out.data as Array<Record<string, unknown>>;
    expect(charges[0]).toEqual({
      ruleId: NETFLIX,
      name: 'Netflix',
      merchant: 'Netflix.com',
      amount: 1799,
      currency: 'EUR',
      date: next,
      overdue: false,
    });
    expect(charges.every((c) => c.ruleId === NETFLIX)).toBe(true);
    expect(charges.map((c) => c.date)).toEqual(
      [next, stepFrom(next, 'MONTHLY', monthly31, 1), stepFrom(next, 'MONTHLY', monthly31, 2)].filter(
        (d) => d <= addDaysTo(today, 62),
      ),
    );
    for (const days of [0, 367]) {
      const bad = await call('Query', 'upcomingCharges', { days });
      expect(bad.errors).toEqual([
        expect.objectContaining({
          errorType: 'ValidationError',
          errorInfo: expect.objectContaining({ field: 'days' }),
        }),
      ]);
    }
  });

  it('given the gym candidate, when dismissed, then it is not proposed again and dismissing again is NotFound', async () => {
    const out = await call('Mutation', 'dismissRecurring', { id: GYM });
    expect(out.errors).toEqual([]);
    expect(out.data).toMatchObject({ id: GYM, cadence: 'WEEKLY' });
    expect(await candidateIds()).toEqual([]);
    const again = await call('Mutation', 'dismissRecurring', { id: GYM });
    expect(again.errors).toEqual([expect.objectContaining({ errorType: 'NotFound' })]);
  });

  it('given the rule, when deleted, then it is gone, upcoming charges are empty and the charge is a candidate again; deleting again is NotFound', async () => {
    const out = await call('Mutation', 'deleteRecurring', { id: NETFLIX });
    expect(out.errors).toEqual([]);
    expect(out.data).toMatchObject({ id: NETFLIX, name: 'Netflix' });
    expect((await call('Query', 'listRecurring')).data).toEqual([]);
    expect((await call('Query', 'upcomingCharges')).data).toEqual([]);
    expect(await candidateIds()).toEqual([NETFLIX]);
    const again = await call('Mutation', 'deleteRecurring', { id: NETFLIX });
    expect(again.errors).toEqual([expect.objectContaining({ errorType: 'NotFound' })]);
  });

  it('given an id longer than any stored key, when deleted, then NotFound, as a missing id', async () => {
    const out = await call('Mutation', 'deleteRecurring', { id: `MONTHLY#EUR#${'x'.repeat(5000)}` });
    expect(out.errors).toEqual([expect.objectContaining({ errorType: 'NotFound' })]);
  });
});

describe('the daily check of confirmed rules', () => {
  const tables = { recurring: 'Recurring', expenses: 'Expenses', users: 'Users' };
  const sent: Array<{ to: string; subject: string; text: string; messageId: string }> = [];
  let failNext = false;
  const mailer = async (to: string, subject: string, text: string, messageId: string) => {
    if (failNext) {
      failNext = false;
      throw new Error('SES is down');
    }
    sent.push({ to, subject, text, messageId });
  };
  const runAt = (day: string) =>
    runDailyCheck(
      dailyCheckPortsOn(h.db, tables, mailer, () => new Date(`${day}T06:00:00Z`)),
      new Date(`${day}T06:00:00Z`),
    );
  const next = stepFrom(netflixDates[5], 'MONTHLY', monthly31, 1);
  const following = stepFrom(next, 'MONTHLY', monthly31, 1);
  const stored = async () =>
    (
      await h.db.send(
        new GetCommand({ TableName: 'Recurring', Key: { user_id: 'user-a', rule_id: `RULE#${NETFLIX}` } }),
      )
    ).Item!;

  it('given a confirmed rule whose charge does not come, when the check runs after the grace days (twice, as a retried schedule may), then its owner is emailed once, and a failed send is tried again by the next run', async () => {
    const out = await call('Mutation', 'confirmRecurring', { input: { id: NETFLIX, name: 'Netflix' } });
    expect(out.errors).toEqual([]);
    expect((await stored()).due_on).toBe(addDaysTo(next, 4));

    expect(await runAt(addDaysTo(next, 3))).toEqual({ judged: 0, alerted: 0 }); // still within its 3 grace days
    failNext = true;
    await expect(runAt(addDaysTo(next, 4))).rejects.toThrow('SES is down');
    expect((await stored()).due_on).toBe(addDaysTo(next, 4));

    expect(await runAt(addDaysTo(next, 5))).toEqual({ judged: 1, alerted: 1 });
    expect(await runAt(addDaysTo(next, 5))).toEqual({ judged: 0, alerted: 0 });
    expect(sent).toEqual([
      expect.objectContaining({ subject: `Netflix: the charge expected on ${next} has not come` }),
    ]);
    expect(sent[0].to).toMatch(/@/);
    expect(await stored()).toMatchObject({ checkedThrough: next, due_on: addDaysTo(following, 4) });
  });

  it('given the following charge at a higher price, when the check runs, then the owner is told the new amount, once', async () => {
    // A future day for the API (createExpense takes days up to today): stored as an import would.
    await h.db.send(
      new PutCommand({
        TableName: 'Expenses',
        Item: {
          user_id: 'user-a',
          expense_id: 'NETFLIX-REPRICED',
          merchant: 'Netflix.com',
          amount: 2199,
          currency: 'EUR',
          date: following,
          category: 'ENTERTAINMENT',
          category_date: `ENTERTAINMENT#${following}`,
        },
      }),
    );
    sent.length = 0;
    expect(await runAt(addDaysTo(following, 4))).toEqual({ judged: 1, alerted: 1 });
    expect(await runAt(addDaysTo(following, 4))).toEqual({ judged: 0, alerted: 0 });
    expect(sent).toEqual([expect.objectContaining({ subject: 'Netflix: charged 21.99 EUR instead of 17.99' })]);
  });

  it('given a run that died after leasing an alert and before sending it, when a run comes after the lease ran out, then the alert is sent, with the same Message-ID a resend would carry', async () => {
    const third = stepFrom(following, 'MONTHLY', monthly31, 1);
    const due = addDaysTo(third, 4);
    const at = (day: string, minutes = 0) => new Date(Date.parse(`${day}T06:00:00Z`) + minutes * 60_000);
    const died = dailyCheckPortsOn(h.db, tables, mailer, () => at(due));
    expect(await died.lease((await stored()) as RecurringRuleItem, due, third)).toBe(true);
    sent.length = 0;
    // While the lease holds, another run leaves the alert to its holder.
    const during = dailyCheckPortsOn(h.db, tables, mailer, () => at(due, 5));
    expect(await runDailyCheck(during, at(due, 5))).toEqual({ judged: 0, alerted: 0 });
    const later = dailyCheckPortsOn(h.db, tables, mailer, () => at(due, 20));
    expect(await runDailyCheck(later, at(due, 20))).toEqual({ judged: 1, alerted: 1 });
    expect(sent).toEqual([
      expect.objectContaining({
        subject: `Netflix: the charge expected on ${third} has not come`,
        messageId: alertMessageId((await stored()) as RecurringRuleItem, third),
      }),
    ]);
    expect(await stored()).toMatchObject({ checkedThrough: third });
    expect((await stored()).alertLeaseUntil).toBeUndefined();
  });
});
