import { util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import type { MutationCreateBudgetArgs } from '../../generated/graphql';
import {
  budgetIdOf,
  DEFAULT_THRESHOLDS,
  defaultBudgetName,
  type BudgetItem,
  type BudgetKey,
  type BudgetObject,
} from '../../model/budgets';
import { callerId, failOnDataSourceError, invalid, isConditionFailure } from '../lib/errors';
import { apiChange } from '../lib/history';
import { toBudget } from '../lib/items';
import type { CreateBudgetStash } from './index';

type PutBudgetContext = Context<MutationCreateBudgetArgs, CreateBudgetStash, undefined, undefined, BudgetItem>;

export function request(ctx: PutBudgetContext): DynamoDBPutItemRequest {
  const input = ctx.args.input;
  const profile = ctx.stash.profile;
  const currency = input.currency || (profile && profile.homeCurrency);
  if (!currency) invalid('currency', 'currency is required (your profile has no home currency)');
  const now = util.time.nowISO8601();
  const budgetId = budgetIdOf(input.category, input.period);
  ctx.stash.budgetId = budgetId;
  const key: BudgetKey = { user_id: callerId(ctx), budget_id: budgetId };
  const item: Omit<BudgetItem, keyof BudgetKey> = {
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
  };
  const change = apiChange(ctx, 'BUDGET', budgetId, 'CREATED', null, item);
  return put<BudgetItem>({
    key,
    item: { ...item, lastChange: change },
    condition: { budget_id: { attributeExists: false } },
  });
}

export function response(ctx: PutBudgetContext): BudgetObject {
  if (isConditionFailure(ctx)) {
    util.error('A budget for this category and period already exists', 'Conflict', null, {
      field: 'category',
      budgetId: ctx.stash.budgetId,
    });
  }
  failOnDataSourceError(ctx);
  return toBudget(ctx.result);
}
