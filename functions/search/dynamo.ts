import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CategoriesItem } from '../../model/categories.ts';
import type { ExpenseItem } from '../../model/expenses.ts';
import { CUSTOM_CATEGORY_INDEX } from '../../model/tables.ts';
import { amountKeyOf, type SearchTermItem } from '../../model/search.ts';
import { termPartitionOf } from '../shared/search/terms.ts';
import type { SearchHit, SearchPorts } from './core.ts';
import type { CustomCategoryPorts } from './custom-category.ts';

const BATCH_GET = 100;

/** SearchPorts on DynamoDB: Queries on the owner's SearchTerms partitions, BatchGetItem on Expenses (the owner's keys). */
export function searchPortsOn(db: DynamoDBDocumentClient, tables: { terms: string; expenses: string }): SearchPorts {
  return {
    async termPage(owner, term, below, limit) {
      // The term's entries are `<term>#<position>` in its shard: BETWEEN is inclusive, so the one
      // at `below` itself (where the last match was) is left out here.
      const from = `${term}#`;
      const upTo = `${from}${below}`;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      for (;;) {
        const out = await db.send(
          new QueryCommand({
            TableName: tables.terms,
            KeyConditionExpression: 'term_key = :k AND entry BETWEEN :from AND :upTo',
            ExpressionAttributeValues: { ':k': termPartitionOf(owner, term), ':from': from, ':upTo': upTo },
            ProjectionExpression: 'entry, expense_id, amount',
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey,
          }),
        );
        const items: SearchHit[] = ((out.Items ?? []) as SearchTermItem[])
          .filter((item) => item.entry !== upTo)
          .map((item) => ({ entry: item.entry.slice(from.length), expense_id: item.expense_id, amount: item.amount }));
        ExclusiveStartKey = out.LastEvaluatedKey;
        // A page holding only the entry at `below`: read on rather than answer an empty page.
        if (items.length > 0 || !ExclusiveStartKey) return { items, more: !!ExclusiveStartKey };
      }
    },
    async amountPage(owner, above, upTo, limit) {
      const out = await db.send(
        new QueryCommand({
          TableName: tables.terms,
          KeyConditionExpression: 'term_key = :k AND entry BETWEEN :above AND :upTo',
          ExpressionAttributeValues: { ':k': amountKeyOf(owner), ':above': `${above}\u0000`, ':upTo': upTo },
          ProjectionExpression: 'entry, expense_id, amount',
          Limit: limit,
        }),
      );
      return { items: (out.Items ?? []) as SearchTermItem[], more: !!out.LastEvaluatedKey };
    },
    async expenses(owner, ids) {
      const found: ExpenseItem[] = [];
      for (let start = 0; start < ids.length; start += BATCH_GET) {
        let keys: Array<Record<string, unknown>> = ids
          .slice(start, start + BATCH_GET)
          .map((expense_id) => ({ user_id: owner, expense_id }));
        for (let attempt = 0; keys.length > 0 && attempt < 8; attempt++) {
          const out = await db.send(new BatchGetCommand({ RequestItems: { [tables.expenses]: { Keys: keys } } }));
          found.push(...((out.Responses?.[tables.expenses] ?? []) as ExpenseItem[]));
          keys = out.UnprocessedKeys?.[tables.expenses]?.Keys ?? [];
          if (keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        }
        if (keys.length > 0) throw new Error(`Expenses: ${keys.length} keys still unprocessed`);
      }
      return found;
    },
  };
}

/**
 * CustomCategoryPorts on DynamoDB: the owner's Categories item (GetItem under their id), and pages
 * of the sparse custom-category-index. Its partition is a category id, not the owner's: the core
 * only asks for ids of the owner's own item (a category id is a ULID made for one user).
 */
export function customCategoryPortsOn(
  db: DynamoDBDocumentClient,
  tables: { expenses: string; categories: string },
): CustomCategoryPorts {
  return {
    async categories(owner) {
      const out = await db.send(new GetCommand({ TableName: tables.categories, Key: { user_id: owner } }));
      return (out.Item as CategoriesItem | undefined) ?? null;
    },
    async streamPage(id, range, limit, startKey) {
      const out = await db.send(
        new QueryCommand({
          TableName: tables.expenses,
          IndexName: CUSTOM_CATEGORY_INDEX,
          KeyConditionExpression: 'customCategoryId = :id AND #date BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#date': 'date' },
          ExpressionAttributeValues: { ':id': id, ':from': range.from, ':to': range.to },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKey ?? undefined,
        }),
      );
      return { items: (out.Items ?? []) as ExpenseItem[], more: !!out.LastEvaluatedKey };
    },
  };
}
