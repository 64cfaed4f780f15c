import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Category } from '../../../generated/graphql.ts';

/** What the owner taught for a merchant (Merchants table, keyed by merchantKeyOf), or null: the categorizer's first evidence. */
export function createLearnedCategoryReader(
  db: DynamoDBDocumentClient,
  merchantsTable: string,
  merchantKeyOf: (merchant: string) => string,
): (owner: string, merchant: string) => Promise<Category | null> {
  return async (owner, merchant) => {
    const key = merchantKeyOf(merchant);
    if (!key) return null;
    const out = await db.send(
      new GetCommand({ TableName: merchantsTable, Key: { user_id: owner, merchant_key: key } }),
    );
    return (out.Item?.category as Category | undefined) ?? null;
  };
}
