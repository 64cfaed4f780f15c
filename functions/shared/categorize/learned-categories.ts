import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Category } from '../../../generated/graphql.ts';
import { learnedFilingOf, type CategoriesItem, type LearnedFiling } from '../../../model/categories.ts';
import type { MerchantItem } from '../../../model/merchants.ts';

/**
 * What the owner taught for a merchant (Merchants table, keyed by merchantKeyOf), or null: the
 * categorizer's first evidence. A custom category learned is followed in the owner's Categories
 * item (one more GetItem, only then): to its merge target, or to its parent alone once deleted.
 */
export function createLearnedCategoryReader(
  db: DynamoDBDocumentClient,
  tables: { merchants: string; categories: string },
  merchantKeyOf: (merchant: string) => string,
): (owner: string, merchant: string) => Promise<LearnedFiling | null> {
  return async (owner, merchant) => {
    const key = merchantKeyOf(merchant);
    if (!key) return null;
    const out = await db.send(
      new GetCommand({ TableName: tables.merchants, Key: { user_id: owner, merchant_key: key } }),
    );
    const learned = out.Item as MerchantItem | undefined;
    if (!learned?.category) return null;
    const taught: LearnedFiling = { category: learned.category as Category, customCategoryId: null };
    if (!learned.customCategoryId) return taught;
    const categories = await db.send(new GetCommand({ TableName: tables.categories, Key: { user_id: owner } }));
    return learnedFilingOf(categories.Item as CategoriesItem | undefined, learned.customCategoryId) ?? taught;
  };
}
