import type { Logger } from '@aws-lambda-powertools/logger';
import { merchantKeyOf } from '../../resolvers/lib/merchant-key.ts';
import { changeOf, evaluateBudgetsForChange } from '../budgets/core.ts';
import { budgetDeps } from '../budgets/deps.ts';
import { parseAnalyzeExpense } from '../ocr/parse-analyze-expense.ts';
import { publishReceiptProcessed } from '../shared/publish.ts';
import type { ProcessReceiptDeps } from './core.ts';

/** The OCR function's links to the other features: the parser, learning keys, budgets, the receipt-processed event. */
export function processingPorts(logger: Logger) {
  return {
    parse: parseAnalyzeExpense,
    merchantKeyOf,
    // An OCR-made expense moves budgets exactly as a typed-in one: the same core, called in-process.
    evaluateBudgets: (async (owner, { before, after }) => {
      // The budget core reads the days and categories touched (changeOf); once it takes the
      // items themselves, they go as they are.
      const alerts = await evaluateBudgetsForChange(budgetDeps(), owner, changeOf(before, after));
      if (alerts.length) logger.info('budget alerts sent', { alerts: alerts.map((a) => `${a.budgetId}@${a.threshold}`) });
    }) satisfies ProcessReceiptDeps['evaluateBudgets'],
    publishProcessed: (async (owner, receiptId) => {
      await publishReceiptProcessed(owner, receiptId);
    }) satisfies ProcessReceiptDeps['publishProcessed'],
  };
}
