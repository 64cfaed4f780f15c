import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateBudgetArgs } from '../../generated/graphql';
import type { BudgetItem } from '../../model/budgets';
import { callerId, failOnDataSourceError, itemIdOrNotFound, notFound } from '../lib/errors';
import type { UpdateBudgetStash } from './index';

type ReadBudgetContext = Context<MutationUpdateBudgetArgs, UpdateBudgetStash, undefined, undefined, BudgetItem | null>;

// The budget as it is now, read consistently: NotFound, or the version Conflict is decided on.
export function request(ctx: ReadBudgetContext): DynamoDBGetItemRequest {
  return get<BudgetItem>({
    key: { user_id: callerId(ctx), budget_id: itemIdOrNotFound('Budget', ctx.args.input.id) },
    consistentRead: true,
  });
}

export function response(ctx: ReadBudgetContext): BudgetItem {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Budget', ctx.args.input.id);
  ctx.stash.before = ctx.result;
  ctx.stash.budgetId = ctx.result.budget_id;
  return ctx.result;
}
