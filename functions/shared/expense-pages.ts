import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExpenseLike } from '../report/summary.ts';

/**
 * The owner's expenses between two days, page by page from user-date-index (one Query per
 * page, never a Scan), so a year of expenses streams without being held at once.
 */
export async function* expensePages(
  db: DynamoDBDocumentClient,
  table: string,
  owner: string,
  from: string,
  to: string,
  pageSize = 500,
): AsyncGenerator<ExpenseLike[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'user-date-index',
        KeyConditionExpression: 'user_id = :owner AND #date BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#date': 'date' },
        ExpressionAttributeValues: { ':owner': owner, ':from': from, ':to': to },
        ExclusiveStartKey,
        Limit: pageSize,
      }),
    );
    yield (out.Items ?? []) as ExpenseLike[];
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

export async function allExpenses(pages: AsyncIterable<ExpenseLike[]>): Promise<ExpenseLike[]> {
  const all: ExpenseLike[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}
