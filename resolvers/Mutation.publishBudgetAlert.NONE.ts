import type { Context } from '@aws-appsync/utils';

// Called by the budget function over IAM; the alert fans out to onBudgetAlert subscribers
// whose filter matches its owner. Nothing is stored: the budget item records fired thresholds.
export function request(ctx: Context) {
  return { payload: ctx.args.input };
}

export function response(ctx: Context) {
  return ctx.result;
}
