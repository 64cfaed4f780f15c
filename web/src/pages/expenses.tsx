import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  CREATE_EXPENSE,
  DELETE_EXPENSE,
  GET_EXPENSE,
  LIST_EXPENSES,
  UPDATE_EXPENSE,
  type CreateExpenseData,
  type Expense,
  type GetExpenseData,
  type ListExpensesData,
  type UpdateExpenseData,
} from '../api/operations.ts';
import { Dialog } from '../components/dialog.tsx';
import { Field, SelectField } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { ExpenseHistory } from '../components/history.tsx';
import { ReceiptImage } from '../components/receipt-image.tsx';
import { CATEGORIES, CATEGORY_LABELS, categoryLabel } from '../lib/categories.ts';
import { formatDay, todayIn } from '../lib/dates.ts';
import { describeError, toApiError } from '../lib/errors.ts';
import { decimalAmount, formatMoney, parseAmount } from '../lib/money.ts';
import { homeCurrency, profile } from '../lib/profile.ts';

/**
 * Expenses: newest first, filtered by days and category (one index Query per page on the
 * server), more pages as the list scrolls (nextToken); create, edit with the version read
 * (a Conflict is explained and the edits kept; the expense's change history beside the form),
 * delete, and the receipt image on demand.
 */
interface Filters {
  from: string;
  to: string;
  category: string;
}

