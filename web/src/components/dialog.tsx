import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal on the browser's own <dialog>: focus moves in and is trapped there, Escape closes
 * it, and the focus returns to what opened it; no library needed for any of that.
 */
export function Dialog(props: { title: string; open: boolean; onClose(): void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (props.open && !element.open) {
      opener.current = document.activeElement;
      element.showModal();
    } else if (!props.open && element.open) {
      element.close();
    }
  }, [props.open]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby="dialog-title"
      onClose={() => {
        props.onClose();
        (opener.current as HTMLElement | null)?.focus?.();
      }}
    >
      {props.open && (
        <>
          <div class="dialog-head">
            <h2 id="dialog-title">{props.title}</h2>
            <button type="button" class="icon" aria-label="Close" onClick={() => dialog.current?.close()}>
              ×
            </button>
          </div>
          {props.children}
        </>
      )}
    </dialog>
  );
}
