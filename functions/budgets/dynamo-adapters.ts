import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DayRange } from '../shared/periods.ts';
import type { BudgetDeps, BudgetItem } from './core.ts';

/** Budgets and spending read from DynamoDB: one Query per page, never a Scan. */
export function createBudgetStore(db: DynamoDBDocumentClient, tables: { budgets: string; expenses: string; users: string }) {
  async function* pages(input: ConstructorParameters<typeof QueryCommand>[0]) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }));
      yield out.Items ?? [];
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  const store: Pick<BudgetDeps, 'budgets' | 'spending' | 'timezone' | 'recordFired'> & { profile(owner: string): Promise<{ email?: string; name?: string; timezone?: string } | null> } = {
    async budgets(owner) {
      const all: BudgetItem[] = [];
      for await (const page of pages({ TableName: tables.budgets, KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': owner }, ConsistentRead: true })) {
        all.push(...(page as BudgetItem[]));
      }
      return all;
    },

    async spending(owner, budget, range: DayRange) {
      // A category budget reads its category's slice of user-category-index; an all-spending one the date index.
      const query = budget.category
        ? {
            IndexName: 'user-category-index',
            KeyConditionExpression: 'user_id = :u AND category_date BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':u': owner, ':from': `${budget.category}#${range.start}`, ':to': `${budget.category}#${range.end}` },
          }
        : {
            IndexName: 'user-date-index',
            KeyConditionExpression: 'user_id = :u AND #d BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#d': 'date' },
            ExpressionAttributeValues: { ':u': owner, ':from': range.start, ':to': range.end },
          };
      let spent = 0;
      let excludedCount = 0;
      for await (const page of pages({ TableName: tables.expenses, ...query })) {
        for (const expense of page as Array<{ amount: number; currency: string }>) {
          if (expense.currency === budget.currency) spent += expense.amount;
          else excludedCount += 1;
        }
      }
      return { spent, excludedCount };
    },

    async timezone(owner) {
      return (await store.profile(owner))?.timezone ?? 'UTC';
    },

    async profile(owner) {
      const out = await db.send(new GetCommand({ TableName: tables.users, Key: { user_id: owner } }));
      return (out.Item as { email?: string; name?: string; timezone?: string } | undefined) ?? null;
    },

    async recordFired(owner, budgetId, periodStart, threshold) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tables.budgets,
            Key: { user_id: owner, budget_id: budgetId },
            UpdateExpression: 'SET fired.#p = list_append(if_not_exists(fired.#p, :empty), :t)',
            ConditionExpression: 'attribute_exists(budget_id) AND NOT contains(fired.#p, :threshold)',
            ExpressionAttributeNames: { '#p': periodStart },
            ExpressionAttributeValues: { ':empty': [], ':t': [threshold], ':threshold': threshold },
          }),
        );
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
  };
  return store;
}
