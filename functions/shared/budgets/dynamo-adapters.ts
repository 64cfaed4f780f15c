import {
  GetCommand,
  UpdateCommand,
  paginateQuery,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DayRange } from '../periods.ts';
import type { AlertLedger } from './alert-delivery.ts';
import type { BudgetDeps, BudgetExpense, ForecastRule } from './core.ts';
import {
  isPendingAlertAttribute,
  pendingAlertAttributeOf,
  type BudgetItem,
  type PendingAlert,
} from '../../../model/budgets.ts';
import { categoryDateOf } from '../../../model/expenses.ts';
import { MAX_RULES, RULE_PREFIX } from '../../../model/recurring.ts';
import { withSplitExpenses } from '../split-index.ts';
import { isConditionFailure } from '../conditional-put.ts';

/**
 * Budgets and spending read from DynamoDB (one Query per page, never a Scan), and the alert
 * ledger on the budget item: each pending alert an attribute of its own (model/budgets.ts
 * pendingAlertAttributeOf).
 */

export interface OwnerProfile {
  email?: string;
  name?: string;
  timezone?: string;
}

export type BudgetStore = Pick<BudgetDeps, 'budgets' | 'expensePages' | 'timezone' | 'alerts'> & {
  profile(owner: string): Promise<OwnerProfile | null>;
};

