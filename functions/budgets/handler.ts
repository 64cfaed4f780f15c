import { answerFieldCall, FieldError, type FieldCall } from '../shared/field-call.ts';
import { functionObservability } from '../shared/observability.ts';
import { AlertDeliveryError } from './alert-delivery.ts';
import { currentBudgetStatus, evaluateBudgetsForChange, evaluateBudgetsOnceSettled, type BudgetDeps, type BudgetItem, type ExpenseSnapshot } from './core.ts';
import { budgetDeps, indexesSettled } from './deps.ts';

const { logger, count, instrument } = functionObservability('budgets');

/** The Expenses items the expense resolvers stash before and after the write (resolvers/lib/budget-evaluation.ts). */
type ExpenseChanged = { action: 'expenseChanged'; owner: string; before: ExpenseSnapshot | null; after: ExpenseSnapshot | null; correlationId?: string | null };
/** From createBudget / updateBudget (resolvers/lib/budget-reevaluation.ts). */
type BudgetChanged = { action: 'budgetChanged'; owner: string; budgetId: string; correlationId?: string | null };
type BudgetEvent = ExpenseChanged | BudgetChanged | FieldCall<Record<string, unknown>>;

const snapshotOf = (item: ExpenseSnapshot | null): ExpenseSnapshot | null =>
  item && { expense_id: item.expense_id, date: item.date, category: item.category, amount: item.amount, currency: item.currency };

/**
 * BudgetFn: re-evaluates budgets after an expense change or a budget edit (async Events from
 * the resolvers) and resolves `Budget.status`. A failed alert delivery throws, so Lambda retries
 * the event, and the retry delivers what is still pending (evaluateBudgetsForChange). After an
 * expense change it looks again once the indexes have caught up (indexesSettled), for
 * the crossings of writers that raced it.
 */
export function budgetHandler(deps: () => BudgetDeps) {
  return instrument(
    async (event: BudgetEvent): Promise<unknown> => {
      if ('action' in event) {
        logger.appendKeys({ owner: event.owner });
        try {
          const expenseChange = event.action === 'expenseChanged' ? { before: snapshotOf(event.before), after: snapshotOf(event.after) } : null;
          const alerts = await evaluateBudgetsForChange(deps(), event.owner, expenseChange ?? { budgetId: (event as BudgetChanged).budgetId });
          const settled = indexesSettled();
          if (expenseChange && settled) alerts.push(...(await evaluateBudgetsOnceSettled(deps(), event.owner, expenseChange, settled)));
          count('budgetAlertsSent', alerts.length);
          if (alerts.length) logger.info('budget alerts sent', { alerts: alerts.map((a) => a.id) });
          return { alerts: alerts.length };
        } catch (error) {
          if (error instanceof AlertDeliveryError) {
            count('budgetAlertsSent', error.delivered.length);
            logger.error('budget alert delivery failed; retried by Lambda', { delivered: error.delivered.map((a) => a.id), failures: error.errors.map((e) => String(e)) });
          }
          throw error;
        }
      }
      const call = event as FieldCall<Record<string, unknown>>;
      logger.appendKeys({ field: `${call.typeName}.${call.fieldName}` });
      return answerFieldCall(
        async () => {
          if (!call.sub) throw new FieldError('Unauthorized', 'A signed-in user is required');
          if (`${call.typeName}.${call.fieldName}` !== 'Budget.status') throw new Error(`BudgetFn does not resolve ${call.typeName}.${call.fieldName}`);
          // The parent budget was read under the caller's key by the Budget resolvers.
          const source = call.source as Record<string, unknown>;
          const budget = { ...source, budget_id: source.id, user_id: call.sub } as unknown as BudgetItem;
          return currentBudgetStatus(deps(), call.sub, budget);
        },
        (message, error) => logger.error(message, error as Error),
      );
    },
    (event) => ('action' in event ? event.correlationId : event.requestId),
  );
}

export const handler = budgetHandler(budgetDeps);
