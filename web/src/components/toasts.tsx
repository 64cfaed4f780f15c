import { dismissToast, toasts } from '../lib/toasts.ts';

/** Alerts and notices, announced politely to screen readers, kept until dismissed (no time limit). */
export function Toasts() {
  const list = toasts.use();
  return (
    <section class="toasts" aria-label="Notifications" aria-live="polite" aria-relevant="additions">
      {list.map((toast) => (
        <div key={toast.id} class={`toast ${toast.tone}`} data-toast-id={toast.id}>
          <div>
            <strong>{toast.title}</strong>
            <p>{toast.body}</p>
          </div>
          <button
            type="button"
            class="icon"
            onClick={() => dismissToast(toast.id)}
            aria-label={`Dismiss: ${toast.title}`}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
