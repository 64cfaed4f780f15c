import { util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import type { MutationCreateBudgetArgs } from '../../generated/graphql';
import {
  budgetIdOf,
  DEFAULT_THRESHOLDS,
  defaultBudgetName,
  type BudgetItem,
  type BudgetScope,
  type BudgetKey,
  type BudgetObject,
} from '../../model/budgets';
import { callerId, failOnDataSourceError, invalid, isConditionFailure } from '../lib/errors';
import { apiChange } from '../lib/history';
import { toBudget } from '../lib/items';
import { normalisedTags } from '../../model/tags';
import type { CreateBudgetStash } from './index';

type PutBudgetContext = Context<MutationCreateBudgetArgs, CreateBudgetStash, undefined, undefined, BudgetItem>;

export function request(ctx: PutBudgetContext): DynamoDBPutItemRequest {
  const input = ctx.args.input;
  const profile = ctx.stash.profile;
  const currency = input.currency || (profile && profile.homeCurrency);
  if (!currency) invalid('currency', 'currency is required (your profile has no home currency)');
  const now = util.time.nowISO8601();
  // A tag as expenses store theirs; a custom category's parent is the category (step 0 checked a given one).
  const tag = input.tag ? normalisedTags([input.tag])[0] : null;
  const custom = ctx.stash.customCategory;
  const scope: BudgetScope = custom
    ? { category: custom.parent, customCategoryId: custom.id }
    : { category: input.category || null, tag };
  const budgetId = budgetIdOf(scope, input.period);
  ctx.stash.budgetId = budgetId;
  const key: BudgetKey = { user_id: callerId(ctx), budget_id: budgetId };
  const item: Omit<BudgetItem, keyof BudgetKey> = {
    name: input.name ? input.name.trim() : defaultBudgetName(scope, input.period, custom ? custom.name : undefined),
    category: scope.category || null,
    period: input.period,
    amount: input.amount,
    currency,
    thresholds: input.thresholds || DEFAULT_THRESHOLDS,
    rollover: !!input.rollover,
    fired: {},
    ...(tag ? { tag } : {}),
    ...(custom ? { customCategoryId: custom.id } : {}),
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
    const input = ctx.args.input;
    const field = input.tag ? 'tag' : input.customCategoryId ? 'customCategoryId' : 'category';
    util.error('A budget for this scope and period already exists', 'Conflict', null, {
      field,
      budgetId: ctx.stash.budgetId,
    });
  }
  failOnDataSourceError(ctx);
  return toBudget(ctx.result);
}
