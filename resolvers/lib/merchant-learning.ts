import { util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import type { Category } from '../../generated/graphql';
import type { CategoryEntry, LearnedFiling } from '../../model/categories';
import type { ExpenseItem } from '../../model/expenses';
import { merchantKeyOf } from '../../model/merchant-key';
import type { MerchantItem, MerchantKey } from '../../model/merchants';
import { callerId, given } from './errors';

/**
 * What a change of an expense teaches about its merchant (model/merchants.ts), null when it
 * files the expense nowhere new: a custom category (`custom`, read by the pipeline) with its
 * parent; a default category alone; or, taken out of its custom category (an empty
 * customCategoryId), the default category it stays in, so the custom one is no longer learned.
 */
export function filingTaught(
  input: { category?: Category | null; customCategoryId?: string | null },
  custom: CategoryEntry | null,
  current: Pick<ExpenseItem, 'category'>,
): LearnedFiling | null {
  if (custom) return { category: custom.parent, customCategoryId: custom.id };
  if (given(input.category)) return { category: input.category, customCategoryId: null };
  if (input.customCategoryId === '') return { category: current.category, customCategoryId: null };
  return null;
}

/** The Merchants item remembering `filing` for `merchant`, whole: a later default category replaces a custom one learned before. */
export function rememberFiling(
  ctx: Pick<Context<unknown>, 'identity'>,
  merchant: string,
  filing: LearnedFiling,
): DynamoDBPutItemRequest {
  const key: MerchantKey = { user_id: callerId(ctx), merchant_key: merchantKeyOf(merchant) };
  const item: Omit<MerchantItem, keyof MerchantKey> = {
    category: filing.category,
    merchant,
    updatedAt: util.time.nowISO8601(),
    ...(filing.customCategoryId ? { customCategoryId: filing.customCategoryId } : {}),
  };
  return put<MerchantItem>({ key, item });
}
