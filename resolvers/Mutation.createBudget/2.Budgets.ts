import { util, type Context } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import { budgetIdOf, DEFAULT_THRESHOLDS, defaultBudgetName } from '../lib/budgets';
import { callerId, failOnDataSourceError, invalid, isConditionFailure } from '../lib/errors';
import { toBudget } from '../lib/items';

export function request(ctx: Context) {
  const input = ctx.args.input;
  const profile = ctx.stash.profile;
  const currency = input.currency || (profile && profile.homeCurrency);
  if (!currency) invalid('currency', 'currency is required (your profile has no home currency)');
  const now = util.time.nowISO8601();
  const budgetId = budgetIdOf(input.category, input.period);
  ctx.stash.budgetId = budgetId;
  return put<Record<string, unknown>>({
    key: { user_id: callerId(ctx), budget_id: budgetId },
    item: {
      name: input.name ? input.name.trim() : defaultBudgetName(input.category, input.period),
      category: input.category || null,
      period: input.period,
      amount: input.amount,
      currency,
      thresholds: input.thresholds || DEFAULT_THRESHOLDS,
      rollover: !!input.rollover,
      fired: {},
      version: 1,
      createdAt: now,
      updatedAt: now,
    },
    condition: { budget_id: { attributeExists: false } },
  });
}

export function response(ctx: Context) {
  if (isConditionFailure(ctx)) {
    util.error('A budget for this category and period already exists', 'Conflict', null, { field: 'category', budgetId: ctx.stash.budgetId });
  }
  failOnDataSourceError(ctx);
  return toBudget(ctx.result);
}
