import type { Category } from '../generated/graphql.ts';

/**
 * A Merchants table item: what one user taught the categorizer for one merchant (updateExpense
 * writes it when they set a category or a custom category; the categorizer reads it first). Keyed by
 * merchantKeyOf(merchant) (model/merchant-key.ts).
 */
export type MerchantItem = {
  user_id: string;
  merchant_key: string;
  category: Category;
  /**
   * The user's custom category (model/categories.ts) they filed the merchant's expense under, whose
   * parent is `category`; absent when they chose a default category. Followed on read
   * (learnedFilingOf): a merge leads to its target, a deletion leaves `category`'s kind alone.
   */
  customCategoryId?: string | null;
  /** The name as the user (or the OCR) wrote it. */
  merchant: string;
  updatedAt: string;
};

/** The Merchants table's key. */
export type MerchantKey = Pick<MerchantItem, 'user_id' | 'merchant_key'>;
