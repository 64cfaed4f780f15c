import type { ComponentChildren, PartialInputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

type InputProps = Omit<PartialInputHTMLAttributes<HTMLInputElement>, 'label' | 'value' | 'onInput' | 'role'>;

/**
 * A labelled input with its hint and error tied to it (aria-describedby, aria-invalid), so a
 * screen reader reads the label, the rule and what went wrong together.
 */
export function Field(
  props: InputProps & {
    label: string;
    value: string;
    onValue: (value: string) => void;
    hint?: ComponentChildren;
    error?: string | null;
    /** Shown next to the label, e.g. an OCR confidence. */
    badge?: ComponentChildren;
  },
) {
  const { label, value, onValue, hint, error, badge, id: givenId, ...input } = props;
  const generated = useId();
  const id = (givenId as string | undefined) ?? generated;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>
        {label} {badge}
      </label>
      <input
        id={id}
        value={value}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        aria-invalid={error ? true : undefined}
        {...(input as Record<string, unknown>)}
      />
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  hint?: string;
  id?: string;
  name?: string;
  badge?: ComponentChildren;
  required?: boolean;
}) {
  const generated = useId();
  const id = props.id ?? generated;
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>
        {props.label} {props.badge}
      </label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        required={props.required}
        aria-describedby={hintId}
        onChange={(e) => props.onValue((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </div>
  );
}
