import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  CONFIRM_RECURRING,
  DELETE_RECURRING,
  DISMISS_RECURRING,
  SUBSCRIPTIONS,
  type ConfirmRecurringData,
  type RecurringCandidate,
  type RecurringRule,
  type SubscriptionsData,
} from '../api/operations.ts';
import { Dialog } from '../components/dialog.tsx';
import { Field } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { formatDay } from '../lib/dates.ts';
import { describeError, toApiError } from '../lib/errors.ts';
import { decimalAmount, formatMoney, parseAmount } from '../lib/money.ts';
import { profile } from '../lib/profile.ts';

/**
 * Subscriptions: what the recurring rules expect in the coming month, the rules confirmed (each
 * deletable), and the recurring charges found in the expenses, to confirm as a rule (named, with the amount
 * expected and how far a charge may differ from it, in a dialog) or dismiss.
 * One query reads all three, and again after each change, since a change moves items between them.
 */
const UPCOMING_DAYS = 31;

/** The API's default for how far a charge may differ from the rule's amount (confirmRecurring). */
const DEFAULT_TOLERANCE_PERCENT = 10;

const CADENCE_LABELS: Record<RecurringCandidate['cadence'], string> = {
  WEEKLY: 'Weekly',
  MONTHLY: 'Monthly',
  YEARLY: 'Yearly',
};

