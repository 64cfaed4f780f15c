import { beforeAll, describe, expect, it } from 'vitest';
import type { DataSource, DataSourceOutcome } from '../../../local/appsync/data-sources/data-source.ts';
import { noneDataSource } from '../../../local/appsync/data-sources/none.ts';
import { createResolverExecutor, type ResolverExecutor } from '../../../local/appsync/executor.ts';
import { PROJECT_ROOT } from '../../../local/stack.ts';
import { dataSourceKinds } from '../../../resolvers/manifest.ts';
import { ISO_4217_CODES } from '../../../model/currencies.ts';
import { TIME_ZONES_BY_AREA } from '../../../resolvers/lib/time-zones.ts';
import { cognitoIdentity } from '../../support/resolver-harness.ts';

/**
 * The real resolvers of resolvers/ through the executor, on scripted data sources: each test
 * says what a table answers and sees what the resolvers asked and what the client gets.
 */
type Answer = (request: any) => DataSourceOutcome | Promise<DataSourceOutcome>;
const answers = new Map<string, Answer>();
const requests: Array<{ table: string; request: any }> = [];
const scripted =
  (table: string): DataSource =>
  async (request) => {
    requests.push({ table, request });
    const answer = answers.get(table);
    return answer ? answer(request) : { result: null };
  };

let executor: ResolverExecutor;
beforeAll(async () => {
  const sources = new Map<string, DataSource>();
  for (const [name, kind] of dataSourceKinds()) sources.set(name, kind === 'NONE' ? noneDataSource : scripted(name));
  executor = await createResolverExecutor({ projectRoot: PROJECT_ROOT, dataSources: sources });
}, 60_000);

function given(table: string, answer: Answer) {
  answers.set(table, answer);
}

