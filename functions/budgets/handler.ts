import { answerFieldCall, FieldError, type FieldCall } from '../shared/field-call.ts';
import { functionObservability } from '../shared/observability.ts';
import { changeOf, currentBudgetStatus, evaluateBudgetsForChange, type BudgetItem } from './core.ts';
import { budgetDeps } from './deps.ts';

const { logger, count, instrument } = functionObservability('budgets');

type ExpenseLike = { date: string; category: string } | null;
type ExpenseChanged = { action: 'expenseChanged'; owner: string; before: ExpenseLike; after: ExpenseLike; correlationId?: string | null };

/**
 * BudgetFn: re-evaluates budgets after an expense change (an async Event from the expense
 * resolvers; a throw makes Lambda retry, and alerts are once-only, so a retry is safe) and
 * resolves `Budget.status`.
 */
async function handleBudgetEvent(event: ExpenseChanged | FieldCall<Record<string, unknown>>): Promise<unknown> {
  if ('action' in event && event.action === 'expenseChanged') {
    logger.appendKeys({ owner: event.owner });
    const alerts = await evaluateBudgetsForChange(budgetDeps(), event.owner, changeOf(event.before, event.after));
    count('budgetAlertsSent', alerts.length);
    if (alerts.length) logger.info('budget alerts sent', { alerts: alerts.map((a) => `${a.budgetId}@${a.threshold}`) });
    return { alerts: alerts.length };
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
      return currentBudgetStatus(budgetDeps(), call.sub, budget);
    },
    (message, error) => logger.error(message, error as Error),
  );
}

export const handler = instrument(handleBudgetEvent, (event) => ('action' in event ? event.correlationId : event.requestId));
