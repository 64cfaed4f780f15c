import { util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import type { MutationCreateExpenseArgs } from '../../generated/graphql';
import { categoryDateOf, type ExpenseItem, type ExpenseKey, type ExpenseObject } from '../../model/expenses';
import { callerId, failOnDataSourceError, invalid } from '../lib/errors';
import { apiChange } from '../lib/history';
import { toExpense } from '../lib/items';
import { normalisedTags } from '../../model/tags';
import type { CreateExpenseStash } from './index';

type PutExpenseContext = Context<MutationCreateExpenseArgs, CreateExpenseStash, undefined, undefined, ExpenseItem>;

/** The expense as every path writes it (model/expenses.ts ExpenseItem, the item the OCR function writes too). */
export function request(ctx: PutExpenseContext): DynamoDBPutItemRequest {
  const input = ctx.args.input;
  const profile = ctx.stash.profile;
  const currency = input.currency || (profile && profile.homeCurrency);
  if (!currency) invalid('currency', 'currency is required (your profile has no home currency)');
  const choice = ctx.stash.choice;
  const now = util.time.nowISO8601();
  const key: ExpenseKey = { user_id: callerId(ctx), expense_id: util.autoUlid() };
  // The custom category given (step 0), else the one the merchant learned (CategorizeFn: live, its parent the category).
  const custom = ctx.stash.customCategory;
  const customCategoryId = custom ? custom.id : choice.customCategoryId;
  const item: Omit<ExpenseItem, keyof ExpenseKey> = {
    merchant: input.merchant.trim(),
    amount: input.amount,
    currency,
    date: input.date,
    category: choice.category,
    category_date: categoryDateOf(choice.category, input.date),
    categorySource: choice.categorySource,
    categoryConfidence: choice.categoryConfidence,
    note: input.note || null,
    tags: input.tags ? normalisedTags(input.tags) : [],
    // Only when there is one: expenses without stay as they were written before custom categories.
    ...(customCategoryId ? { customCategoryId } : {}),
    converted: ctx.stash.conversion,
    needsRate: !ctx.stash.conversion,
    receiptId: null,
    needsReview: false,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const change = apiChange(ctx, 'EXPENSE', key.expense_id, 'CREATED', null, item);
  return put<ExpenseItem>({
    key,
    item: { ...item, lastChange: change },
    condition: { expense_id: { attributeExists: false } },
  });
}

export function response(ctx: PutExpenseContext): ExpenseObject {
  failOnDataSourceError(ctx);
  ctx.stash.after = ctx.result;
  return toExpense(ctx.result);
}