async function call(
  typeName: string,
  fieldName: string,
  args: Record<string, unknown>,
  sub = 'user-a',
  headers: Record<string, string> = {},
) {
  requests.length = 0;
  const out = await executor.run(typeName, fieldName, {
    arguments: args,
    source: null,
    identity: cognitoIdentity(sub) as any,
    info: { fieldName, parentTypeName: typeName, variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
    request: { headers, domainName: null },
  });
  answers.clear();
  return out;
}

const operations = () => requests.map((r) => `${r.table}.${r.request.operation ?? 'Invoke'}`);
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const expense = {
  user_id: 'user-a',
  expense_id: 'e1',
  merchant: 'Cafe',
  amount: 100,
  currency: 'EUR',
  date: '2026-01-02',
  category: 'DINING',
  version: 2,
};
const budget = {
  user_id: 'user-a',
  budget_id: 'DINING-MONTHLY',
  name: 'Monthly Dining',
  category: 'DINING',
  period: 'MONTHLY',
  amount: 100,
  currency: 'EUR',
  thresholds: [50, 100],
  version: 3,
  createdAt: '2026-10-01T08:00:00.000Z',
};
const conditionFailed = { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' };

describe('data source errors', () => {
  it('given a table that fails, when an expense is read, then InternalError and nothing of the failure', async () => {
    given('Expenses', () => ({
      result: null,
      error: {
        message: 'Throughput exceeded for table Expenses (arn:aws:dynamodb:…)',
        type: 'DynamoDB:ProvisionedThroughputExceededException',
      },
    }));
    const out = await call('Query', 'expense', { id: 'e1' });
    expect(out.data).toBeNull();
    expect(out.errors).toEqual([
      { message: 'The request could not be completed', errorType: 'InternalError', data: null, errorInfo: null },
    ]);
  });
});

describe('updateExpense', () => {
  it('given expectedVersion 0, then ValidationError naming it with its minimum, and no table is asked', async () => {
    const out = await call('Mutation', 'updateExpense', { input: { id: 'e1', expectedVersion: 0, amount: 5 } });
    expect(out.errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'expectedVersion', min: 1 } }),
    ]);
    expect(requests).toEqual([]);
  });

  it.each([
    [{ merchant: null }, 'input'],
    [{ merchant: '  ' }, 'merchant'],
    [{ currency: 'QQQ' }, 'currency'],
    [{ date: '2026-02-30' }, 'date'],
    [{ amount: 0 }, 'amount'],
  ])('given %o, then ValidationError names %s and nothing is written', async (change, field) => {
    const out = await call('Mutation', 'updateExpense', { input: { id: 'e1', expectedVersion: 2, ...change } });
    expect(out.errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field }) }),
    ]);
    expect(requests).toEqual([]);
  });

  it('given a date two days ahead, then ValidationError with the latest day allowed; tomorrow is accepted', async () => {
    const ahead = await call('Mutation', 'updateExpense', { input: { id: 'e1', expectedVersion: 2, date: day(2) } });
    expect(ahead.errors).toEqual([
      expect.objectContaining({
        errorType: 'ValidationError',
        errorInfo: { field: 'date', min: '1970-01-01', max: day(1) },
      }),
    ]);
    given('Expenses', (r) => ({
      result: r.operation === 'GetItem' ? expense : { ...expense, date: day(1), version: 3 },
    }));
    expect(
      (await call('Mutation', 'updateExpense', { input: { id: 'e1', expectedVersion: 2, date: day(1) } })).errors,
    ).toEqual([]);
  });

  it('given the expense was deleted after the client read it, then NotFound and no write', async () => {
    given('Expenses', () => ({ result: null }));
    const out = await call('Mutation', 'updateExpense', { input: { id: 'e1', expectedVersion: 2, amount: 5 } });
    expect(out.errors).toEqual([expect.objectContaining({ errorType: 'NotFound', errorInfo: { id: 'e1' } })]);
    expect(operations()).toEqual(['Expenses.GetItem']);
    expect(requests[0].request.consistentRead).toBe(true);
  });

  it('given a stale version, then Conflict with the version read, decided before any write', async () => {
    given('Expenses', () => ({ result: expense }));
    const out = await call('Mutation', 'updateExpense', { input: { id: 'e1', expectedVersion: 1, amount: 5 } });
    expect(out.errors).toEqual([expect.objectContaining({ errorType: 'Conflict', errorInfo: { currentVersion: 2 } })]);
    expect(operations()).toEqual(['Expenses.GetItem']);
  });

  it('given the expense changes between the read and the write, then Conflict with no known version', async () => {
    given('Expenses', (r) =>
      r.operation === 'GetItem' ? { result: expense } : { result: null, error: conditionFailed },
    );
    const out = await call('Mutation', 'updateExpense', { input: { id: 'e1', expectedVersion: 2, note: 'new' } });
    expect(out.errors).toEqual([
      expect.objectContaining({ errorType: 'Conflict', errorInfo: { currentVersion: null } }),
    ]);
    expect(operations()).toEqual(['Expenses.GetItem', 'Expenses.UpdateItem']);
  });

  it('given a null note, then the note is removed; null merchant and amount change nothing', async () => {
    given('Expenses', (r) => ({
      result: r.operation === 'GetItem' ? { ...expense, note: 'old' } : { ...expense, version: 3 },
    }));
    await call('Mutation', 'updateExpense', {
      input: { id: 'e1', expectedVersion: 2, note: null, merchant: null, amount: null },
    });
    const update = requests.find((r) => r.request.operation === 'UpdateItem')!.request.update;
    const removed = /REMOVE (#expName_\d+)/.exec(update.expression)![1];
    expect(update.expressionNames[removed]).toBe('note');
    expect(Object.values(update.expressionNames)).not.toContain('merchant');
    expect(Object.values(update.expressionNames)).not.toContain('amount');
  });
});

describe('createExpense', () => {
  it.each([
    [{ date: day(2) }, 'date'],
    [{ date: '2027-12-31' }, 'date'],
    [{ currency: 'QQQ' }, 'currency'],
    [{ currency: '' }, 'currency'],
  ])('given %o, then ValidationError names %s', async (input, field) => {
    const out = await call('Mutation', 'createExpense', {
      input: { merchant: 'Cafe', amount: 100, date: day(0), ...input },
    });
    expect(out.errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field }) }),
    ]);
    expect(requests).toEqual([]);
  });
});

