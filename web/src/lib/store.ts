import { useEffect, useReducer } from 'preact/hooks';

/** A value components re-render on: the app's few shared states (session, profile, toasts, uploads). */
export interface Store<T> {
  get(): T;
  set(value: T): void;
  update(change: (value: T) => T): void;
  subscribe(listener: (value: T) => void): () => void;
  use(): T;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  const store: Store<T> = {
    get: () => value,
    set(next) {
      value = next;
      for (const listener of [...listeners]) listener(value);
    },
    update: (change) => store.set(change(value)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    use() {
      const [, rerender] = useReducer((n: number) => n + 1, 0);
      useEffect(() => store.subscribe(() => rerender(0)), []);
      return value;
    },
  };
  return store;
}
