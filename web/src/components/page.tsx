import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

let firstPage = true;

/**
 * A screen: its title in the tab and in an <h1> that takes the focus when the screen opens
 * after a navigation, so a screen reader announces where the person now is.
 */
export function Page(props: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Smart Expense Tracker`;
    if (firstPage) firstPage = false;
    else heading.current?.focus();
  }, [props.title]);
  return (
    <section class="screen">
      <div class="screen-head">
        <h1 ref={heading} tabIndex={-1}>
          {props.title}
        </h1>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

/** An error in words, read out when it appears. */
export function ErrorMessage(props: { message?: string | null; id?: string }) {
  if (!props.message) return null;
  return (
    <p class="notice danger" role="alert" id={props.id}>
      {props.message}
    </p>
  );
}