describe('the correlation id a mutation hands to the functions', () => {
  const budgetEvaluation = () => requests.find((r) => r.table === 'BudgetFn')?.request.payload;

  it("given AppSync's request id in the headers, then BudgetFn gets it; without one, an id made for the request", async () => {
    given('Expenses', () => ({ result: expense }));
    await call('Mutation', 'deleteExpense', { id: 'e1' }, 'user-a', { 'x-amzn-requestid': 'req-42' });
    expect(budgetEvaluation()).toMatchObject({ action: 'expenseChanged', correlationId: 'req-42' });

    given('Expenses', () => ({ result: expense }));
    await call('Mutation', 'deleteExpense', { id: 'e1' });
    expect(budgetEvaluation()?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('updateBudget', () => {
  it.each([
    [{ thresholds: [80, 50] }, { field: 'thresholds' }],
    [{ thresholds: [0, 50] }, { field: 'thresholds', min: 1, max: 200 }],
    [{ thresholds: [] }, { field: 'thresholds', minItems: 1, maxItems: 10 }],
    [{ name: '' }, { field: 'name', min: 1, max: 100 }],
    [{ name: null }, { field: 'input' }],
    [
      { expectedVersion: 0, amount: 1 },
      { field: 'expectedVersion', min: 1 },
    ],
  ])('given %o, then ValidationError with %o and no table asked', async (change, errorInfo) => {
    const out = await call('Mutation', 'updateBudget', {
      input: { id: 'DINING-MONTHLY', expectedVersion: 3, ...change },
    });
    expect(out.errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', errorInfo })]);
    expect(requests).toEqual([]);
  });

  it('given the version read, then one consistent read and one conditional update; a stale one gets Conflict with the current version', async () => {
    given('Budgets', (r) => ({ result: r.operation === 'GetItem' ? budget : { ...budget, amount: 200, version: 4 } }));
    const out = await call('Mutation', 'updateBudget', {
      input: { id: 'DINING-MONTHLY', expectedVersion: 3, amount: 200 },
    });
    expect(out.data).toMatchObject({ id: 'DINING-MONTHLY', amount: 200, version: 4 });
    // The change is recorded in the budget's history between the write and the evaluation.
    expect(operations()).toEqual(['Budgets.GetItem', 'Budgets.UpdateItem', 'History.PutItem', 'BudgetFn.Invoke']);
    expect(requests[2].request.key.entry_key.S).toBe('DINING-MONTHLY#BUDGET#2026-10-01T08:00:00.000Z#0000000004');
    expect(requests.at(-1)!.request).toMatchObject({
      invocationType: 'Event',
      payload: { action: 'budgetChanged', owner: 'user-a', budgetId: 'DINING-MONTHLY' },
    });
    given('Budgets', () => ({ result: budget }));
    const stale = await call('Mutation', 'updateBudget', {
      input: { id: 'DINING-MONTHLY', expectedVersion: 2, amount: 200 },
    });
    expect(stale.errors).toEqual([
      expect.objectContaining({ errorType: 'Conflict', errorInfo: { currentVersion: 3 } }),
    ]);
  });

  it('given a missing budget, then NotFound', async () => {
    expect(
      (await call('Mutation', 'updateBudget', { input: { id: 'NOPE', expectedVersion: 1, amount: 1 } })).errors,
    ).toEqual([expect.objectContaining({ errorType: 'NotFound' })]);
  });
});

describe('deleteBudget', () => {
  it('given an id that is not there, then NotFound (AppSync answers the failed condition with no item)', async () => {
    given('Budgets', () => ({ result: null }));
    const out = await call('Mutation', 'deleteBudget', { id: 'NOPE' });
    expect(out.errors).toEqual([expect.objectContaining({ errorType: 'NotFound', errorInfo: { id: 'NOPE' } })]);
    expect(requests[0].request.key).toEqual({ user_id: { S: 'user-a' }, budget_id: { S: 'NOPE' } });
  });
});

describe('updateProfile', () => {
  it.each([
    [{ homeCurrency: 'QQQ' }, 'homeCurrency'],
    [{ homeCurrency: 'eur' }, 'homeCurrency'],
    [{ name: '' }, 'name'],
    [{ name: 'n'.repeat(101) }, 'name'],
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ timezone: 'Europe/' }, 'timezone'],
  ])('given %o, then ValidationError names %s', async (input, field) => {
    const out = await call('Mutation', 'updateProfile', { input });
    expect(out.errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field }) }),
    ]);
    expect(requests).toEqual([]);
  });

  it.each(['Europe/Paris', 'Asia/Kolkata', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires', 'UTC', 'US/Eastern'])(
    'given the IANA zone %s, then it is written',
    async (timezone) => {
      given('Users', () => ({ result: { user_id: 'user-a', timezone } }));
      const out = await call('Mutation', 'updateProfile', { input: { timezone, name: 'Ada' } });
      expect(out.errors).toEqual([]);
      expect(operations()).toEqual(['Users.UpdateItem']);
    },
  );
});

