import type { BudgetChangedEvent, ExpenseChangedEvent, ExpenseSnapshot } from '../../model/function-calls.ts';
import type { BudgetItem } from '../../model/budgets.ts';
import { AlertDeliveryError } from '../shared/budgets/alert-delivery.ts';
import {
  currentBudgetStatus,
  evaluateBudgetsForChange,
  evaluateBudgetsOnceSettled,
  type BudgetChange,
  type BudgetDeps,
} from '../shared/budgets/core.ts';
import { budgetDeps, indexesSettled } from '../shared/budgets/deps.ts';
import {
  answerLoggedFieldCall,
  fieldDispatcher,
  type FieldCall,
  type NoArgs,
  type ServedFields,
} from '../shared/field-call.ts';
import { functionObservability } from '../shared/observability.ts';

const { logger, count, instrument } = functionObservability('budgets');

/** From the expense resolvers and ReceiptFn (ExpenseChangedEvent), from createBudget / updateBudget (BudgetChangedEvent), or a field call. */
type BudgetEvent = ExpenseChangedEvent | BudgetChangedEvent | FieldCall;

/** The fields BudgetFn serves (resolvers/Type.field.BudgetFn.ts). */
type BudgetFnFields = ServedFields<{ 'Budget.status': NoArgs }>;

const snapshotOf = (item: ExpenseSnapshot | null): ExpenseSnapshot | null =>
  item && {
    expense_id: item.expense_id,
    date: item.date,
    category: item.category,
    amount: item.amount,
    currency: item.currency,
    converted: item.converted ?? null,
    // What tag and custom-category budgets count by.
    customCategoryId: item.customCategoryId ?? null,
    tags: item.tags ?? null,
  };

/**
 * BudgetFn: re-evaluates budgets after an expense change or a budget edit (async Events from
 * the resolvers) and resolves `Budget.status`. A failed alert delivery throws, so Lambda retries
 * the event, and the retry delivers what is still pending (evaluateBudgetsForChange). After an
 * expense change it looks again once the indexes have caught up (indexesSettled), for
 * the crossings of writers that raced it.
 */
export function budgetHandler(deps: () => BudgetDeps) {
  const resolveField = fieldDispatcher<BudgetFnFields>('BudgetFn', {
    // The parent budget was read under the caller's key by the Budget resolvers.
    'Budget.status': ({ owner, source }) => {
      const budget: BudgetItem = { ...source, budget_id: source.id, user_id: owner };
      return currentBudgetStatus(deps(), owner, budget);
    },
  });
  return instrument(
    async (event: BudgetEvent): Promise<unknown> => {
      if ('action' in event) {
        logger.appendKeys({ owner: event.owner });
        try {
          const change: BudgetChange =
            event.action === 'expenseChanged'
              ? { before: snapshotOf(event.before), after: snapshotOf(event.after) }
              : { budgetId: event.budgetId };
          const alerts = await evaluateBudgetsForChange(deps(), event.owner, change);
          const settled = indexesSettled();
          if ('before' in change && settled)
            alerts.push(...(await evaluateBudgetsOnceSettled(deps(), event.owner, change, settled)));
          count('budgetAlertsSent', alerts.length);
          if (alerts.length) logger.info('budget alerts sent', { alerts: alerts.map((a) => a.id) });
          return { alerts: alerts.length };
        } catch (error) {
          if (error instanceof AlertDeliveryError) {
            count('budgetAlertsSent', error.delivered.length);
            logger.error('budget alert delivery failed; retried by Lambda', {
              delivered: error.delivered.map((a) => a.id),
              failures: error.errors.map((e) => String(e)),
            });
          }
          throw error;
        }
      }
      return answerLoggedFieldCall(logger, event, () => resolveField(event));
    },
    (event) => ('action' in event ? event.correlationId : event.requestId),
  );
}

export const handler = budgetHandler(budgetDeps);
