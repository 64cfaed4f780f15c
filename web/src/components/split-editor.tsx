import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { SPLIT_EXPENSE, type CustomCategory, type Expense, type SplitExpenseData } from '../api/operations.ts';
import { categoryLabel } from '../lib/categories.ts';
import { customIdOf, customValue } from '../lib/custom-categories.ts';
import { useAction } from '../lib/action.ts';
import { decimalAmount, formatMoney, parseAmount } from '../lib/money.ts';
import { allocateByWeights, basisPointsOf, splitEvenly, WHOLE_BASIS_POINTS } from '../../../model/splits.ts';
import { CategoryPicker } from './custom-category.tsx';
import { Field, SelectField } from './field.tsx';
import { ErrorMessage } from './page.tsx';

/** The API's limits on a split (model/splits.ts). */
const MIN_PARTS = 2;
const MAX_PARTS = 20;

interface PartDraft {
  /** A default category's enum value, or customValue(id) for one of the user's own. */
  category: string;
  amount: string;
  /** Its percentage, as typed (percentages mode). */
  percent: string;
}

type DivideBy = 'AMOUNTS' | 'PERCENTAGES';
const DIVIDE_OPTIONS = [
  { value: 'AMOUNTS', label: 'Amounts' },
  { value: 'PERCENTAGES', label: 'Percentages' },
];

/** "12.5" (or "12,5") → 1250 hundredths of a percent, sent as the part's share of 10,000; null when not 0.01..100. */
function percentPoints(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  return trimmed && !Number.isNaN(Number(trimmed)) ? basisPointsOf(Number(trimmed)) : null;
}

const percentText = (points: number) => (points / 100).toFixed(2);

function draftsOf(expense: Expense): PartDraft[] {
  if (expense.splits?.length)
    return expense.splits.map((p) => ({
      category: p.customCategoryId ? customValue(p.customCategoryId) : p.category,
      amount: decimalAmount(p.amount, expense.currency),
      percent: '',
    }));
  const own = expense.customCategoryId ? customValue(expense.customCategoryId) : expense.category;
  return [
    { category: own, amount: decimalAmount(expense.amount, expense.currency), percent: '100.00' },
    { category: '', amount: '', percent: '' },
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
 * your own) and an amount, or a percentage (sent as a share of 10,000; the API divides the
 * expense by largest remainder, the same rounding shown here); what is left to place is shown as
 * you type, and the split is saved (splitExpense, with the version read) only when the parts sum
 * exactly to the expense, in minor units, or to 100 %. A split expense can have its split taken
 * away. The API's errors are shown as they come.
 */
export function SplitEditor(props: {
  expense: Expense;
  version: number;
  custom: CustomCategory[];
  onSaved(expense: Expense): void;
}) {
  const { expense } = props;
  const [parts, setParts] = useState<PartDraft[]>(() => draftsOf(expense));
  const [by, setBy] = useState<DivideBy>('AMOUNTS');
  const { busy, error, run } = useAction('this expense');
  const byPercent = by === 'PERCENTAGES';
  const points = parts.map((p) => percentPoints(p.percent));
  const amounts = parts.map((p) => (p.amount.trim() ? parseAmount(p.amount, expense.currency) : null));
  const figures = byPercent ? points : amounts;
  const allTyped = figures.every((a): a is number => a !== null && a >= 1);
  const placed = figures.reduce<number>((sum, a) => sum + (a ?? 0), 0);
  const left = (byPercent ? WHOLE_BASIS_POINTS : expense.amount) - placed;
  const ready = allTyped && left === 0 && parts.every((p) => p.category) && parts.length >= MIN_PARTS;
  // What each part comes to when the percentages are complete: the API's own rounding.
  const byPoints = byPercent && ready ? allocateByWeights(expense.amount, points as number[]) : null;

  const change = (i: number, part: Partial<PartDraft>) =>
    setParts((list) => list.map((p, j) => (j === i ? { ...p, ...part } : p)));

  async function save(next: PartDraft[] | null) {
    await run(async () => {
      const input = {
        id: expense.id,
        expectedVersion: props.version,
        parts: (next ?? []).map((p, i) => {
          const customId = customIdOf(p.category);
          return {
            ...(customId ? { customCategoryId: customId } : { category: p.category }),
            ...(byPercent ? { share: points[i] } : { amount: amounts[i] }),
          };
        }),
      };
      const { splitExpense } = await gql<SplitExpenseData>(SPLIT_EXPENSE, { input });
      props.onSaved(splitExpense);
    });
  }

  return (
    <section class="split-editor" aria-label="Split">
      <p class="hint">
        Share {formatMoney(expense.amount, expense.currency)} across categories: budgets and reports count each part in
        its own category.
      </p>
      <SelectField
        label="Divide by"
        value={by}
        onValue={(value) => setBy(value as DivideBy)}
        options={DIVIDE_OPTIONS}
      />
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
            {byPercent ? (
              <Field
                label={`Part ${i + 1} percent`}
                inputMode="decimal"
                value={part.percent}
                onValue={(percent) => change(i, { percent })}
                hint={byPoints ? formatMoney(byPoints[i], expense.currency) : undefined}
                error={part.percent.trim() && points[i] === null ? 'Enter 0.01 to 100, e.g. 25.' : null}
              />
            ) : (
              <Field
                label={`Part ${i + 1} amount`}
                inputMode="decimal"
                value={part.amount}
                onValue={(amount) => change(i, { amount })}
                error={
                  part.amount.trim() && (amounts[i] === null || amounts[i]! < 1) ? 'Enter an amount, e.g. 4.50.' : null
                }
              />
            )}
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
            ? `${byPercent ? `${percentText(left)} %` : formatMoney(left, expense.currency)} left to place.`
            : `${byPercent ? `${percentText(-left)} %` : formatMoney(-left, expense.currency)} too much.`}
      </p>
      <ErrorMessage message={error} />
      <div class="actions">
        {parts.length < MAX_PARTS && (
          <button
            type="button"
            onClick={() => setParts((list) => [...list, { category: '', amount: '', percent: '' }])}
          >
            Add part
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            // Exact in minor units: the first parts take the units left over (model/splits.ts).
            const even = splitEvenly(expense.amount, parts.length);
            const evenPoints = splitEvenly(WHOLE_BASIS_POINTS, parts.length);
            setParts((list) =>
              list.map((p, i) => ({
                ...p,
                amount: decimalAmount(even[i], expense.currency),
                percent: percentText(evenPoints[i]),
              })),
            );
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
