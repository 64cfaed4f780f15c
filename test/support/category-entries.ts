import { categoryAttributeOf, type CategoriesItem, type CategoryEntry } from '../../model/categories.ts';

/** A category entry as the Categories item holds it (model/categories.ts), live unless told. */
export function categoryEntry(id: string, fields: Partial<CategoryEntry> = {}): CategoryEntry {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id,
    name: id,
    colour: '#000000',
    icon: null,
    parent: 'DINING',
    status: 'ACTIVE',
    mergedInto: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

/** A user's Categories item holding these entries. */
export function categoriesItemOf(userId: string, ...entries: CategoryEntry[]): CategoriesItem {
  const item: CategoriesItem = { user_id: userId };
  for (const entry of entries) item[categoryAttributeOf(entry.id)] = entry;
  return item;
}