export function createBudgetStore(
  db: DynamoDBDocumentClient,
  tables: { budgets: string; expenses: string; users: string },
): BudgetStore {
  async function* pages(input: QueryCommandInput) {
    // A copy: the paginator writes each page's start key into the input it is given.
    for await (const out of paginateQuery({ client: db }, { ...input })) yield out.Items ?? [];
  }

  /** One conditional update of a budget item; false when the condition failed. */
  async function updateBudget(
    owner: string,
    budgetId: string,
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>,
  ): Promise<boolean> {
    try {
      await db.send(
        new UpdateCommand({ TableName: tables.budgets, Key: { user_id: owner, budget_id: budgetId }, ...input }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  const alerts: AlertLedger = {
    claim: (owner, budgetId, periodStart, pending) =>
      updateBudget(owner, budgetId, {
        UpdateExpression: 'SET fired.#p = list_append(if_not_exists(fired.#p, :empty), :t), #a = :pending',
        ConditionExpression: 'attribute_exists(budget_id) AND NOT contains(fired.#p, :threshold)',
        ExpressionAttributeNames: { '#p': periodStart, '#a': pendingAlertAttributeOf(pending.alert.id) },
        ExpressionAttributeValues: {
          ':empty': [],
          ':t': [pending.alert.threshold],
          ':threshold': pending.alert.threshold,
          ':pending': pending,
        },
      }),
    lease: (owner, budgetId, alertId, lease, now) =>
      updateBudget(owner, budgetId, {
        UpdateExpression: 'SET #a.leaseToken = :token, #a.leaseUntil = :until',
        ConditionExpression: 'attribute_exists(#a) AND #a.leaseUntil < :now',
        ExpressionAttributeNames: { '#a': pendingAlertAttributeOf(alertId) },
        ExpressionAttributeValues: { ':token': lease.token, ':until': lease.until, ':now': now },
      }),
    async markDelivered(owner, budgetId, alertId, channel, at) {
      // Gone already (completed by a worker that took over): nothing left to mark.
      await updateBudget(owner, budgetId, {
        UpdateExpression: 'SET #a.#at = :at',
        ConditionExpression: 'attribute_exists(#a)',
        ExpressionAttributeNames: {
          '#a': pendingAlertAttributeOf(alertId),
          '#at': channel === 'push' ? 'pushedAt' : 'emailedAt',
        },
        ExpressionAttributeValues: { ':at': at },
      });
    },
    async complete(owner, budgetId, alertId) {
      await updateBudget(owner, budgetId, {
        UpdateExpression: 'REMOVE #a',
        ExpressionAttributeNames: { '#a': pendingAlertAttributeOf(alertId) },
      });
    },
    async release(owner, budgetId, alertId, token) {
      await updateBudget(owner, budgetId, {
        UpdateExpression: 'SET #a.leaseUntil = :lapsed',
        ConditionExpression: '#a.leaseToken = :token',
        ExpressionAttributeNames: { '#a': pendingAlertAttributeOf(alertId) },
        ExpressionAttributeValues: { ':lapsed': 0, ':token': token },
      });
    },
  };

  const store: BudgetStore = {
    async budgets(owner) {
      const all: BudgetItem[] = [];
      for await (const page of pages({
        TableName: tables.budgets,
        KeyConditionExpression: 'user_id = :u',
        ExpressionAttributeValues: { ':u': owner },
        ConsistentRead: true,
      })) {
        for (const item of page) {
          const pendingAlerts = Object.entries(item)
            .filter(([name]) => isPendingAlertAttribute(name))
            .map(([, value]) => value as PendingAlert)
            .sort(
              (a, b) => a.alert.periodStart.localeCompare(b.alert.periodStart) || a.alert.threshold - b.alert.threshold,
            );
          all.push({ ...(item as BudgetItem), pendingAlerts });
        }
      }
      return all;
    },

    async *expensePages(owner, budget, range: DayRange) {
      // A category budget (a custom-category one: of its parent) reads its category's slice of
      // user-category-index; an all-spending or tag budget the date index. core.ts keeps what is in scope.
      const query = budget.category
        ? {
            IndexName: 'user-category-index',
            KeyConditionExpression: 'user_id = :u AND category_date BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':u': owner,
              ':from': categoryDateOf(budget.category, range.start),
              ':to': categoryDateOf(budget.category, range.end),
            },
          }
        : {
            IndexName: 'user-date-index',
            KeyConditionExpression: 'user_id = :u AND #d BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':u': owner, ':from': range.start, ':to': range.end },
          };
      const projection = {
        // The merchant tells a recurring rule's charges apart (the forecast counts them as they come);
        // the custom category and tags decide what a scoped budget counts; a split expense's parts
        // count in their own categories (model/splits.ts).
        ProjectionExpression:
          'expense_id, #d, category, amount, currency, converted, merchant, customCategoryId, tags, splits',
        ExpressionAttributeNames: { '#d': 'date' },
      };
      if (!budget.category) {
        yield* pages({ TableName: tables.expenses, ...query, ...projection }) as AsyncIterable<BudgetExpense[]>;
        return;
      }
      // The category's slice also holds the index entries of split expenses with a part in it: read those expenses by key.
      const entryAttributes = {
        ...projection,
        ProjectionExpression: `${projection.ProjectionExpression}, split_of, category_date`,
      };
      for await (const page of pages({ TableName: tables.expenses, ...query, ...entryAttributes }))
        yield await withSplitExpenses(db, tables.expenses, owner, page as BudgetExpense[], projection);
    },

    async timezone(owner) {
      return (await store.profile(owner))?.timezone ?? 'UTC';
    },

    async profile(owner) {
      const out = await db.send(new GetCommand({ TableName: tables.users, Key: { user_id: owner } }));
      return (out.Item as OwnerProfile | undefined) ?? null;
    },

    alerts,
  };
  return store;
}

/**
 * The owner's confirmed recurring rules (`RULE#` items of the Recurring table, RecurringFn's):
 * one Query on their partition, rules only, at most MAX_RULES (what confirmRecurring allows).
 */
export function createRecurringRuleReader(
  db: DynamoDBDocumentClient,
  table: string,
): (owner: string) => Promise<ForecastRule[]> {
  return async (owner) => {
    const rules: ForecastRule[] = [];
    for await (const out of paginateQuery(
      { client: db },
      {
        TableName: table,
        KeyConditionExpression: 'user_id = :u AND begins_with(rule_id, :rule)',
        ExpressionAttributeValues: { ':u': owner, ':rule': RULE_PREFIX },
        ProjectionExpression:
          'id, merchantKey, currency, cadence, amount, tolerancePercent, anchorDay, anchorMonth, lastDate, ' +
          'checkedThrough, category',
        // A rule just confirmed counts in the next status read.
        ConsistentRead: true,
        Limit: MAX_RULES,
      },
    )) {
      rules.push(...((out.Items ?? []) as ForecastRule[]));
      if (rules.length >= MAX_RULES) break;
    }
    return rules.slice(0, MAX_RULES);
  };
}
