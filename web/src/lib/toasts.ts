import { createStore } from './store.ts';

/** Messages that come to the person (budget alerts, finished uploads): shown until dismissed. */
export interface Toast {
  id: string;
  title: string;
  body: string;
  tone: 'info' | 'warning' | 'danger' | 'success';
}

export const toasts = createStore<Toast[]>([]);

export function showToast(toast: Toast): void {
  toasts.update((list) => (list.some((t) => t.id === toast.id) ? list : [...list.slice(-4), toast]));
}

export function dismissToast(id: string): void {
  toasts.update((list) => list.filter((t) => t.id !== id));
}
