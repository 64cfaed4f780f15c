import type { ComponentChildren } from 'preact';
import { useAction } from '../lib/action.ts';
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
  const { busy, error, run } = useAction(props.what);
  const remove = () =>
    run(async () => {
      await props.remove();
      props.onDeleted();
    });
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
