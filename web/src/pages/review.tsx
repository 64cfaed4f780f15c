import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { gql } from '../api/client.ts';
import {
  LIST_RECEIPTS,
  UPDATE_EXPENSE,
  type Expense,
  type ListReceiptsData,
  type Receipt,
  type UpdateExpenseData,
} from '../api/operations.ts';
import { Field, SelectField } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { ReceiptImage } from '../components/receipt-image.tsx';
import { CATEGORIES, CATEGORY_LABELS } from '../lib/categories.ts';
import { describeError, toApiError } from '../lib/errors.ts';
import { receiptEvents } from '../lib/live.ts';
import { decimalAmount, parseAmount } from '../lib/money.ts';
import { refreshReviewCount } from '../lib/review-count.ts';

/**
 * The review queue: receipts the OCR was unsure about (NEEDS_REVIEW), one at a time, the image
 * beside the fields it read. Fields read with low confidence are marked with it and take the
 * focus first; Enter confirms (fixes and confirms in one updateExpense with `reviewed: true`),
 * and the next receipt opens with the focus in its first doubtful field.
 */
const LOW = 0.6;
const UNSURE = 0.85;

export function Review() {
  const { query, route } = useLocation();
  const [queue, setQueue] = useState<Receipt[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    setError(null);
    try {
      const { listReceipts } = await gql<ListReceiptsData>(LIST_RECEIPTS, { status: 'NEEDS_REVIEW', limit: 50 });
      setQueue(listReceipts.items.filter((r) => r.expense));
    } catch (caught) {
      setError(describeError(caught, 'the receipts to review'));
    }
  }

  useEffect(() => {
    void load();
    return receiptEvents.subscribe((r) => {
      if (r?.status === 'NEEDS_REVIEW' && r.expense)
        setQueue((list) => (list && !list.some((x) => x.id === r.id) ? [...list, r] : list));
    });
  }, []);

  const current = queue?.find((r) => r.id === query.id) ?? queue?.[0];
  const position = current && queue ? queue.indexOf(current) + 1 : 0;

  function done(receipt: Receipt) {
    const rest = (queue ?? []).filter((r) => r.id !== receipt.id);
    setQueue(rest);
    void refreshReviewCount();
    route(rest.length ? `/review?id=${rest[Math.min(position - 1, rest.length - 1)].id}` : '/review', true);
  }

  function skip() {
    if (!queue || !current) return;
    const next = queue[position % queue.length];
    route(`/review?id=${next.id}`, true);
  }

  return (
    <Page title="Review">
      <ErrorMessage message={error} />
      {queue === null && !error && <p class="loading">Loading…</p>}
      {queue?.length === 0 && (
        <p class="empty">
          Nothing to review. Receipts the reader is unsure about wait here. <a href="/">Back to receipts</a>
        </p>
      )}
      {current && (
        <>
          <p class="hint" id="review-help">
            Receipt {position} of {queue!.length}. Fields read with low confidence are marked; fix what is wrong, then
            press Enter to confirm and open the next one.
          </p>
          <ReviewItem key={current.id} receipt={current} onDone={done} onSkip={queue!.length > 1 ? skip : undefined} />
        </>
      )}
    </Page>
  );
}

