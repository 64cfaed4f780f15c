import type { Context, LambdaRequest } from '@aws-appsync/utils';
import type { BudgetChangedEvent } from '../../model/function-calls';
import { correlationIdOf, type CorrelationStash } from './correlation';
import { callerId } from './errors';

/** What createBudget's and updateBudget's pipelines stash for this step: the id of the budget they wrote. */
export type BudgetChangeStash = CorrelationStash & { budgetId: string };

/** The step's context: the field's result so far is the previous step's, kept as it is. */
type ReevaluationContext<Result> = Context<unknown, BudgetChangeStash, { result: Result }>;

/**
 * The last step of createBudget and updateBudget: ask BudgetFn to evaluate the budget as it
 * now stands, asynchronously (Lambda `Event`), so one already past a threshold alerts at once.
 */
export function request<Result>(ctx: ReevaluationContext<Result>): LambdaRequest {
  const payload: BudgetChangedEvent = {
    action: 'budgetChanged',
    owner: callerId(ctx),
    budgetId: ctx.stash.budgetId,
    correlationId: correlationIdOf(ctx),
  };
  return { operation: 'Invoke', invocationType: 'Event', payload };
}

// The field's result stays what the previous step made.
export function response<Result>(ctx: ReevaluationContext<Result>): Result {
  return ctx.prev.result;
}
