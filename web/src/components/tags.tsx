import { useId } from 'preact/hooks';
import { MAX_TAG_LENGTH, MAX_TAGS, normalisedTags } from '../../../model/tags.ts';

/**
 * An expense's tags as chips, in a list a screen reader names. With `onTag`, each chip is a
 * button that searches for its tag.
 */
export function TagChips(props: { tags: readonly string[]; label: string; onTag?(tag: string): void }) {
  if (props.tags.length === 0) return null;
  const { onTag } = props;
  return (
    <ul class="tags" aria-label={props.label}>
      {props.tags.map((tag) =>
        onTag ? (
          <li key={tag} class="tag searchable">
            <button type="button" class="tag-search" aria-label={`Search for tag ${tag}`} onClick={() => onTag(tag)}>
              {tag}
            </button>
          </li>
        ) : (
          <li key={tag} class="tag">
            {tag}
          </li>
        ),
      )}
    </ul>
  );
}

/**
 * The tags typed so far added to `tags` as the API stores them (trimmed, lower case, distinct,
 * at most MAX_TAGS); commas separate several. An error in words when one is too long.
 */
export function withTypedTags(tags: readonly string[], typed: string): { tags: string[]; error: string | null } {
  const added = typed.split(',');
  if (added.some((tag) => tag.trim().length > MAX_TAG_LENGTH))
    return { tags: [...tags], error: `A tag can have at most ${MAX_TAG_LENGTH} characters.` };
  const all = normalisedTags([...tags, ...added]);
  if (all.length > MAX_TAGS) return { tags: [...tags], error: `An expense can have at most ${MAX_TAGS} tags.` };
  return { tags: all, error: null };
}

/**
 * Tags in a form: the current ones as chips, each with its own remove button, and an input that
 * adds what is typed on Enter or "Add tag" (Enter there never submits the form). What is still
 * typed when the form is saved is added by the form itself (withTypedTags).
 */
export function TagEditor(props: {
  tags: string[];
  onTags(tags: string[]): void;
  typed: string;
  onTyped(typed: string): void;
  error: string | null;
  onError(error: string | null): void;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  function add() {
    const { tags, error } = withTypedTags(props.tags, props.typed);
    props.onError(error);
    if (error) return;
    props.onTags(tags);
    props.onTyped('');
  }

  return (
    <div class={`field tag-editor${props.error ? ' invalid' : ''}`}>
      <label for={id}>Tags</label>
      {props.tags.length > 0 && (
        <ul class="tags" aria-label="Tags of this expense">
          {props.tags.map((tag) => (
            <li key={tag} class="tag">
              {tag}
              <button
                type="button"
                class="tag-remove"
                aria-label={`Remove tag ${tag}`}
                onClick={() => props.onTags(props.tags.filter((t) => t !== tag))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="tag-add">
        <input
          id={id}
          value={props.typed}
          maxLength={MAX_TAG_LENGTH * 4}
          autoComplete="off"
          aria-describedby={props.error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={props.error ? true : undefined}
          onInput={(e) => props.onTyped((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && props.typed.trim()) {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add} disabled={!props.typed.trim()}>
          Add tag
        </button>
      </div>
      <p class="hint" id={hintId}>
        E.g. “team lunch”: press Enter or Add tag. Up to {MAX_TAGS}, searchable like the merchant.
      </p>
      {props.error && (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}
