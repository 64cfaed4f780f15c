import { useId } from 'preact/hooks';
import type { Category } from '../../../generated/graphql.ts';
import type { CustomCategory } from '../api/operations.ts';
import { CATEGORIES, CATEGORY_LABELS } from '../lib/categories.ts';
import { customValue } from '../lib/custom-categories.ts';

type Shown = Pick<CustomCategory, 'name' | 'colour' | 'icon'>;

/** One of the user's categories as the app shows it: its colour swatch, its icon, its name. */
export function CustomCategoryName(props: { category: Shown; class?: string; title?: string }) {
  const { category } = props;
  return (
    <span class={`custom-category ${props.class ?? ''}`} title={props.title}>
      <span class="swatch" style={{ background: category.colour }} aria-hidden="true" />
      {category.icon && <span aria-hidden="true">{category.icon} </span>}
      {category.name}
    </span>
  );
}

/**
 * A select of the default categories and the user's own: a default category with own ones under
 * it becomes a group holding it and them (the native select keeps the keyboard and screen-reader
 * behaviour). Its value is the enum value, or customValue(id) for an own category.
 */
export function CategoryPicker(props: {
  label: string;
  value: string;
  onValue(value: string): void;
  custom: CustomCategory[];
  /** A first option such as "Choose for me" (value ''). */
  emptyLabel?: string;
  hint?: string;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const under = (parent: Category) => props.custom.filter((c) => c.parent === parent);
  const option = (category: Category) => (
    <option key={category} value={category}>
      {CATEGORY_LABELS[category]}
    </option>
  );
  const chosen = props.custom.find((c) => customValue(c.id) === props.value);
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <div class="picker">
        <select
          id={id}
          value={props.value}
          aria-describedby={hintId}
          onChange={(e) => props.onValue((e.currentTarget as HTMLSelectElement).value)}
        >
          {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
          {CATEGORIES.map((category) => {
            const own = under(category);
            if (own.length === 0) return option(category);
            return (
              <optgroup key={category} label={CATEGORY_LABELS[category]}>
                {option(category)}
                {own.map((c) => (
                  <option key={c.id} value={customValue(c.id)}>
                    {c.icon ? `${c.icon} ${c.name}` : c.name}
                  </option>
                ))}
              </optgroup>
            );
          })}
        </select>
        {chosen && <span class="swatch" style={{ background: chosen.colour }} aria-hidden="true" />}
      </div>
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </div>
  );
}
