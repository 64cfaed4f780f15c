import { CONNECTION_STATE_CHANGE, ConnectionState } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import { subscribe, type Subscription } from '../api/client.ts';
import {
  ON_BUDGET_ALERT,
  ON_JOB_DONE,
  ON_RECEIPT_PROCESSED,
  type BudgetAlert,
  type Job,
  type OnBudgetAlertData,
  type OnJobDoneData,
  type OnReceiptProcessedData,
  type Receipt,
} from '../api/operations.ts';
import { categoryLabel } from './categories.ts';
import { formatMoney } from './money.ts';
import { createStore } from './store.ts';
import { showToast } from './toasts.ts';

/**
 * The pushes of the API, opened once per signed-in session with Amplify's real-time client:
 * `onReceiptProcessed` (receipts finishing OCR), `onBudgetAlert` (thresholds crossed) and
 * `onJobDone` (exports and report emails finished). All are at least once, so a receipt is taken
 * by id + updatedAt and an alert by id, each once; seen alert ids are remembered across reloads,
 * so an alert is shown once.
 */
export const receiptEvents = createStore<Receipt | null>(null);
export const jobEvents = createStore<Job | null>(null);
export const liveState = createStore<'connecting' | 'connected' | 'disrupted'>('connecting');

const SEEN_ALERTS_KEY = 'expense-tracker:seen-alerts';
let subscriptions: Subscription[] = [];
const seenReceipts = new Set<string>();

function seenAlerts(): string[] {
  try {
    return JSON.parse(localStorage.getItem(SEEN_ALERTS_KEY) ?? '[]') as string[];
  } catch {
    return [];
  }
}

function firstSighting(alert: BudgetAlert): boolean {
  const seen = seenAlerts();
  if (seen.includes(alert.id)) return false;
  localStorage.setItem(SEEN_ALERTS_KEY, JSON.stringify([...seen.slice(-199), alert.id]));
  return true;
}

function onAlert(alert: BudgetAlert): void {
  if (!firstSighting(alert)) return;
  const over = alert.threshold >= 100;
  showToast({
    id: `alert:${alert.id}`,
    tone: over ? 'danger' : 'warning',
    title: `${alert.budgetName}: ${alert.threshold}% of the budget used`,
    body: `${formatMoney(alert.spent, alert.currency)} of ${formatMoney(alert.limit, alert.currency)} spent (${categoryLabel(alert.category)}, ${alert.periodStart} to ${alert.periodEnd}).`,
  });
}

export function startLive(): void {
  if (subscriptions.length) return;
  const retry = () => {
    stopLive();
    setTimeout(startLive, 5000);
  };
  subscriptions = [
    subscribe<OnReceiptProcessedData>(
      ON_RECEIPT_PROCESSED,
      ({ onReceiptProcessed: receipt }) => {
        const key = `${receipt.id}@${receipt.updatedAt}`;
        if (seenReceipts.has(key)) return;
        seenReceipts.add(key);
        receiptEvents.set(receipt);
      },
      retry,
    ),
    subscribe<OnBudgetAlertData>(ON_BUDGET_ALERT, ({ onBudgetAlert }) => onAlert(onBudgetAlert), retry),
    subscribe<OnJobDoneData>(ON_JOB_DONE, ({ onJobDone }) => jobEvents.set(onJobDone), retry),
  ];
}

export function stopLive(): void {
  for (const s of subscriptions) s.unsubscribe();
  subscriptions = [];
}

Hub.listen('api', ({ payload }) => {
  if (payload.event !== CONNECTION_STATE_CHANGE) return;
  const state = (payload.data as { connectionState: ConnectionState }).connectionState;
  if (state === ConnectionState.Connected) liveState.set('connected');
  else if (state === ConnectionState.ConnectionDisrupted || state === ConnectionState.ConnectedPendingDisconnect)
    liveState.set('disrupted');
  else if (state === ConnectionState.Connecting) liveState.set('connecting');
});
