import type { Context } from '@aws-appsync/utils';
import { correlationIdOf } from './correlation';
import { callerId } from './errors';

/**
 * The last step of every expense mutation: ask BudgetFn to re-evaluate the budgets the change
 * touches, asynchronously (Lambda `Event`), so the mutation answers at once and alerts follow.
 * `ctx.stash.before` / `ctx.stash.after` are the expense items before and after the change.
 */
export function request(ctx: Context) {
  return {
    operation: 'Invoke',
    invocationType: 'Event',
    payload: {
      action: 'expenseChanged',
      owner: callerId(ctx),
      before: ctx.stash.before || null,
      after: ctx.stash.after || null,
      correlationId: correlationIdOf(ctx),
    },
  };
}

// The field's result stays what the previous step made.
export function response(ctx: Context) {
  return ctx.prev.result;
}
