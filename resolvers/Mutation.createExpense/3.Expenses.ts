import { util, type Context } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import { categoryOfMerchant } from '../lib/categorize';
import { callerId, failOnDataSourceError, invalid } from '../lib/errors';
import { categoryDateOf, toExpense } from '../lib/items';

export function request(ctx: Context) {
  const input = ctx.args.input;
  const profile = ctx.stash.profile;
  const currency = input.currency || (profile && profile.homeCurrency);
  if (!currency) invalid('currency', 'currency is required (your profile has no home currency)');
  const choice = input.category
    ? { category: input.category, categorySource: 'USER', categoryConfidence: 1 }
    : categoryOfMerchant(input.merchant, ctx.stash.learned);
  const now = util.time.nowISO8601();
  const expenseId = util.autoUlid();
  const item = {
    merchant: input.merchant.trim(),
    amount: input.amount,
    currency,
    date: input.date,
    category: choice.category,
    category_date: categoryDateOf(choice.category, input.date),
    categorySource: choice.categorySource,
    categoryConfidence: choice.categoryConfidence,
    note: input.note || null,
    receiptId: null,
    needsReview: false,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return put<Record<string, unknown>>({ key: { user_id: callerId(ctx), expense_id: expenseId }, item, condition: { expense_id: { attributeExists: false } } });
}

export function response(ctx: Context) {
  failOnDataSourceError(ctx);
  ctx.stash.after = ctx.result;
  return toExpense(ctx.result);
}