export function Subscriptions() {
  const me = profile.use();
  const [data, setData] = useState<SubscriptionsData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<RecurringCandidate | null>(null);
  const status = useRef<HTMLDivElement>(null);
  const day = (date: string) => formatDay(date, me?.dateOrder);

  async function load() {
    try {
      setData(await gql<SubscriptionsData>(SUBSCRIPTIONS, { days: UPCOMING_DAYS }));
    } catch (caught) {
      setError(describeError(caught, 'your subscriptions'));
    }
  }

  useEffect(() => void load(), []);

  /** Runs a change, then says what happened and reads the lists again. */
  async function change(id: string, run: () => Promise<unknown>, said: string, subject: string) {
    setBusy(id);
    setError(null);
    setDone(null);
    try {
      await run();
      setDone(said);
    } catch (caught) {
      setError(describeError(caught, subject));
    } finally {
      await load();
      setBusy(null);
      // The button pressed is gone (its item moved): the focus goes to what happened, not to the page's start.
      status.current?.focus();
    }
  }

  /** Saved in the dialog (which showed any error itself): say so and read the lists again. */
  async function confirmed(rule: RecurringRule) {
    setConfirming(null);
    setError(null);
    setDone(`${rule.name} is now one of your subscriptions.`);
    await load();
    status.current?.focus();
  }
  const dismiss = (candidate: RecurringCandidate) =>
    change(
      candidate.id,
      () => gql(DISMISS_RECURRING, { id: candidate.id }),
      `${candidate.merchant} will not be suggested again.`,
      `this charge from ${candidate.merchant}`,
    );
  const remove = (rule: RecurringRule) =>
    change(
      rule.id,
      () => gql(DELETE_RECURRING, { id: rule.id }),
      `${rule.name} is no longer tracked. It may be suggested again while its charges go on.`,
      rule.name,
    );

  return (
    <Page title="Subscriptions">
      <ErrorMessage message={error} />
      <div role="status" tabIndex={-1} ref={status} class="status-region">
        {done && <p class="notice success">{done}</p>}
      </div>
      {data === null && !error && <p class="loading">Loading…</p>}
      {data && (
        <>
          <section class="card" aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">Upcoming charges</h2>
            <p class="hint">What your subscriptions are expected to charge in the next {UPCOMING_DAYS} days.</p>
            {data.upcomingCharges.length === 0 ? (
              <p class="empty">Nothing expected. Confirm a subscription below to see its next charges here.</p>
            ) : (
              <ul class="recurring-list" aria-label="Upcoming charges">
                {data.upcomingCharges.map((charge) => (
                  <li key={`${charge.ruleId}-${charge.date}`} class="recurring upcoming">
                    <span class="date">{day(charge.date)}</span>
                    <span class="merchant">{charge.name}</span>
                    <span class="amount">{formatMoney(charge.amount, charge.currency)}</span>
                    {charge.overdue && <span class="status failed">Overdue</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section class="card" aria-labelledby="rules-title">
            <h2 id="rules-title">Your subscriptions</h2>
            {data.listRecurring.length === 0 ? (
              <p class="empty">None yet. Confirm one of the charges found in your expenses.</p>
            ) : (
              <ul class="recurring-list" aria-label="Your subscriptions">
                {data.listRecurring.map((rule) => (
                  <li key={rule.id} class="recurring rule" data-rule-id={rule.id}>
                    <div class="recurring-main">
                      <span class="merchant">{rule.name}</span>
                      <span class="amount">{formatMoney(rule.amount, rule.currency)}</span>
                      <span class="hint">
                        {CADENCE_LABELS[rule.cadence]} · next {day(rule.nextChargeDate)}
                        {rule.lastChargeDate ? ` · last ${day(rule.lastChargeDate)}` : ''}
                      </span>
                    </div>
                    <div class="row-actions">
                      <button
                        type="button"
                        aria-label={`Delete ${rule.name}`}
                        disabled={busy !== null}
                        onClick={() => void remove(rule)}
                      >
                        Delete
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section class="card" aria-labelledby="candidates-title">
            <h2 id="candidates-title">Found in your expenses</h2>
            <p class="hint">
              Charges from the same merchant at a regular interval, at least three times. Confirm the ones that are
              subscriptions; dismiss the others and they are not suggested again.
            </p>
            {data.recurringCandidates.length === 0 ? (
              <p class="empty">Nothing new found.</p>
            ) : (
              <ul class="recurring-list" aria-label="Found in your expenses">
                {data.recurringCandidates.map((candidate) => (
                  <li key={candidate.id} class="recurring candidate" data-candidate-id={candidate.id}>
                    <div class="recurring-main">
                      <span class="merchant">{candidate.merchant}</span>
                      <span class="amount">{formatMoney(candidate.amount, candidate.currency)}</span>
                      <span class="hint">
                        {CADENCE_LABELS[candidate.cadence]} · {candidate.occurrences} charges, last{' '}
                        {day(candidate.lastDate)} · next {day(candidate.nextDate)} ·{' '}
                        {Math.round(candidate.confidence * 100)}% sure
                      </span>
                    </div>
                    <div class="row-actions">
                      <button
                        type="button"
                        class="primary"
                        aria-label={`Confirm ${candidate.merchant}`}
                        disabled={busy !== null}
                        onClick={() => setConfirming(candidate)}
                      >
                        Confirm
                      </button>
                      <button
                        type="button"
                        aria-label={`Dismiss ${candidate.merchant}`}
                        disabled={busy !== null}
                        onClick={() => void dismiss(candidate)}
                      >
                        Dismiss
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      <Dialog title="Confirm subscription" open={!!confirming} onClose={() => setConfirming(null)}>
        {confirming && <ConfirmForm candidate={confirming} onConfirmed={(rule) => void confirmed(rule)} />}
      </Dialog>
    </Page>
  );
}

type ConfirmField = 'name' | 'amount' | 'tolerancePercent';
type Problem = { field: ConfirmField | null; message: string };

/**
 * A candidate confirmed as a rule: its name (the merchant to start with), the amount expected per
 * charge (the candidate's typical one, in its currency) and the tolerance. The API's errors are
 * shown at the field they name, what was typed kept.
 */
function ConfirmForm(props: { candidate: RecurringCandidate; onConfirmed(rule: RecurringRule): void }) {
  const { candidate } = props;
  const [name, setName] = useState(candidate.merchant);
  const [amount, setAmount] = useState(decimalAmount(candidate.amount, candidate.currency));
  const [tolerance, setTolerance] = useState(String(DEFAULT_TOLERANCE_PERCENT));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setProblem({ field: 'name', message: 'Give the subscription a name.' });
    const minor = parseAmount(amount, candidate.currency);
    if (minor === null || minor < 1)
      return setProblem({ field: 'amount', message: 'Enter the amount as a number, e.g. 12.50.' });
    // An Int in the schema: anything else would fail before the API could say which field.
    if (!/^\d{1,3}$/.test(tolerance.trim()))
      return setProblem({ field: 'tolerancePercent', message: 'Enter a whole number from 0 to 100.' });
    setBusy(true);
    setProblem(null);
    try {
      const input = { id: candidate.id, name: trimmed, amount: minor, tolerancePercent: Number(tolerance.trim()) };
      const { confirmRecurring } = await gql<ConfirmRecurringData>(CONFIRM_RECURRING, { input });
      props.onConfirmed(confirmRecurring);
    } catch (caught) {
      const e = toApiError(caught);
      const field = e.info.field;
      setProblem(
        e.type === 'ValidationError' && (field === 'name' || field === 'amount' || field === 'tolerancePercent')
          ? { field, message: e.message }
          : { field: null, message: describeError(caught, `this charge from ${candidate.merchant}`) },
      );
    } finally {
      setBusy(false);
    }
  }

  const errorOf = (field: ConfirmField) => (problem?.field === field ? problem.message : null);
  return (
    <form class="confirm-recurring" onSubmit={submit} noValidate aria-labelledby="dialog-title">
      <p class="hint">
        {CADENCE_LABELS[candidate.cadence]} charges from {candidate.merchant}, typically{' '}
        {formatMoney(candidate.amount, candidate.currency)}.
      </p>
      <Field label="Name" required maxLength={100} value={name} onValue={setName} error={errorOf('name')} />
      <Field
        label={`Amount (${candidate.currency})`}
        inputMode="decimal"
        required
        value={amount}
        onValue={setAmount}
        hint="Expected per charge, e.g. 12.50"
        error={errorOf('amount')}
      />
      <Field
        label="Tolerance (%)"
        inputMode="numeric"
        required
        value={tolerance}
        onValue={setTolerance}
        hint="A charge within this percentage of the amount counts as this subscription's."
        error={errorOf('tolerancePercent')}
      />
      <ErrorMessage message={problem && !problem.field ? problem.message : null} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
