import type { Context, DynamoDBDeleteItemRequest } from '@aws-appsync/utils';
import { remove } from '@aws-appsync/utils/dynamodb';
import type { MutationDeleteBudgetArgs } from '../../generated/graphql';
import type { BudgetItem, BudgetObject } from '../../model/budgets';
import { callerId, failOnDataSourceError, itemIdOrNotFound, notFound } from '../lib/errors';
import { apiChange } from '../lib/history';
import { toBudget } from '../lib/items';

type DeleteBudgetContext = Context<
  MutationDeleteBudgetArgs,
  Record<string, never>,
  undefined,
  undefined,
  BudgetItem | null
>;

export function request(ctx: DeleteBudgetContext): DynamoDBDeleteItemRequest {
  return remove<BudgetItem>({
    key: { user_id: callerId(ctx), budget_id: itemIdOrNotFound('Budget', ctx.args.id) },
    condition: { budget_id: { attributeExists: true } },
  });
}

// AppSync answers a DeleteItem whose condition failed because the item is absent as a success
// with no item (.../js-aws-appsync-resolver-reference-dynamodb-condition-expressions.html):
// a missing (or another user's) id is an empty result, not a condition failure.
export function response(ctx: DeleteBudgetContext): BudgetObject {
  failOnDataSourceError(ctx);
  if (!ctx.result) notFound('Budget', ctx.args.id);
  (ctx.stash as { before?: unknown }).before = ctx.result;
  apiChange(ctx, 'BUDGET', ctx.args.id, 'DELETED', ctx.result, null);
  return toBudget(ctx.result);
}
