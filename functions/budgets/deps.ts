import { setTimeout as sleep } from 'node:timers/promises';
import { dynamoDocumentClient, sesClient } from '../shared/aws-clients.ts';
import { config, tableName } from '../shared/config.ts';
import type { BudgetDeps } from './core.ts';
import { createBudgetStore } from './dynamo-adapters.ts';
import { createAlertChannels } from './notify.ts';

/** Budget evaluation wired to AWS (or the local stand-ins): used by BudgetFn and by the OCR function. */
let deps: BudgetDeps | undefined;
export function budgetDeps(): BudgetDeps {
  if (deps) return deps;
  const store = createBudgetStore(dynamoDocumentClient(), { budgets: tableName('Budgets'), expenses: tableName('Expenses'), users: tableName('Users') });
  deps = { ...store, ...createAlertChannels(sesClient(), config.senderEmail, store.profile), now: () => new Date() };
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
