import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { HISTORY, type HistoryData, type HistoryEntry } from '../api/operations.ts';
import { categoryLabel } from '../lib/categories.ts';
import { formatDateTime, formatDay } from '../lib/dates.ts';
import { describeError } from '../lib/errors.ts';
import { formatMoney } from '../lib/money.ts';
import type { Category, ChangePath, DateOrder, HistoryAction } from '../../../generated/graphql.ts';
import { profile } from '../lib/profile.ts';
import { ErrorMessage } from './page.tsx';

/**
 * An expense's changes, oldest first (`history(itemId)`), read when the person opens the
 * disclosure: who or what made each change (you, the receipt reader, a statement import…)
 * and every field's value before and after.
 */
const ACTIONS: Record<HistoryAction, string> = { CREATED: 'Created', UPDATED: 'Changed', DELETED: 'Deleted' };
const PATHS: Record<ChangePath, string> = {
  API: 'by you',
  OCR: 'by the receipt reader',
  LEARNING: 'by a category you taught',
  IMPORT: 'by a statement import',
  SHARE: 'by a share',
  RETENTION: 'by the image retention rule',
  EMAIL: 'by an email you forwarded',
};
const FIELDS: Record<string, string> = {
  merchant: 'Merchant',
  amount: 'Amount',
  currency: 'Currency',
  date: 'Date',
  category: 'Category',
  categorySource: 'Category chosen',
  categoryConfidence: 'Category confidence',
  note: 'Note',
  receiptId: 'Receipt',
  needsReview: 'Needs review',
  splits: 'Split',
};
const dateOrder = (): DateOrder | undefined => profile.get()?.dateOrder;
const HIDDEN_FIELDS = new Set(['categorySource', 'categoryConfidence', 'receiptId']);

function parse(json: string | null | undefined): unknown {
  if (json === null || json === undefined) return null;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

function shown(field: string, value: unknown, currency: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'date' && typeof value === 'string') return formatDay(value, dateOrder());
  if (field === 'amount' && typeof value === 'number') return formatMoney(value, currency);
  if (field === 'category') return categoryLabel(value as Category);
  if (field === 'splits' && Array.isArray(value))
    return (value as Array<{ category: Category; amount: number }>)
      .map((p) => `${categoryLabel(p.category)} ${formatMoney(p.amount, currency)}`)
      .join(' · ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Entry(props: { entry: HistoryEntry; currency: string }) {
  const { entry } = props;
  const changes = entry.changes
    .map((c) => ({ field: c.field, before: parse(c.before), after: parse(c.after) }))
    .filter((c) => !HIDDEN_FIELDS.has(c.field));
  // Amounts in the currency they had on that side of the change.
  const currencyAt = (side: 'before' | 'after') =>
    (changes.find((c) => c.field === 'currency')?.[side] as string | undefined) ?? props.currency;
  return (
    <li class="history-entry">
      <p class="history-head">
        <strong>{ACTIONS[entry.action] ?? entry.action}</strong> {PATHS[entry.path] ?? ''},{' '}
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> <span class="hint">(version {entry.version})</span>
      </p>
      {changes.length > 0 && (
        <ul class="history-changes">
          {changes.map((c) => (
            <li key={c.field}>
              {FIELDS[c.field] ?? c.field}:{' '}
              {entry.action === 'CREATED' ? (
                shown(c.field, c.after, currencyAt('after'))
              ) : (
                <>
                  <del>{shown(c.field, c.before, currencyAt('before'))}</del>
                  <span aria-hidden="true"> → </span>
                  <span class="visually-hidden"> changed to </span>
                  <ins>{shown(c.field, c.after, currencyAt('after'))}</ins>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function ExpenseHistory(props: { expenseId: string; currency: string }) {
  const [items, setItems] = useState<HistoryEntry[] | null>(null);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function load(token: string | null) {
    setLoading(true);
    setError(null);
    try {
      const { history } = await gql<HistoryData>(HISTORY, {
        itemId: props.expenseId,
        itemType: 'EXPENSE',
        limit: 20,
        nextToken: token,
      });
      setItems((list) => (token && list ? [...list, ...history.items] : history.items));
      setNextToken(history.nextToken);
    } catch (caught) {
      setError(describeError(caught, 'the history of this expense'));
    } finally {
      setLoading(false);
    }
  }

  return (
    <details
      class="history"
      onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && items === null && !loading && void load(null)}
    >
      <summary>Change history</summary>
      {loading && items === null && <p class="loading">Loading…</p>}
      <ErrorMessage message={error} />
      {items && items.length === 0 && <p class="empty">No changes recorded yet.</p>}
      {items && items.length > 0 && (
        <ol class="history-list" aria-label="Changes, oldest first">
          {items.map((entry) => (
            <Entry key={`${entry.version}-${entry.at}`} entry={entry} currency={props.currency} />
          ))}
        </ol>
      )}
      {nextToken && (
        <button type="button" onClick={() => void load(nextToken)} disabled={loading}>
          {loading ? 'Loading…' : 'More changes'}
        </button>
      )}
    </details>
  );
}
