import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { SPLIT_EXPENSE, type CustomCategory, type Expense, type SplitExpenseData } from '../api/operations.ts';
import { categoryLabel } from '../lib/categories.ts';
import { customIdOf, customValue } from '../lib/custom-categories.ts';
import { describeError } from '../lib/errors.ts';
import { decimalAmount, formatMoney, parseAmount } from '../lib/money.ts';
import { splitEvenly } from '../../../model/splits.ts';
import { CategoryPicker } from './custom-category.tsx';
import { Field } from './field.tsx';
import { ErrorMessage } from './page.tsx';

/** The API's limits on a split (model/splits.ts). */
const MIN_PARTS = 2;
const MAX_PARTS = 20;

interface PartDraft {
  /** A default category's enum value, or customValue(id) for one of the user's own. */
  category: string;
  amount: string;
}

function draftsOf(expense: Expense): PartDraft[] {
  if (expense.splits?.length)
    return expense.splits.map((p) => ({
      category: p.customCategoryId ? customValue(p.customCategoryId) : p.category,
      amount: decimalAmount(p.amount, expense.currency),
    }));
  const own = expense.customCategoryId ? customValue(expense.customCategoryId) : expense.category;
  return [
    { category: own, amount: decimalAmount(expense.amount, expense.currency) },
    { category: '', amount: '' },
  ];
}

/** "Groceries 60,00 € · Household 40,00 €": a split expense's parts, for its row. */
export function splitSummary(expense: Expense, custom: CustomCategory[]): string {
  return (expense.splits ?? [])
    .map((p) => {
      const own = p.customCategoryId ? custom.find((c) => c.id === p.customCategoryId) : undefined;
      return `${own ? own.name : categoryLabel(p.category)} ${formatMoney(p.amount, expense.currency)}`;
    })
    .join(' · ');
}

/**
 * The expense dialog's Split control: the expense's parts, each a category (a default one or
 * your own) and an amount; what is left to place is shown as you type, and the split is saved
 * (splitExpense, with the version read) only when the parts sum exactly to the expense, in minor
 * units. A split expense can have its split taken away. The API's errors are shown as they come.
 */
export function SplitEditor(props: {
  expense: Expense;
  version: number;
  custom: CustomCategory[];
  onSaved(expense: Expense): void;
}) {
  const { expense } = props;
  const [parts, setParts] = useState<PartDraft[]>(() => draftsOf(expense));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const amounts = parts.map((p) => (p.amount.trim() ? parseAmount(p.amount, expense.currency) : null));
  const allTyped = amounts.every((a): a is number => a !== null && a >= 1);
  const placed = amounts.reduce<number>((sum, a) => sum + (a ?? 0), 0);
  const left = expense.amount - placed;
  const ready = allTyped && left === 0 && parts.every((p) => p.category) && parts.length >= MIN_PARTS;

  const change = (i: number, part: Partial<PartDraft>) =>
    setParts((list) => list.map((p, j) => (j === i ? { ...p, ...part } : p)));

  async function save(next: PartDraft[] | null) {
    setBusy(true);
    setError(null);
    try {
      const input = {
        id: expense.id,
        expectedVersion: props.version,
        parts: (next ?? []).map((p, i) => {
          const customId = customIdOf(p.category);
          return {
            ...(customId ? { customCategoryId: customId } : { category: p.category }),
            amount: amounts[i],
          };
        }),
      };
      const { splitExpense } = await gql<SplitExpenseData>(SPLIT_EXPENSE, { input });
      props.onSaved(splitExpense);
    } catch (caught) {
      setError(describeError(caught, 'this expense'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="split-editor" aria-label="Split">
      <p class="hint">
        Share {formatMoney(expense.amount, expense.currency)} across categories: budgets and reports count each part in
        its own category.
      </p>
      <ol class="split-parts">
        {parts.map((part, i) => (
          <li key={i} class="row">
            <CategoryPicker
              label={`Part ${i + 1} category`}
              value={part.category}
              onValue={(category) => change(i, { category })}
              custom={props.custom}
              emptyLabel={part.category ? undefined : 'Choose…'}
            />
            <Field
              label={`Part ${i + 1} amount`}
              inputMode="decimal"
              value={part.amount}
              onValue={(amount) => change(i, { amount })}
              error={
                part.amount.trim() && (amounts[i] === null || amounts[i]! < 1) ? 'Enter an amount, e.g. 4.50.' : null
              }
            />
            {parts.length > MIN_PARTS && (
              <button
                type="button"
                aria-label={`Remove part ${i + 1}`}
                onClick={() => setParts((list) => list.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ol>
      <p class={`split-left${left === 0 ? '' : ' warning'}`} role="status">
        {left === 0
          ? 'Every part placed.'
          : left > 0
            ? `${formatMoney(left, expense.currency)} left to place.`
            : `${formatMoney(-left, expense.currency)} too much.`}
      </p>
      <ErrorMessage message={error} />
      <div class="actions">
        {parts.length < MAX_PARTS && (
          <button type="button" onClick={() => setParts((list) => [...list, { category: '', amount: '' }])}>
            Add part
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            // Exact in minor units: the first parts take the units left over (model/splits.ts).
            const even = splitEvenly(expense.amount, parts.length);
            setParts((list) => list.map((p, i) => ({ ...p, amount: decimalAmount(even[i], expense.currency) })));
          }}
        >
          Split evenly
        </button>
        <button type="button" class="primary" disabled={!ready || busy} onClick={() => void save(parts)}>
          {busy ? 'Saving…' : 'Save split'}
        </button>
        {!!expense.splits?.length && (
          <button type="button" disabled={busy} onClick={() => void save(null)}>
            Remove split
          </button>
        )}
      </div>
    </section>
  );
}
