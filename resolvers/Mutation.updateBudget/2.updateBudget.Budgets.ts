import { util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { operations, update, type DynamoDBUpdateObject } from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateBudgetArgs } from '../../generated/graphql';
import type { BudgetItem } from '../../model/budgets';
import { callerId, conflict, failOnDataSourceError, given, isConditionFailure } from '../lib/errors';
import type { UpdateBudgetStash } from './index';

type UpdateBudgetContext = Context<MutationUpdateBudgetArgs, UpdateBudgetStash, undefined, undefined, BudgetItem>;
import { apiChange } from '../lib/history';

// Category and period are the budget's identity; only these may change. `fired` (alerts
// already sent this period) belongs to the budget function and is never touched here.
export function request(ctx: UpdateBudgetContext): DynamoDBUpdateItemRequest {
  const input = ctx.args.input;
  if (ctx.stash.before.version !== input.expectedVersion) conflict('budget', ctx.stash.before.version);
  const changes: DynamoDBUpdateObject<BudgetItem> = {
    version: input.expectedVersion + 1,
    updatedAt: util.time.nowISO8601(),
  };
  if (given(input.name)) changes.name = input.name.trim();
  if (given(input.amount)) changes.amount = input.amount;
  if (given(input.thresholds)) changes.thresholds = input.thresholds;
  if (given(input.rollover)) changes.rollover = input.rollover;
  const change = apiChange(
    ctx,
    'BUDGET',
    input.id,
    'UPDATED',
    ctx.stash.before,
    Object.assign({}, ctx.stash.before, changes),
  );
  // The whole record: update() would otherwise merge it key by key into the previous one (or fail where there is none).
  (changes as Record<string, unknown>).lastChange = operations.replace(change);
  return update<BudgetItem>({
    key: { user_id: callerId(ctx), budget_id: input.id },
    update: changes,
    condition: { version: { eq: input.expectedVersion } },
  });
}

export function response(ctx: UpdateBudgetContext): BudgetItem {
  // Changed or deleted between step 1's read and this write: which, and to what, is unknown.
  if (isConditionFailure(ctx)) conflict('budget', null);
  failOnDataSourceError(ctx);
  return ctx.result;
}
