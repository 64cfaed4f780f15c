import type { Context } from '@aws-appsync/utils';
import { correlationIdOf } from './correlation';
import { callerId } from './errors';

/**
 * The last step of createBudget and updateBudget: ask BudgetFn to evaluate the budget as it
 * now stands, asynchronously (Lambda `Event`), so one already past a threshold alerts at once.
 */
export function request(ctx: Context) {
  return {
    operation: 'Invoke',
    invocationType: 'Event',
    payload: {
      action: 'budgetChanged',
      owner: callerId(ctx),
      budgetId: ctx.stash.budgetId || ctx.args.input.id,
      correlationId: correlationIdOf(ctx),
    },
  };
}

// The field's result stays what the previous step made.
export function response(ctx: Context) {
  return ctx.prev.result;
}
