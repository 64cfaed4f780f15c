import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  SETTLE_SHARE_BALANCE,
  SHARED,
  type SettleShareBalanceData,
  type ShareBalance,
  type SharedData,
} from '../api/operations.ts';
import { ErrorMessage, Page } from '../components/page.tsx';
import { formatDay } from '../lib/dates.ts';
import { describeError } from '../lib/errors.ts';
import { formatMoney } from '../lib/money.ts';
import { profile } from '../lib/profile.ts';

/**
 * Shared: what each person you share expenses with owes you, or you owe them, per currency, each
 * settled with one press (the whole balance); and the expenses shared, yours and theirs, with
 * your share of each. One query reads both, and again after a payment.
 */
export function Shared() {
  const me = profile.use();
  const [data, setData] = useState<SharedData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const status = useRef<HTMLDivElement>(null);

  async function load() {
    try {
      setData(await gql<SharedData>(SHARED));
    } catch (caught) {
      setError(describeError(caught, 'what you share'));
    }
  }

  useEffect(() => void load(), []);

  async function settle(balance: ShareBalance) {
    const key = `${balance.email} ${balance.currency}`;
    setBusy(key);
    setError(null);
    setDone(null);
    try {
      // One id per press: a retry of this request by the network records nothing more.
      const input = { email: balance.email, currency: balance.currency, requestId: crypto.randomUUID() };
      const { settleShareBalance: paid } = await gql<SettleShareBalanceData>(SETTLE_SHARE_BALANCE, { input });
      const money = formatMoney(paid.amount, paid.currency);
      setDone(paid.paidByMe ? `You paid ${paid.email} ${money}.` : `${paid.email} paid you ${money}.`);
    } catch (caught) {
      setError(describeError(caught, `your balance with ${balance.email}`));
    } finally {
      await load();
      setBusy(null);
      // The settled balance is gone from the list: the focus goes to what happened.
      status.current?.focus();
    }
  }

  return (
    <Page title="Shared">
      <ErrorMessage message={error} />
      <div role="status" tabIndex={-1} ref={status} class="status-region">
        {done && <p class="notice success">{done}</p>}
      </div>
      {data === null && !error && <p class="loading">Loading…</p>}
      {data && (
        <>
          <section class="card" aria-labelledby="balances-title">
            <h2 id="balances-title">Balances</h2>
            {data.shareBalances.length === 0 ? (
              <p class="empty">All settled up. Share an expense from the Expenses screen.</p>
            ) : (
              <ul class="recurring-list" aria-label="Balances">
                {data.shareBalances.map((balance) => (
                  <li key={`${balance.email}-${balance.currency}`} class="recurring balance">
                    <div class="recurring-main">
                      <span class="merchant">
                        {balance.amount > 0 ? `${balance.email} owes you` : `You owe ${balance.email}`}
                      </span>
                      <span class={`amount ${balance.amount > 0 ? 'owed' : 'owing'}`}>
                        {formatMoney(Math.abs(balance.amount), balance.currency)}
                      </span>
                    </div>
                    <div class="row-actions">
                      <button
                        type="button"
                        aria-label={`Settle with ${balance.email} in ${balance.currency}`}
                        disabled={busy !== null}
                        onClick={() => void settle(balance)}
                      >
                        Settle
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section class="card" aria-labelledby="shared-title">
            <h2 id="shared-title">Shared expenses</h2>
            {data.listSharedExpenses.items.length === 0 ? (
              <p class="empty">Nothing shared yet.</p>
            ) : (
              <ul class="recurring-list" aria-label="Shared expenses">
                {data.listSharedExpenses.items.map((shared) => (
                  <li key={shared.id} class="recurring shared" data-shared-id={shared.id}>
                    <div class="recurring-main">
                      <span class="merchant">{shared.merchant}</span>
                      <span class="amount">{formatMoney(shared.amount, shared.currency)}</span>
                      <span class="hint">
                        {formatDay(shared.date, me?.dateOrder)} ·{' '}
                        {shared.paidByMe ? 'you paid' : `${shared.payerEmail} paid`} · your share{' '}
                        {formatMoney(shared.myShare, shared.currency)} · with{' '}
                        {shared.participants
                          .filter((p) => !p.payer)
                          .map((p) => p.email)
                          .join(', ')}
                      </span>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </Page>
  );
}