export function Expenses() {
  const me = profile.use();
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', category: '' });
  const [items, setItems] = useState<Expense[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Expense | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Expense | null>(null);
  const generation = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);

  async function load(token: string | null) {
    const mine = token ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const { listExpenses } = await gql<ListExpensesData>(LIST_EXPENSES, {
        from: filters.from || null,
        to: filters.to || null,
        category: filters.category || null,
        limit: 25,
        nextToken: token,
      });
      if (mine !== generation.current) return;
      setItems((list) => (token ? [...list, ...listExpenses.items] : listExpenses.items));
      setNextToken(listExpenses.nextToken);
    } catch (caught) {
      if (mine === generation.current) setError(describeError(caught, 'your expenses'));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }

  useEffect(() => void load(null), [filters]);

  // Infinite scroll: the next page loads when the end of the list comes into view.
  useEffect(() => {
    if (!sentinel.current || !nextToken) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) void load(nextToken);
    });
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, [nextToken, loading]);

  function saved(expense: Expense) {
    setItems((list) =>
      list.some((e) => e.id === expense.id) ? list.map((e) => (e.id === expense.id ? expense : e)) : [expense, ...list],
    );
    setEditing(null);
  }

  return (
    <Page
      title="Expenses"
      actions={
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          Add expense
        </button>
      }
    >
      <form class="filters" aria-label="Filter expenses" onSubmit={(e) => e.preventDefault()}>
        <Field label="From" type="date" value={filters.from} onValue={(from) => setFilters({ ...filters, from })} />
        <Field label="To" type="date" value={filters.to} onValue={(to) => setFilters({ ...filters, to })} />
        <SelectField
          label="Category"
          value={filters.category}
          onValue={(category) => setFilters({ ...filters, category })}
          options={[
            { value: '', label: 'All categories' },
            ...CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
          ]}
        />
      </form>
      <ErrorMessage message={error} />
      {!loading && !error && items.length === 0 && (
        <p class="empty">No expenses match. Add one, or upload a receipt.</p>
      )}
      <ul class="expenses" aria-label="Expenses" aria-busy={loading}>
        {items.map((expense) => (
          <ExpenseRow
            key={expense.id}
            expense={expense}
            dateOrder={me?.dateOrder}
            onEdit={() => setEditing(expense)}
            onDelete={() => setDeleting(expense)}
          />
        ))}
      </ul>
      <div ref={sentinel} />
      {nextToken && (
        <button type="button" onClick={() => void load(nextToken)} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
      <Dialog
        title={editing === 'new' ? 'Add expense' : 'Edit expense'}
        open={!!editing}
        onClose={() => setEditing(null)}
      >
        {editing && <ExpenseForm expense={editing === 'new' ? null : editing} onSaved={saved} />}
      </Dialog>
      <Dialog title="Delete expense?" open={!!deleting} onClose={() => setDeleting(null)}>
        {deleting && (
          <DeleteExpense
            expense={deleting}
            onDeleted={() => {
              setItems((list) => list.filter((e) => e.id !== deleting.id));
              setDeleting(null);
            }}
            onCancel={() => setDeleting(null)}
          />
        )}
      </Dialog>
    </Page>
  );
}

function ExpenseRow(props: { expense: Expense; dateOrder?: 'DMY' | 'MDY' | 'YMD'; onEdit(): void; onDelete(): void }) {
  const { expense } = props;
  const [showReceipt, setShowReceipt] = useState(false);
  return (
    <li class="expense" data-expense-id={expense.id}>
      <div class="expense-main">
        <span class="merchant">{expense.merchant}</span>
        <span class="amount">{formatMoney(expense.amount, expense.currency)}</span>
        <span class="date">{formatDay(expense.date, props.dateOrder)}</span>
        <span class="category">{categoryLabel(expense.category)}</span>
        {expense.needsReview && <span class="status needs_review">Needs review</span>}
        {expense.note && <span class="note">{expense.note}</span>}
      </div>
      <div class="row-actions">
        {expense.receiptId && (
          <button type="button" aria-expanded={showReceipt} onClick={() => setShowReceipt(!showReceipt)}>
            {showReceipt ? 'Hide receipt' : 'Receipt'}
          </button>
        )}
        <button type="button" onClick={props.onEdit} aria-label={`Edit ${expense.merchant}`}>
          Edit
        </button>
        <button type="button" onClick={props.onDelete} aria-label={`Delete ${expense.merchant}`}>
          Delete
        </button>
      </div>
      {showReceipt && expense.receiptId && (
        <ReceiptImage receiptId={expense.receiptId} alt={`Receipt from ${expense.merchant}`} />
      )}
    </li>
  );
}

function ExpenseForm(props: { expense: Expense | null; onSaved(expense: Expense): void }) {
  const me = profile.use();
  // Changes are what differs from the expense as it was opened; after a Conflict they are sent
  // again on top of the current version, so what another device changed meanwhile stays.
  const base = props.expense;
  const [version, setVersion] = useState(base?.version ?? 0);
  const currency0 = base?.currency ?? homeCurrency();
  const [merchant, setMerchant] = useState(base?.merchant ?? '');
  const [amount, setAmount] = useState(base ? decimalAmount(base.amount, base.currency) : '');
  const [currency, setCurrency] = useState(currency0);
  const [date, setDate] = useState(base?.date ?? todayIn(me?.timezone ?? 'UTC'));
  const [category, setCategory] = useState<string>(base?.category ?? '');
  const [note, setNote] = useState(base?.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Expense | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const minor = parseAmount(amount, currency);
    if (minor === null || minor < 1) {
      setError('Enter the amount as a number, e.g. 12.50.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (!base) {
        const input: Record<string, unknown> = {
          merchant: merchant.trim(),
          amount: minor,
          currency,
          date,
          note: note || null,
        };
        if (category) input.category = category;
        const { createExpense } = await gql<CreateExpenseData>(CREATE_EXPENSE, { input });
        props.onSaved(createExpense);
        return;
      }
      const input: Record<string, unknown> = { id: base.id, expectedVersion: version };
      if (merchant.trim() !== base.merchant) input.merchant = merchant.trim();
      if (minor !== base.amount) input.amount = minor;
      if (currency !== base.currency) input.currency = currency;
      if (date !== base.date) input.date = date;
      if (category && category !== base.category) input.category = category;
      if (note !== (base.note ?? '')) input.note = note;
      if (Object.keys(input).length === 2) {
        props.onSaved(base);
        return;
      }
      const { updateExpense } = await gql<UpdateExpenseData>(UPDATE_EXPENSE, { input });
      props.onSaved(updateExpense);
    } catch (caught) {
      setError(describeError(caught, 'this expense'));
      if (base && toApiError(caught).type === 'Conflict') {
        // The edits stay in the form; saving again applies them over the version shown here.
        const { expense } = await gql<GetExpenseData>(GET_EXPENSE, { id: base.id }).catch(() => ({ expense: null }));
        if (expense) {
          setVersion(expense.version);
          setConflict(expense);
        }
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form onSubmit={submit} class="expense-form">
        <Field label="Merchant" required maxLength={200} value={merchant} onValue={setMerchant} />
        <div class="row">
          <Field label="Amount" inputMode="decimal" required value={amount} onValue={setAmount} hint="e.g. 12.50" />
          <Field
            label="Currency"
            required
            maxLength={3}
            pattern="[A-Za-z]{3}"
            value={currency}
            onValue={(v) => setCurrency(v.toUpperCase())}
          />
        </div>
        <Field label="Date" type="date" required value={date} onValue={setDate} />
        <SelectField
          label="Category"
          value={category}
          onValue={setCategory}
          options={[
            ...(base ? [] : [{ value: '', label: 'Choose for me' }]),
            ...CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
          ]}
        />
        <Field label="Note" maxLength={1000} value={note} onValue={setNote} />
        <ErrorMessage message={error} />
        {conflict && (
          <div class="notice warning" role="status">
            Now saved elsewhere: {conflict.merchant}, {formatMoney(conflict.amount, conflict.currency)}, {conflict.date}
            , {categoryLabel(conflict.category)}
            {conflict.note ? ` (note: ${conflict.note})` : ''}. Saving applies the fields you changed on top of that.
          </div>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
      {base && <ExpenseHistory key={version} expenseId={base.id} currency={base.currency} />}
    </>
  );
}

function DeleteExpense(props: { expense: Expense; onDeleted(): void; onCancel(): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await gql(DELETE_EXPENSE, { id: props.expense.id });
      props.onDeleted();
    } catch (caught) {
      setError(describeError(caught, 'this expense'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      <p>
        {props.expense.merchant}, {formatMoney(props.expense.amount, props.expense.currency)} on {props.expense.date}.
        Budgets are updated. This cannot be undone.
      </p>
      <ErrorMessage message={error} />
      <div class="actions">
        <button type="button" class="danger" onClick={() => void remove()} disabled={busy}>
          Delete
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
