import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  CREATE_BUDGET,
  DELETE_BUDGET,
  LIST_BUDGETS,
  UPDATE_BUDGET,
  type Budget,
  type CreateBudgetData,
  type ListBudgetsData,
  type UpdateBudgetData,
} from '../api/operations.ts';
import { BudgetMeter } from '../components/charts.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, SelectField } from '../components/field.tsx';
import { ErrorMessage, Page } from '../components/page.tsx';
import { CATEGORIES, CATEGORY_LABELS, categoryLabel } from '../lib/categories.ts';
import { describeError, toApiError } from '../lib/errors.ts';
import { toasts } from '../lib/toasts.ts';
import { decimalAmount, formatMoney, parseAmount } from '../lib/money.ts';
import { homeCurrency } from '../lib/profile.ts';

/**
 * Budgets: each with its period's spending, limit, forecast and state; create and edit.
 * Alerts arrive as toasts anywhere in the app (lib/live.ts); here they also refresh the bars.
 */
const PERIODS = [
  { value: 'WEEKLY', label: 'Weekly' },
  { value: 'MONTHLY', label: 'Monthly' },
  { value: 'YEARLY', label: 'Yearly' },
];

/** What a budget counts: a tag, one of the user's own categories (within its default one), a category, or all. */
function scopeOf(budget: Pick<Budget, 'category' | 'tag' | 'customCategoryId'>): string {
  if (budget.tag) return `#${budget.tag}`;
  if (budget.customCategoryId) return `${categoryLabel(budget.category)}: own category`;
  return categoryLabel(budget.category);
}

