import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../lib/errors.ts';
import { ErrorMessage } from './page.tsx';

/**
 * A deletion confirmed in a dialog: what it means (`children`), then Delete and Cancel. Delete runs `remove`;
 * an error stays in the dialog, said of `what` ("this expense").
 */
export function ConfirmDelete(props: {
  what: string;
  remove(): Promise<unknown>;
  onDeleted(): void;
  onCancel(): void;
  children: ComponentChildren;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await props.remove();
      props.onDeleted();
    } catch (caught) {
      setError(describeError(caught, props.what));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      <p>{props.children}</p>
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
