import type { Category } from '../generated/graphql.ts';

/**
 * A Merchants table item: what one user taught the categorizer for one merchant (updateExpense
 * writes it when they set a category; the categorizer reads it first). Keyed by
 * merchantKeyOf(merchant) (model/merchant-key.ts).
 */
export type MerchantItem = {
  user_id: string;
  merchant_key: string;
  category: Category;
  /** The name as the user (or the OCR) wrote it. */
  merchant: string;
  updatedAt: string;
};

/** The Merchants table's key. */
export type MerchantKey = Pick<MerchantItem, 'user_id' | 'merchant_key'>;
