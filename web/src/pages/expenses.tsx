import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  CREATE_EXPENSE,
  DELETE_EXPENSE,
  GET_EXPENSE,
  LIST_EXPENSES,
  SEARCH_EXPENSES,
  SHARE_EXPENSE,
  UPDATE_EXPENSE,
  type CreateExpenseData,
  type Expense,
  type GetExpenseData,
  type ListExpensesData,
  type SearchExpensesData,
  type UpdateExpenseData,
  type ShareExpenseData,
} from '../api/operations.ts';
import { ConfirmDelete } from '../components/confirm-delete.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, SelectField } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { ExpenseHistory } from '../components/history.tsx';
import { ReceiptImage } from '../components/receipt-image.tsx';
import { TagChips, TagEditor, withTypedTags } from '../components/tags.tsx';
import { CategoryPicker, CustomCategoryName } from '../components/custom-category.tsx';
import { SplitEditor, splitSummary } from '../components/split-editor.tsx';
import { categoryLabel } from '../lib/categories.ts';
import { formatDay, todayIn } from '../lib/dates.ts';
import { describeError, toApiError } from '../lib/errors.ts';
import { customCategories, customIdOf, customValue, loadCustomCategories } from '../lib/custom-categories.ts';
import { decimalAmount, formatMoney, parseAmount } from '../lib/money.ts';
import { homeCurrency, profile } from '../lib/profile.ts';

/**
 * Expenses: newest first, filtered by days and category, a default one or one of the user's own
 * (one index Query per page on the server; an own category into which others were merged, one per category), more pages as the list scrolls (nextToken); or a search (searchExpenses: words of the
 * merchant, note, line items and tags, and/or an amount range), paged the same way. Create, edit
 * with the version read (a Conflict is explained and the edits kept; the expense's change history
 * beside the form), tags as chips (each searches for its tag), delete, and the receipt image on demand.
 */
interface Filters {
  from: string;
  to: string;
  category: string;
}

/** A search as sent: amounts in minor units. */
interface Search {
  text: string;
  minAmount: number | null;
  maxAmount: number | null;
}