function Confidence({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <span class="confidence low">not read</span>;
  const level = value < LOW ? 'low' : value < UNSURE ? 'unsure' : 'sure';
  return <span class={`confidence ${level}`}>{Math.round(value * 100)}% sure</span>;
}

function ReviewItem(props: { receipt: Receipt; onDone(receipt: Receipt): void; onSkip?: () => void }) {
  const { receipt } = props;
  const extraction = receipt.extraction;
  // Fixes are what differs from the expense as read; after a Conflict they go on top of the current version.
  const expense: Expense = receipt.expense!;
  const [version, setVersion] = useState(expense.version);
  const [merchant, setMerchant] = useState(expense.merchant);
  const [date, setDate] = useState(expense.date);
  const [currency, setCurrency] = useState(expense.currency);
  const [amount, setAmount] = useState(decimalAmount(expense.amount, expense.currency));
  const [category, setCategory] = useState<string>(expense.category);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const confidence = {
    merchant: extraction?.merchant?.confidence,
    date: extraction?.date?.confidence,
    amount: extraction?.total?.confidence,
    currency: extraction?.currency?.confidence,
    category: expense.categoryConfidence,
  };
  const doubtful = (Object.keys(confidence) as Array<keyof typeof confidence>).filter(
    (field) => (confidence[field] ?? 0) < LOW,
  );

  useEffect(() => {
    // Keyboard-first: the focus goes where a fix is most likely needed.
    const first = doubtful[0] ?? 'merchant';
    form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }, [receipt.id]);

  async function confirm(event: Event) {
    event.preventDefault();
    const minor = parseAmount(amount, currency);
    if (minor === null || minor < 1) {
      setError('Enter the total as a number, e.g. 12.50.');
      return;
    }
    setBusy(true);
    setError(null);
    const input: Record<string, unknown> = { id: expense.id, expectedVersion: version, reviewed: true };
    if (merchant.trim() !== expense.merchant) input.merchant = merchant.trim();
    if (date !== expense.date) input.date = date;
    if (currency !== expense.currency) input.currency = currency.trim().toUpperCase();
    if (minor !== expense.amount) input.amount = minor;
    if (category !== expense.category) input.category = category;
    try {
      await gql<UpdateExpenseData>(UPDATE_EXPENSE, { input });
      props.onDone(receipt);
    } catch (caught) {
      setError(describeError(caught, 'this expense'));
      if (toApiError(caught).type === 'Conflict') {
        // Keep what was typed; take the current version so the next confirm applies on top of it.
        const fresh = await gql<{ expense: Pick<Expense, 'version'> | null }>(
          `query Fresh($id: ID!) { expense(id: $id) { id version } }`,
          { id: expense.id },
        ).catch(() => null);
        if (fresh?.expense) setVersion(fresh.expense.version);
      }
    } finally {
      setBusy(false);
    }
  }

  const mark = (field: keyof typeof confidence) => (doubtful.includes(field) ? 'doubtful' : undefined);

  return (
    <div class="review">
      <figure class="review-image">
        <ReceiptImage receiptId={receipt.id} alt={`Photo of the receipt from ${expense.merchant}`} />
        {extraction?.lineItems?.length ? (
          <figcaption>
            <details>
              <summary>Lines read ({extraction.lineItems.length})</summary>
              <ul>
                {extraction.lineItems.map((line, i) => (
                  <li key={i}>{line.description}</li>
                ))}
              </ul>
            </details>
          </figcaption>
        ) : null}
      </figure>
      <form ref={form} class="card review-form" onSubmit={confirm} aria-describedby="review-help">
        <div class={mark('merchant')}>
          <Field
            name="merchant"
            label="Merchant"
            required
            value={merchant}
            onValue={setMerchant}
            badge={<Confidence value={confidence.merchant} />}
          />
        </div>
        <div class={mark('date')}>
          <Field
            name="date"
            label="Date"
            type="date"
            required
            value={date}
            onValue={setDate}
            badge={<Confidence value={confidence.date} />}
          />
        </div>
        <div class="row">
          <div class={mark('amount')}>
            <Field
              name="amount"
              label="Total"
              inputMode="decimal"
              required
              value={amount}
              onValue={setAmount}
              badge={<Confidence value={confidence.amount} />}
            />
          </div>
          <div class={mark('currency')}>
            <Field
              name="currency"
              label="Currency"
              required
              maxLength={3}
              pattern="[A-Za-z]{3}"
              value={currency}
              onValue={setCurrency}
              badge={<Confidence value={confidence.currency} />}
            />
          </div>
        </div>
        <div class={mark('category')}>
          <SelectField
            name="category"
            label="Category"
            value={category}
            onValue={setCategory}
            options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
            badge={<Confidence value={confidence.category} />}
            hint="Changing it teaches the app this merchant's category."
          />
        </div>
        <ErrorMessage message={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Confirm'}
          </button>
          {props.onSkip && (
            <button type="button" onClick={props.onSkip}>
              Skip for now
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