export function Budgets() {
  const [budgets, setBudgets] = useState<Budget[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Budget | 'new' | null>(null);

  async function load() {
    setError(null);
    try {
      const all: Budget[] = [];
      let nextToken: string | null = null;
      do {
        const page: ListBudgetsData = await gql<ListBudgetsData>(LIST_BUDGETS, { limit: 100, nextToken });
        all.push(...page.listBudgets.items);
        nextToken = page.listBudgets.nextToken;
      } while (nextToken);
      setBudgets(all);
    } catch (caught) {
      setError(describeError(caught, 'your budgets'));
    }
  }

  useEffect(() => {
    void load();
    // A new alert means spending moved: show the bars as they are now.
    let count = toasts.get().length;
    return toasts.subscribe((list) => {
      if (list.length > count) void load();
      count = list.length;
    });
  }, []);

  return (
    <Page
      title="Budgets"
      actions={
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          New budget
        </button>
      }
    >
      <ErrorMessage message={error} />
      {budgets === null && !error && <p class="loading">Loading…</p>}
      {budgets?.length === 0 && (
        <p class="empty">No budgets yet. A budget limits one category, or all spending, per week, month or year.</p>
      )}
      <ul class="budgets">
        {budgets?.map((budget) => (
          <li key={budget.id} class="card budget" data-budget-id={budget.id}>
            <div class="budget-head">
              <h2>{budget.name}</h2>
              <span class="hint">
                {scopeOf(budget)} · {budget.period.toLowerCase()} · {formatMoney(budget.amount, budget.currency)}
                {budget.rollover ? ' · rollover' : ''} · alerts at {budget.thresholds.join(', ')}%
              </span>
              <button type="button" onClick={() => setEditing(budget)} aria-label={`Edit ${budget.name}`}>
                Edit
              </button>
            </div>
            <BudgetMeter name={budget.name} status={budget.status} currency={budget.currency} />
          </li>
        ))}
      </ul>
      <Dialog
        title={editing === 'new' ? 'New budget' : 'Edit budget'}
        open={!!editing}
        onClose={() => setEditing(null)}
      >
        {editing && (
          <BudgetForm
            budget={editing === 'new' ? null : editing}
            onSaved={() => {
              setEditing(null);
              void load();
            }}
          />
        )}
      </Dialog>
    </Page>
  );
}

function BudgetForm(props: { budget: Budget | null; onSaved(): void }) {
  // Changes are what differs from the budget as opened; after a Conflict they go on top of the current version.
  const base = props.budget;
  const [version, setVersion] = useState(base?.version ?? 0);
  const [name, setName] = useState(base?.name ?? '');
  const [category, setCategory] = useState<string>(base?.category ?? '');
  const [period, setPeriod] = useState<string>(base?.period ?? 'MONTHLY');
  const [currency, setCurrency] = useState(base?.currency ?? homeCurrency());
  const [amount, setAmount] = useState(base ? decimalAmount(base.amount, base.currency) : '');
  const [thresholds, setThresholds] = useState((base?.thresholds ?? [50, 80, 100]).join(', '));
  const [rollover, setRollover] = useState(base?.rollover ?? false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const minor = parseAmount(amount, currency);
    const levels = thresholds
      .split(/[,\s]+/)
      .filter(Boolean)
      .map(Number);
    if (minor === null || minor < 1) return setError('Enter the limit as a number, e.g. 300.');
    if (!levels.length || levels.some((l) => !Number.isInteger(l) || l < 1 || l > 200))
      return setError('Alert thresholds are whole percentages from 1 to 200, e.g. 50, 80, 100.');
    setBusy(true);
    setError(null);
    try {
      if (!base) {
        const input: Record<string, unknown> = { period, amount: minor, currency, thresholds: levels, rollover };
        if (name.trim()) input.name = name.trim();
        if (category) input.category = category;
        await gql<CreateBudgetData>(CREATE_BUDGET, { input });
      } else {
        const input: Record<string, unknown> = { id: base.id, expectedVersion: version };
        if (name.trim() && name.trim() !== base.name) input.name = name.trim();
        if (minor !== base.amount) input.amount = minor;
        if (levels.join() !== base.thresholds.join()) input.thresholds = levels;
        if (rollover !== base.rollover) input.rollover = rollover;
        if (Object.keys(input).length > 2) await gql<UpdateBudgetData>(UPDATE_BUDGET, { input });
      }
      props.onSaved();
    } catch (caught) {
      const e = toApiError(caught);
      setError(
        e.type === 'Conflict' && !base
          ? `You already have a ${period.toLowerCase()} budget for ${categoryLabel(category as never).toLowerCase()}. Edit that one instead.`
          : describeError(caught, 'this budget'),
      );
      if (e.type === 'Conflict' && base) {
        const fresh = await gql<{ budget: Budget | null }>(`query B($id: ID!) { budget(id: $id) { id version } }`, {
          id: base.id,
        }).catch(() => null);
        if (fresh?.budget) setVersion(fresh.budget.version);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} class="budget-form">
      <Field
        label="Name"
        maxLength={100}
        value={name}
        onValue={setName}
        hint="Optional: defaults to category and period."
      />
      <SelectField
        label="Category"
        value={category}
        onValue={setCategory}
        options={[
          { value: '', label: 'All spending' },
          ...CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
        ]}
        hint={base ? 'Category and period cannot change; make a new budget instead.' : undefined}
      />
      <SelectField label="Period" value={period} onValue={setPeriod} options={PERIODS} />
      <div class="row">
        <Field label="Limit" inputMode="decimal" required value={amount} onValue={setAmount} />
        <Field
          label="Currency"
          required
          maxLength={3}
          pattern="[A-Za-z]{3}"
          value={currency}
          onValue={(v) => setCurrency(v.toUpperCase())}
          disabled={!!base}
        />
      </div>
      <Field
        label="Alert at (percent of the limit)"
        value={thresholds}
        onValue={setThresholds}
        hint="Comma-separated, ascending; each alerts once per period."
      />
      <div class="field checkbox">
        <input
          id="rollover"
          type="checkbox"
          checked={rollover}
          onChange={(e) => setRollover(e.currentTarget.checked)}
        />
        <label for="rollover">Carry what is left (or overspent) into the next period</label>
      </div>
      <ErrorMessage message={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save budget'}
        </button>
        {base && <DeleteBudget budget={base} onDeleted={props.onSaved} />}
      </div>
    </form>
  );
}

function DeleteBudget(props: { budget: Budget; onDeleted(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!confirming)
    return (
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        Delete…
      </button>
    );
  return (
    <span class="confirm-inline">
      <button
        type="button"
        class="danger"
        onClick={() =>
          gql(DELETE_BUDGET, { id: props.budget.id }).then(props.onDeleted, (caught) =>
            setError(describeError(caught, 'this budget')),
          )
        }
      >
        Yes, delete {props.budget.name}
      </button>
      <ErrorMessage message={error} />
    </span>
  );
}
