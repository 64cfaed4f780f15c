import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  SETTLE_SHARE_BALANCE,
  SHARED,
  UNSHARE_EXPENSE,
  type SharedExpense,
  type SettleShareBalanceData,
  type ShareBalance,
  type SharedData,
  type ShareSettlement,
  type UnshareExpenseData,
} from '../api/operations.ts';
import { Dialog } from '../components/dialog.tsx';
import { Field, SelectField } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { useAction } from '../lib/action.ts';
import { formatDay } from '../lib/dates.ts';
import { describeError, toApiError } from '../lib/errors.ts';
import { decimalAmount, formatMoney, parseAmount } from '../lib/money.ts';
import { profile } from '../lib/profile.ts';

/**
 * Shared: what each person you share expenses with owes you, or you owe them, per currency, each
 * settled in a dialog (the whole balance, or part of it); and the expenses shared, yours and
 * theirs, with your share of each, those you paid each withdrawn in a dialog (from one person or
 * everyone). One query reads both, and again after a payment or a withdrawal.
 */
export function Shared() {
  const me = profile.use();
  const [data, setData] = useState<SharedData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [settling, setSettling] = useState<ShareBalance | null>(null);
  const [withdrawing, setWithdrawing] = useState<SharedExpense | null>(null);
  const status = useRef<HTMLDivElement>(null);

  async function load() {
    try {
      setData(await gql<SharedData>(SHARED));
    } catch (caught) {
      setError(describeError(caught, 'what you share'));
    }
  }

  useEffect(() => void load(), []);

  /** Recorded in the dialog (which showed any error itself): say so and read the lists again. */
  async function settled(paid: ShareSettlement) {
    setSettling(null);
    setError(null);
    const money = formatMoney(paid.amount, paid.currency);
    setDone(paid.paidByMe ? `You paid ${paid.email} ${money}.` : `${paid.email} paid you ${money}.`);
    await load();
    // The settled balance may be gone from the list: the focus goes to what happened.
    status.current?.focus();
  }

  /** Withdrawn in the dialog: say so and read the lists again (the balances dropped). */
  async function withdrew(shared: SharedExpense, from: string | null) {
    setWithdrawing(null);
    setError(null);
    setDone(`${shared.merchant} is withdrawn from ${from ?? 'everyone'}.`);
    await load();
    status.current?.focus();
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
                        onClick={() => setSettling(balance)}
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
                    {shared.paidByMe && (
                      <div class="row-actions">
                        <button
                          type="button"
                          aria-label={`Withdraw ${shared.merchant} of ${formatDay(shared.date, me?.dateOrder)}`}
                          onClick={() => setWithdrawing(shared)}
                        >
                          Withdraw
                        </button>
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      <Dialog title="Settle up" open={!!settling} onClose={() => setSettling(null)}>
        {settling && <SettleForm balance={settling} onSettled={(paid) => void settled(paid)} />}
      </Dialog>
      <Dialog title="Withdraw shared expense" open={!!withdrawing} onClose={() => setWithdrawing(null)}>
        {withdrawing && <WithdrawForm shared={withdrawing} onWithdrawn={(from) => void withdrew(withdrawing, from)} />}
      </Dialog>
    </Page>
  );
}

/**
 * A payment recorded: the whole balance to start with, or less. Whoever owes pays (the API picks
 * the direction from the balance). One request id per dialog, so a retried request records once.
 */
function SettleForm(props: { balance: ShareBalance; onSettled(paid: ShareSettlement): void }) {
  const { balance } = props;
  const whole = Math.abs(balance.amount);
  const [amount, setAmount] = useState(decimalAmount(whole, balance.currency));
  const [problem, setProblem] = useState<{ atField: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [requestId] = useState(() => crypto.randomUUID());

  async function submit(event: Event) {
    event.preventDefault();
    const minor = parseAmount(amount, balance.currency);
    if (minor === null || minor < 1 || minor > whole)
      return setProblem({
        atField: true,
        message: `Enter an amount up to ${formatMoney(whole, balance.currency)}.`,
      });
    setBusy(true);
    setProblem(null);
    try {
      const input = { email: balance.email, currency: balance.currency, amount: minor, requestId };
      const { settleShareBalance } = await gql<SettleShareBalanceData>(SETTLE_SHARE_BALANCE, { input });
      props.onSettled(settleShareBalance);
    } catch (caught) {
      const e = toApiError(caught);
      setProblem(
        e.type === 'ValidationError' && e.info.field === 'amount'
          ? { atField: true, message: e.message }
          : { atField: false, message: describeError(caught, `your balance with ${balance.email}`) },
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="settle-up" onSubmit={submit} noValidate aria-labelledby="dialog-title">
      <p class="hint">
        {balance.amount > 0 ? `${balance.email} owes you` : `You owe ${balance.email}`}{' '}
        {formatMoney(whole, balance.currency)}.
      </p>
      <Field
        label={`Amount paid (${balance.currency})`}
        inputMode="decimal"
        required
        value={amount}
        onValue={setAmount}
        hint="The whole balance, or part of it"
        error={problem?.atField ? problem.message : null}
      />
      <ErrorMessage message={problem && !problem.atField ? problem.message : null} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Recording…' : 'Record payment'}
        </button>
      </div>
    </form>
  );
}

/**
 * A shared expense the caller paid, withdrawn from one participant or from everyone: they no
 * longer owe their share (a payment they made stays, and is then owed back). Withdrawing twice
 * changes nothing (the API answers the same).
 */
function WithdrawForm(props: { shared: SharedExpense; onWithdrawn(from: string | null): void }) {
  const { shared } = props;
  const others = shared.participants.filter((p) => !p.payer);
  const [from, setFrom] = useState('');
  const { busy, error, run } = useAction(shared.merchant);

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      await gql<UnshareExpenseData>(UNSHARE_EXPENSE, { id: shared.id, email: from || null });
      props.onWithdrawn(from || null);
    });
  }

  return (
    <form class="withdraw-share" onSubmit={submit} noValidate aria-labelledby="dialog-title">
      <p class="hint">
        {shared.merchant}, {formatMoney(shared.amount, shared.currency)}. Whoever it is withdrawn from no longer owes
        their share and is told; what they already paid you stays, and you then owe it back.
      </p>
      <SelectField
        label="Withdraw from"
        value={from}
        onValue={setFrom}
        options={[
          { value: '', label: 'Everyone' },
          ...others.map((p) => ({ value: p.email, label: `${p.email} (${formatMoney(p.amount, shared.currency)})` })),
        ]}
      />
      <ErrorMessage message={error} />
      <div class="actions">
        <button type="submit" class="danger" disabled={busy}>
          {busy ? 'Withdrawing…' : 'Withdraw'}
        </button>
      </div>
    </form>
  );
}
