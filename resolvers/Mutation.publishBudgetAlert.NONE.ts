import type { Context, NONERequest } from '@aws-appsync/utils';
import type { BudgetAlert, MutationPublishBudgetAlertArgs } from '../generated/graphql';

type PublishBudgetAlertContext = Context<
  MutationPublishBudgetAlertArgs,
  Record<string, never>,
  undefined,
  undefined,
  BudgetAlert
>;

// Called by the budget function over IAM; the alert fans out to onBudgetAlert subscribers
// whose filter matches its owner. Nothing is stored: the budget item records fired thresholds.
export function request(ctx: PublishBudgetAlertContext): NONERequest {
  return { payload: ctx.args.input };
}

export function response(ctx: PublishBudgetAlertContext): BudgetAlert {
  return ctx.result;
}
