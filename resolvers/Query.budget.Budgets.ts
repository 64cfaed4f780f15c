import type { Context, DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import type { QueryBudgetArgs } from '../generated/graphql';
import type { BudgetItem, BudgetObject } from '../model/budgets';
import { callerId, failOnDataSourceError, itemIdOrNotFound, notFound } from './lib/errors';
import { toBudget } from './lib/items';

type BudgetContext = Context<QueryBudgetArgs, Record<string, never>, undefined, undefined, BudgetItem | null>;

export function request(ctx: BudgetContext): DynamoDBGetItemRequest {
  return get<BudgetItem>({ key: { user_id: callerId(ctx), budget_id: itemIdOrNotFound('Budget', ctx.args.id) } });
}

export function response(ctx: BudgetContext): BudgetObject {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Budget', ctx.args.id);
  return toBudget(ctx.result);
}
