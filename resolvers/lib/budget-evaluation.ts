import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { ExpenseItem } from '../../model/expenses';
import type { ExpenseChangedEvent } from '../../model/function-calls';
import { correlationIdOf, type CorrelationStash } from './correlation';
import { callerId } from './errors';

/** What an expense mutation's pipeline stashes for this step: the expense items before and after its write. */
export type ExpenseChangeStash = CorrelationStash & { before?: ExpenseItem | null; after?: ExpenseItem | null };

/** The step's context: the field's result so far is the previous step's, kept as it is. */
type EvaluationContext<Result> = Context<unknown, ExpenseChangeStash, { result: Result }>;

/**
 * The last step of every expense mutation: ask BudgetFn to re-evaluate the budgets the change
 * touches, asynchronously (Lambda `Event`), so the mutation answers at once and alerts follow.
 * `ctx.stash.before` / `ctx.stash.after` are the expense items before and after the change.
 */
export function request<Result>(ctx: EvaluationContext<Result>): LambdaRequest {
  const payload: ExpenseChangedEvent = {
    action: 'expenseChanged',
    owner: callerId(ctx),
    before: ctx.stash.before || null,
    after: ctx.stash.after || null,
    correlationId: correlationIdOf(ctx),
  };
  return { operation: 'Invoke', invocationType: 'Event', payload };
}

// The field's result stays what the previous step made.
export function response<Result>(ctx: EvaluationContext<Result>): Result {
  return ctx.prev.result;
}