describe('listExpenses', () => {
  const keyCondition = () => requests[0].request.query;

  it('given a category alone, then one Query on the category index over all its days, newest first', async () => {
    given('Expenses', () => ({ result: { items: [], nextToken: null, scannedCount: 0 } }));
    await call('Query', 'listExpenses', { category: 'DINING' });
    expect(requests[0].request).toMatchObject({
      operation: 'Query',
      index: 'user-category-index',
      scanIndexForward: false,
      limit: 20,
    });
    expect(keyCondition().expressionValues).toEqual({
      ':user_id_eq': { S: 'user-a' },
      ':category_date_between_0': { S: 'DINING#0000-00-00' },
      ':category_date_between_1': { S: 'DINING#9999-99-99' },
    });
  });

  it('given only from, then date >= from; given only to, then date <= to; both on the date index', async () => {
    given('Expenses', () => ({ result: { items: [], nextToken: null, scannedCount: 0 } }));
    await call('Query', 'listExpenses', { from: '2026-01-01' });
    expect(requests[0].request.index).toBe('user-date-index');
    expect(keyCondition()).toMatchObject({
      expression: '#user_id = :user_id_eq AND #date >= :date_ge',
      expressionValues: { ':user_id_eq': { S: 'user-a' }, ':date_ge': { S: '2026-01-01' } },
    });
    given('Expenses', () => ({ result: { items: [], nextToken: null, scannedCount: 0 } }));
    await call('Query', 'listExpenses', { to: '2026-01-31' });
    expect(keyCondition()).toMatchObject({
      expression: '#user_id = :user_id_eq AND #date <= :date_le',
      expressionValues: { ':date_le': { S: '2026-01-31' } },
    });
  });

  it('given a day that does not exist, then ValidationError', async () => {
    expect((await call('Query', 'listExpenses', { from: '2026-02-30' })).errors).toEqual([
      expect.objectContaining({ errorType: 'ValidationError', errorInfo: expect.objectContaining({ field: 'from' }) }),
    ]);
  });
});

describe('paging listBudgets and listReceipts', () => {
  const invalidToken = {
    result: null,
    error: { type: 'DynamoDB:UserIllegalArgumentException', message: 'Invalid pagination token given.' },
  };

  it.each([
    ['listBudgets', 'Budgets', budget],
    ['listReceipts', 'Receipts', { user_id: 'user-a', receipt_id: 'r1', status: 'PROCESSED' }],
  ])(
    'given %s, then the nextToken goes to the Query and the next one comes back; a token the table refuses is a ValidationError',
    async (field, table, item) => {
      given(table, () => ({ result: { items: [item], nextToken: 'next-page', scannedCount: 1 } }));
      const out = await call('Query', field, { limit: 1, nextToken: 'this-page' });
      expect(requests[0].request).toMatchObject({ operation: 'Query', limit: 1, nextToken: 'this-page' });
      expect(requests[0].request.query.expressionValues[':user_id_eq']).toEqual({ S: 'user-a' });
      expect(out.data).toMatchObject({
        items: [expect.objectContaining({ id: expect.any(String) })],
        nextToken: 'next-page',
      });

      given(table, () => invalidToken);
      const garbage = await call('Query', field, { nextToken: 'garbage' });
      expect(garbage.errors).toEqual([
        expect.objectContaining({ errorType: 'ValidationError', errorInfo: { field: 'nextToken' } }),
      ]);
    },
  );

  it('given the same error without a nextToken, then it is an InternalError', async () => {
    given('Budgets', () => invalidToken);
    expect((await call('Query', 'listBudgets', {})).errors).toEqual([
      expect.objectContaining({ errorType: 'InternalError' }),
    ]);
  });
});

describe('the lists resolvers check against', () => {
  it('every time zone accepted is one the functions can compute periods in (Intl)', () => {
    const names = Object.entries(TIME_ZONES_BY_AREA).flatMap(([area, cities]) =>
      cities.split(' ').map((city) => (area ? `${area}/${city}` : city)),
    );
    expect(names.length).toBeGreaterThan(500);
    const unknown = names.filter((timeZone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone });
        return false;
      } catch {
        return true;
      }
    });
    expect(unknown).toEqual([]);
  });

  it('every currency accepted is a three-letter code Intl knows, bar VED (added to ISO 4217 in 2021)', () => {
    const known = new Set(Intl.supportedValuesOf('currency'));
    const codes = ISO_4217_CODES.split(' ');
    expect(codes.length).toBeGreaterThan(150);
    expect(codes.filter((c) => !/^[A-Z]{3}$/.test(c) || (!known.has(c) && c !== 'VED'))).toEqual([]);
    expect(codes).not.toContain('HRK');
  });
});
