import { setTimeout as sleep } from 'node:timers/promises';
import { dynamoDocumentClient, sesClient } from '../aws-clients.ts';
import { config, tableName } from '../config.ts';
import type { BudgetDeps } from './core.ts';
import { createBudgetStore, createRecurringRuleReader } from './dynamo-adapters.ts';
import { createAlertChannels } from './notify.ts';
import { createDynamoRateStore } from '../currency/dynamo-rates.ts';
import { createRateBook } from '../currency/rate-book.ts';

/** Budget evaluation wired to AWS (or the local stand-ins): used by BudgetFn and by the OCR function. */
let deps: BudgetDeps | undefined;
export function budgetDeps(): BudgetDeps {
  if (deps) return deps;
  const store = createBudgetStore(dynamoDocumentClient(), {
    budgets: tableName('Budgets'),
    expenses: tableName('Expenses'),
    users: tableName('Users'),
  });
  const rateStore = createDynamoRateStore(dynamoDocumentClient(), tableName('Rates'));
  deps = {
    ...store,
    // Read by the status only (Budget.status), not by the evaluation after a change: BudgetFn's grant.
    recurringRules: createRecurringRuleReader(dynamoDocumentClient(), tableName('Recurring')),
    ...createAlertChannels(sesClient(), config.senderEmail, store.profile),
    // A fresh memo per use would re-read months; rates of a past day never change, and the newest
    // month is re-read by the next process (a warm Lambda keeps this book for its life: at most
    // one refresh late, and the stored conversions of new expenses carry the newer rate).
    rates: createRateBook(rateStore),
    now: () => new Date(),
    leasesVoidBefore: config.processingLeasesVoidBefore,
  };
  return deps;
}

/**
 * What evaluateBudgetsOnceSettled waits for: config.indexSettleMs, the indexes' propagation
 * delay; null where the indexes are updated with the table (the local DynamoDB), so callers
 * skip the second look.
 */
export function indexesSettled(): (() => Promise<void>) | null {
  const settleMs = config.indexSettleMs;
  return settleMs > 0 ? () => sleep(settleMs) : null;
}
