import { merchantKeyOf } from '../../resolvers/lib/merchant-key.ts';
import { evaluateBudgetsForChange } from '../budgets/core.ts';
import { budgetDeps } from '../budgets/deps.ts';
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
      if (alerts.length) logger.info('budget alerts sent', { alerts: alerts.map((a) => `${a.budgetId}@${a.threshold}`) });
    }) satisfies ProcessReceiptDeps['evaluateBudgets'],
    publishProcessed: (async (owner, receiptId) => {
      await publishReceiptProcessed(owner, receiptId);
    }) satisfies ProcessReceiptDeps['publishProcessed'],
  };
}