export function Expenses() {
  const me = profile.use();
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', category: '' });
  const [search, setSearch] = useState<Search | null>(null);
  const [items, setItems] = useState<Expense[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Expense | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Expense | null>(null);
  const [sharing, setSharing] = useState<Expense | null>(null);
  const [shared, setShared] = useState<string | null>(null);
  const generation = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);
  // The filter offers the user's own categories under their default ones, as the expense form does.
  const custom = customCategories.use() ?? [];
  useEffect(() => void loadCustomCategories().catch(() => undefined), []);

  async function load(token: string | null) {
    const mine = token ? generation.current : ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = search
        ? (
            await gql<SearchExpensesData>(SEARCH_EXPENSES, {
              text: search.text || null,
              minAmount: search.minAmount,
              maxAmount: search.maxAmount,
              limit: 25,
              nextToken: token,
            })
          ).searchExpenses
        : (
            await gql<ListExpensesData>(LIST_EXPENSES, {
              from: filters.from || null,
              to: filters.to || null,
              // One of the user's own categories (and those merged into it), or a default one.
              category: customIdOf(filters.category) ? null : filters.category || null,
              customCategoryId: customIdOf(filters.category),
              limit: 25,
              nextToken: token,
            })
          ).listExpenses;
      if (mine !== generation.current) return;
      setItems((list) => (token ? [...list, ...page.items] : page.items));
      setNextToken(page.nextToken);
    } catch (caught) {
      if (mine === generation.current) setError(describeError(caught, search ? 'your search' : 'your expenses'));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }

  useEffect(() => void load(null), [filters, search]);

  // Infinite scroll: the next page loads when the end of the list comes into view.
  useEffect(() => {
    if (!sentinel.current || !nextToken) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) void load(nextToken);
    });
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, [nextToken, loading]);

  /**
   * A tag chip pressed: the search for that tag, as if typed in the box. The focus stays on the chip (its
   * expense has the tag, so its row stays in the results); the box is brought into view to show the search.
   */
  function searchTag(tag: string) {
    setSearch({ text: tag, minAmount: null, maxAmount: null });
    document.getElementById(SEARCH_BOX_ID)?.scrollIntoView({ block: 'nearest' });
  }

  function saved(expense: Expense) {
    // A new expense joins the list; search results show only what the search found.
    setItems((list) =>
      list.some((e) => e.id === expense.id)
        ? list.map((e) => (e.id === expense.id ? expense : e))
        : search
          ? list
          : [expense, ...list],
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
      <SearchForm search={search} onSearch={setSearch} />
      {search ? (
        <p class="search-status" role="status">
          {loading && items.length === 0
            ? 'Searching…'
            : `${items.length}${nextToken ? '+' : ''} ${items.length === 1 ? 'expense' : 'expenses'} ${describeSearch(search)}`}
        </p>
      ) : (
        <form class="filters" aria-label="Filter expenses" onSubmit={(e) => e.preventDefault()}>
          <Field label="From" type="date" value={filters.from} onValue={(from) => setFilters({ ...filters, from })} />
          <Field label="To" type="date" value={filters.to} onValue={(to) => setFilters({ ...filters, to })} />
          <CategoryPicker
            label="Category"
            value={filters.category}
            onValue={(category) => setFilters({ ...filters, category })}
            custom={custom}
            emptyLabel="All categories"
          />
        </form>
      )}
      <ErrorMessage message={error} />
      <div role="status" class="status-region">
        {shared && <p class="notice success">{shared}</p>}
      </div>
      {!loading && !error && items.length === 0 && (
        <p class="empty">
          {search
            ? 'Nothing matches. Each word must start a word of the merchant, the note, a line of the receipt or a tag.'
            : 'No expenses match. Add one, or upload a receipt.'}
        </p>
      )}
      <ul class="expenses" aria-label={search ? 'Search results' : 'Expenses'} aria-busy={loading}>
        {items.map((expense) => (
          <ExpenseRow
            key={expense.id}
            expense={expense}
            dateOrder={me?.dateOrder}
            onEdit={() => setEditing(expense)}
            onDelete={() => setDeleting(expense)}
            onShare={() => setSharing(expense)}
            onTag={searchTag}
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
      <Dialog title="Share expense" open={!!sharing} onClose={() => setSharing(null)}>
        {sharing && (
          <ShareForm
            expense={sharing}
            onShared={(said) => {
              setSharing(null);
              setShared(said);
            }}
          />
        )}
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

/** "matching “garden hose” between 5.00 and 20.00", for the results' status line. */
function describeSearch(search: Search): string {
  const currency = homeCurrency();
  const parts = [search.text ? `matching “${search.text}”` : ''];
  if (search.minAmount !== null && search.maxAmount !== null)
    parts.push(`between ${decimalAmount(search.minAmount, currency)} and ${decimalAmount(search.maxAmount, currency)}`);
  else if (search.minAmount !== null) parts.push(`of ${decimalAmount(search.minAmount, currency)} or more`);
  else if (search.maxAmount !== null) parts.push(`of ${decimalAmount(search.maxAmount, currency)} or less`);
  return parts.filter(Boolean).join(' ');
}

const SEARCH_BOX_ID = 'expense-search';

/**
 * The search box: words and an optional amount range (in each expense's own currency, typed as
 * the home currency's decimals). Clear goes back to the filtered list.
 */
function SearchForm(props: { search: Search | null; onSearch(search: Search | null): void }) {
  const [text, setText] = useState('');
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [error, setError] = useState<{ field: 'text' | 'min' | 'max'; message: string } | null>(null);

  // A search started elsewhere (a tag chip) shows in the boxes; one typed here is left as typed.
  useEffect(() => {
    const search = props.search;
    if (!search) return;
    const currency = homeCurrency();
    const typedAmount = (typed: string) => (typed.trim() ? parseAmount(typed, currency) : null);
    if (search.text !== text.trim().replace(/\s+/g, ' ')) setText(search.text);
    if (search.minAmount !== typedAmount(min))
      setMin(search.minAmount === null ? '' : decimalAmount(search.minAmount, currency));
    if (search.maxAmount !== typedAmount(max))
      setMax(search.maxAmount === null ? '' : decimalAmount(search.maxAmount, currency));
    setError(null);
  }, [props.search]);

  function submit(event: Event) {
    event.preventDefault();
    const currency = homeCurrency();
    const minAmount = min.trim() ? parseAmount(min, currency) : null;
    const maxAmount = max.trim() ? parseAmount(max, currency) : null;
    if (minAmount === null && min.trim())
      return setError({ field: 'min', message: 'Enter a number, e.g. 5 or 12.50.' });
    if (maxAmount === null && max.trim())
      return setError({ field: 'max', message: 'Enter a number, e.g. 5 or 12.50.' });
    if (minAmount !== null && maxAmount !== null && minAmount > maxAmount)
      return setError({ field: 'max', message: 'The largest amount must not be below the smallest.' });
    const words = text.trim().replace(/\s+/g, ' ');
    if (!words && minAmount === null && maxAmount === null)
      return setError({ field: 'text', message: 'Type a word to find, an amount, or both.' });
    setError(null);
    props.onSearch({ text: words, minAmount, maxAmount });
  }

  function clear() {
    setText('');
    setMin('');
    setMax('');
    setError(null);
    props.onSearch(null);
  }

  const errorOf = (field: 'text' | 'min' | 'max') => (error?.field === field ? error.message : null);
  return (
    <form role="search" class="filters search" aria-label="Search expenses" onSubmit={submit} noValidate>
      <Field
        label="Search"
        id={SEARCH_BOX_ID}
        type="search"
        value={text}
        onValue={setText}
        maxLength={200}
        error={errorOf('text')}
      />
      <Field label="Min amount" inputMode="decimal" value={min} onValue={setMin} error={errorOf('min')} />
      <Field label="Max amount" inputMode="decimal" value={max} onValue={setMax} error={errorOf('max')} />
      <div class="actions inline">
        <button type="submit" class="primary">
          Search
        </button>
        {props.search && (
          <button type="button" onClick={clear}>
            Clear search
          </button>
        )}
      </div>
    </form>
  );
}

function ExpenseRow(props: {
  expense: Expense;
  dateOrder?: 'DMY' | 'MDY' | 'YMD';
  onEdit(): void;
  onDelete(): void;
  onShare(): void;
  onTag(tag: string): void;
}) {
  const { expense } = props;
  const custom = customCategories.use() ?? [];
  const [showReceipt, setShowReceipt] = useState(false);
  return (
    <li class="expense" data-expense-id={expense.id}>
      <div class="expense-main">
        <span class="merchant">{expense.merchant}</span>
        <span class="amount">{formatMoney(expense.amount, expense.currency)}</span>
        <span class="date">{formatDay(expense.date, props.dateOrder)}</span>
        {expense.customCategory ? (
          <CustomCategoryName
            class="category"
            category={expense.customCategory}
            title={`${expense.customCategory.name}, in ${categoryLabel(expense.category)}`}
          />
        ) : (
          <span class="category">{categoryLabel(expense.category)}</span>
        )}
        {!!expense.splits?.length && <span class="split">Split: {splitSummary(expense, custom)}</span>}
        {expense.needsReview && <span class="status needs_review">Needs review</span>}
        {expense.note && <span class="note">{expense.note}</span>}
        <TagChips tags={expense.tags ?? []} label={`Tags of ${expense.merchant}`} onTag={props.onTag} />
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
        <button type="button" onClick={props.onShare} aria-label={`Share ${expense.merchant}`}>
          Share
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
  // A default category's enum value, or customValue(id) for one of the user's own.
  const initialCategory = base?.customCategory ? customValue(base.customCategory.id) : (base?.category ?? '');
  const [category, setCategory] = useState<string>(initialCategory);
  const custom = customCategories.use() ?? [];
  useEffect(() => void loadCustomCategories().catch(() => undefined), []);
  const [note, setNote] = useState(base?.note ?? '');
  const [tags, setTags] = useState<string[]>(base?.tags ?? []);
  const [typedTags, setTypedTags] = useState('');
  const [tagError, setTagError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Expense | null>(null);
  const [busy, setBusy] = useState(false);
  const [splitting, setSplitting] = useState(!!base?.splits?.length);

  async function submit(event: Event) {
    event.preventDefault();
    const minor = parseAmount(amount, currency);
    if (minor === null || minor < 1) {
      setError('Enter the amount as a number, e.g. 12.50.');
      return;
    }
    // A tag still being typed is saved with the rest.
    const typed = withTypedTags(tags, typedTags);
    setTagError(typed.error);
    if (typed.error) return;
    setTags(typed.tags);
    setTypedTags('');
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
        const customId = customIdOf(category);
        if (customId) input.customCategoryId = customId;
        else if (category) input.category = category;
        if (typed.tags.length > 0) input.tags = typed.tags;
        const { createExpense } = await gql<CreateExpenseData>(CREATE_EXPENSE, { input });
        props.onSaved(createExpense);
        return;
      }
      const input: Record<string, unknown> = { id: base.id, expectedVersion: version };
      if (merchant.trim() !== base.merchant) input.merchant = merchant.trim();
      if (minor !== base.amount) input.amount = minor;
      if (currency !== base.currency) input.currency = currency;
      if (date !== base.date) input.date = date;
      // A default category chosen takes the expense out of its own category; an own one sets its parent.
      if (category && category !== initialCategory) {
        const customId = customIdOf(category);
        if (customId) input.customCategoryId = customId;
        else input.category = category;
      }
      if (note !== (base.note ?? '')) input.note = note;
      if (typed.tags.join('\n') !== (base.tags ?? []).join('\n')) input.tags = typed.tags;
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
        <CategoryPicker
          label="Category"
          value={category}
          onValue={setCategory}
          custom={custom}
          emptyLabel={base ? undefined : 'Choose for me'}
          hint={custom.length === 0 ? 'Make your own categories in Settings.' : undefined}
        />
        <Field label="Note" maxLength={1000} value={note} onValue={setNote} />
        <TagEditor
          tags={tags}
          onTags={setTags}
          typed={typedTags}
          onTyped={setTypedTags}
          error={tagError}
          onError={setTagError}
        />
        <ErrorMessage message={error} />
        {conflict && (
          <div class="notice warning" role="status">
            Now saved elsewhere: {conflict.merchant}, {formatMoney(conflict.amount, conflict.currency)}, {conflict.date}
            , {conflict.customCategory?.name ?? categoryLabel(conflict.category)}
            {conflict.note ? ` (note: ${conflict.note})` : ''}
            {conflict.tags?.length ? ` (tags: ${conflict.tags.join(', ')})` : ''}. Saving applies the fields you changed
            on top of that.
          </div>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
      {base && (
        <div class="split-section">
          <button type="button" aria-expanded={splitting} onClick={() => setSplitting(!splitting)}>
            Split
          </button>
          {splitting && <SplitEditor expense={base} version={version} custom={custom} onSaved={props.onSaved} />}
        </div>
      )}
      {base && <ExpenseHistory key={version} expenseId={base.id} currency={base.currency} />}
    </>
  );
}

function DeleteExpense(props: { expense: Expense; onDeleted(): void; onCancel(): void }) {
  return (
    <ConfirmDelete
      what="this expense"
      remove={() => gql(DELETE_EXPENSE, { id: props.expense.id })}
      onDeleted={props.onDeleted}
      onCancel={props.onCancel}
    >
      {props.expense.merchant}, {formatMoney(props.expense.amount, props.expense.currency)} on {props.expense.date}.
      Budgets are updated. This cannot be undone.
    </ConfirmDelete>
  );
}

const SPLIT_OPTIONS = [
  { value: 'EQUAL', label: 'Equally' },
  { value: 'AMOUNTS', label: 'By amounts' },
  { value: 'PERCENTAGES', label: 'By percentages' },
];

/** The emails typed in, in order: separated by commas, semicolons or spaces. */
const emailsIn = (text: string) =>
  text
    .split(/[,;\s]+/)
    .map((e) => e.trim())
    .filter(Boolean);

/**
 * An expense shared with the people whose emails are typed in (the caller, who paid it, keeps
 * what is left): equally, or each person's amount or percentage typed in a field of their own.
 * The API's errors that name a person are shown at that person's field, the others at the emails.
 */
function ShareForm(props: { expense: Expense; onShared(said: string): void }) {
  const { expense } = props;
  const [emails, setEmails] = useState('');
  const [method, setMethod] = useState('EQUAL');
  const [parts, setParts] = useState<Record<string, string>>({});
  // `at`: the emails field (-1), a person's part (their index), or none (null: said under the form).
  const [problem, setProblem] = useState<{ at: number | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const list = emailsIn(emails);
  const unit = method === 'AMOUNTS' ? expense.currency : '%';

  async function submit(event: Event) {
    event.preventDefault();
    if (list.length === 0) return setProblem({ at: -1, message: 'Type the email of at least one person.' });
    const participants: Array<{ email: string; amount?: number; percent?: number }> = [];
    for (const [i, email] of list.entries()) {
      const typed = (parts[email] ?? '').trim();
      if (method === 'EQUAL') participants.push({ email });
      else if (method === 'AMOUNTS') {
        const amount = parseAmount(typed, expense.currency);
        if (amount === null || amount < 1) return setProblem({ at: i, message: 'Enter an amount, e.g. 12.50.' });
        participants.push({ email, amount });
      } else {
        const percent = Number(typed.replace(',', '.'));
        if (!typed || !Number.isFinite(percent)) return setProblem({ at: i, message: 'Enter a percentage, e.g. 25.' });
        participants.push({ email, percent });
      }
    }
    setBusy(true);
    setProblem(null);
    try {
      const input = { expenseId: expense.id, method, participants };
      const { shareExpense } = await gql<ShareExpenseData>(SHARE_EXPENSE, { input });
      props.onShared(
        `${expense.merchant} is shared: your share is ${formatMoney(shareExpense.myShare, shareExpense.currency)}.`,
      );
    } catch (caught) {
      const e = toApiError(caught);
      const field = typeof e.info.field === 'string' ? e.info.field : '';
      const match = /^participants\.(\d+)\.(\w+)$/.exec(field);
      const index = match ? Number(match[1]) : -1;
      setProblem(
        e.type === 'ValidationError' && field.startsWith('participants')
          ? match?.[2] === 'email' || !match
            ? { at: -1, message: match ? `${list[index]}: ${e.message}` : e.message }
            : { at: index, message: e.message }
          : {
              at: null,
              message:
                e.type === 'Conflict'
                  ? 'This expense is already shared with other people.'
                  : describeError(caught, 'this expense'),
            },
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="share-expense" onSubmit={submit} noValidate aria-labelledby="dialog-title">
      <p class="hint">
        {expense.merchant}, {formatMoney(expense.amount, expense.currency)}: you keep what is not theirs. They are told
        by email; someone without an account sees it once they sign up with that address.
      </p>
      <Field
        label="Share with"
        type="text"
        inputMode="email"
        required
        value={emails}
        onValue={setEmails}
        hint="Email addresses, separated by commas"
        error={problem?.at === -1 ? problem.message : null}
      />
      <SelectField label="Split" value={method} onValue={setMethod} options={SPLIT_OPTIONS} />
      {method !== 'EQUAL' &&
        list.map((email, i) => (
          <Field
            key={email}
            label={`${email} (${unit})`}
            inputMode="decimal"
            required
            value={parts[email] ?? ''}
            onValue={(value) => setParts({ ...parts, [email]: value })}
            error={problem?.at === i ? problem.message : null}
          />
        ))}
      <ErrorMessage message={problem && problem.at === null ? problem.message : null} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Sharing…' : 'Share'}
        </button>
      </div>
    </form>
  );
}
