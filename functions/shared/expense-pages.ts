import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
  for await (const out of paginateQuery(
    { client: db },
    {
      TableName: table,
      IndexName: 'user-date-index',
      KeyConditionExpression: 'user_id = :owner AND #date BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#date': 'date' },
      ExpressionAttributeValues: { ':owner': owner, ':from': from, ':to': to },
      Limit: pageSize,
    },
  ))
    yield (out.Items ?? []) as ExpenseLike[];
}

export async function allExpenses(pages: AsyncIterable<ExpenseLike[]>): Promise<ExpenseLike[]> {
  const all: ExpenseLike[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}
