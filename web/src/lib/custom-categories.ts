import { gql } from '../api/client.ts';
import { LIST_CATEGORIES, type CustomCategory, type ListCategoriesData } from '../api/operations.ts';
import { session } from '../auth/session.ts';
import { createStore } from './store.ts';

/**
 * The user's own categories (listCategories, by name), read once and kept here so the expenses
 * screen and Settings show the same list; every change in Settings replaces it with the API's answer.
 * null until first read.
 */
export const customCategories = createStore<CustomCategory[] | null>(null);

// Signed out, the list goes: the next account reads its own.
session.subscribe((state) => {
  if (state.status !== 'signedIn') customCategories.set(null);
});

let reading: Promise<CustomCategory[]> | null = null;

/** The list, read from the API on first use (or again with `fresh`). */
export function loadCustomCategories(fresh = false): Promise<CustomCategory[]> {
  const known = customCategories.get();
  if (known && !fresh) return Promise.resolve(known);
  reading ??= gql<ListCategoriesData>(LIST_CATEGORIES)
    .then(({ listCategories }) => {
      customCategories.set(listCategories);
      return listCategories;
    })
    .finally(() => (reading = null));
  return reading;
}

/** A category picker's value for one of the user's categories; a default category is its enum value. */
export const CUSTOM_PREFIX = 'custom:';
export const customValue = (id: string) => `${CUSTOM_PREFIX}${id}`;
export const customIdOf = (value: string) =>
  value.startsWith(CUSTOM_PREFIX) ? value.slice(CUSTOM_PREFIX.length) : null;
