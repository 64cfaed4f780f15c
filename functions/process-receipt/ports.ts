import { merchantKeyOf } from '../../model/merchant-key.ts';
import { evaluateBudgetsForChange, evaluateBudgetsOnceSettled } from '../shared/budgets/core.ts';
import { budgetDeps, indexesSettled } from '../shared/budgets/deps.ts';
import { parseAnalyzeExpense } from '../ocr/parse-analyze-expense.ts';
import type { FunctionObservability } from '../shared/observability.ts';
import { publishReceiptProcessed } from '../shared/publish.ts';
import type { ProcessReceiptDeps } from './core.ts';

/** The OCR function's links to the other features: the parser, learning keys, budgets, the receipt-processed event. */
export function processingPorts({ logger, count }: Pick<FunctionObservability, 'logger' | 'count'>) {
  return {
    parse: parseAnalyzeExpense,
    merchantKeyOf,
    // An OCR-made expense moves budgets exactly as a typed-in one: the same core, called in-process.
    evaluateBudgets: (async (owner, change) => {
      const alerts = await evaluateBudgetsForChange(budgetDeps(), owner, change);
      count('budgetAlertsSent', alerts.length);
      if (alerts.length) logger.info('budget alerts sent', { alerts: alerts.map((a) => a.id) });
    }) satisfies ProcessReceiptDeps['evaluateBudgets'],
    // BudgetFn's second look (functions/budgets/handler.ts), after the push so it never delays it.
    settleBudgets: (async (owner, change) => {
      const settled = indexesSettled();
      if (!settled) return;
      const alerts = await evaluateBudgetsOnceSettled(budgetDeps(), owner, change, settled);
      count('budgetAlertsSent', alerts.length);
      if (alerts.length)
        logger.info('budget alerts sent once the indexes settled', { alerts: alerts.map((a) => a.id) });
    }) satisfies ProcessReceiptDeps['settleBudgets'],
    publishProcessed: (async (owner, receiptId) => {
      await publishReceiptProcessed(owner, receiptId);
    }) satisfies ProcessReceiptDeps['publishProcessed'],
  };
}
