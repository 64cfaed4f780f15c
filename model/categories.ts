import type { Category, CustomCategory } from '../generated/graphql.ts';

/**
 * A user's own categories (the schema's CustomCategory), all in ONE item of the Categories table
 * per user, keyed by user_id:
 *
 * - `category:<id>`: each category as a map (CategoryEntry), live or a tombstone: a merged one
 *   (`status` MERGED, `mergedInto` the category it went into) or a deleted one (DELETED).
 * - `name:<lower-case name>`: the id of the live category holding that name (the claim that
 *   makes names unique per user, ignoring case).
 * - `live` / `total`: how many are live, how many were ever created (tombstones included).
 *
 * Why one item rather than an item per category: every change (a new name claimed within the
 * limit, a rename freeing one name and claiming another, a merge or delete) is then ONE conditional
 * UpdateItem, atomic without transactions (which the data path does without, local/appsync
 * data-sources). Expenses refer to a category by id, never copy its name, so a rename is one write
 * and shows everywhere; a merge or delete is one write too, whatever the number of expenses (no
 * expense is rewritten): the tombstone stays, and an expense's `customCategory` follows it on read
 * (resolvedCategoryOf), one GetItem of this item. Since tombstones stay, they are bounded with the
 * live ones: MAX_CATEGORIES live and MAX_CATEGORY_ENTRIES in all keep the item small (about 300
 * bytes an entry, under 100 KB; DynamoDB allows 400 KB) and its read a few capacity units, as one
 * Query of a partition of as many items would cost.
 *
 * Attributes are top-level (as model/budgets.ts pendingAlertAttributeOf), not entries of a map: a
 * nested path can only be set when its map exists, and a user's first category makes the item.
 * Valid APPSYNC_JS: the resolvers run it.
 */
export const MAX_CATEGORIES = 100;
/** Categories ever created by a user, merged and deleted ones included (their tombstones stay). */
export const MAX_CATEGORY_ENTRIES = 300;
export const MAX_CATEGORY_NAME_LENGTH = 40;
export const MAX_CATEGORY_ICON_LENGTH = 16;

export type CategoryStatus = 'ACTIVE' | 'MERGED' | 'DELETED';

/** One category in the user's Categories item (`category:<id>`). */
export type CategoryEntry = {
  id: string;
  name: string;
  colour: string;
  icon: string | null;
  parent: Category;
  status: CategoryStatus;
  /** MERGED: the category it was merged into (which may itself have been merged or deleted since). */
  mergedInto: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** The Categories table item of one user (see above); absent until their first category. */
export type CategoriesItem = {
  user_id: string;
  live?: number;
  total?: number;
  [attribute: string]: unknown;
};

/** The Categories table's key. */
export type CategoriesKey = Pick<CategoriesItem, 'user_id'>;

/** A custom category as the API answers it. */
export type CustomCategoryObject = Omit<CustomCategory, '__typename'>;

const ENTRY_PREFIX = 'category:';
const NAME_PREFIX = 'name:';

/** The attribute holding category `id`. */
export function categoryAttributeOf(id: string): string {
  return `${ENTRY_PREFIX}${id}`;
}

/** What makes two names the same: trimmed, lower case. */
export function categoryNameKeyOf(name: string): string {
  return name.trim().toLowerCase();
}

/** The attribute claiming a name (categoryNameKeyOf) for a live category. */
export function nameClaimAttributeOf(name: string): string {
  return `${NAME_PREFIX}${categoryNameKeyOf(name)}`;
}

/** `category:<id>` of the item, or null when it has none of that id (another user's ids included: the item is the caller's). */
export function categoryEntryOf(item: CategoriesItem | null | undefined, id: string): CategoryEntry | null {
  if (!item) return null;
  const entry = item[categoryAttributeOf(id)] as CategoryEntry | undefined;
  return entry || null;
}

/** The live category of that id, or null (missing, merged or deleted). */
export function liveCategoryOf(item: CategoriesItem | null | undefined, id: string): CategoryEntry | null {
  const entry = categoryEntryOf(item, id);
  return entry && entry.status === 'ACTIVE' ? entry : null;
}

/** The id of the live category holding the name (ignoring case), or null. */
export function nameHolderOf(item: CategoriesItem | null | undefined, name: string): string | null {
  if (!item) return null;
  const holder = item[nameClaimAttributeOf(name)] as string | undefined;
  return holder || null;
}

/** Every category of the item, merged and deleted ones included (tombstones: expenses still name them). */
export function categoryEntriesOf(item: CategoriesItem | null | undefined): CategoryEntry[] {
  const out: CategoryEntry[] = [];
  if (!item) return out;
  for (const attribute of Object.keys(item)) {
    if (attribute.startsWith(ENTRY_PREFIX)) out.push(item[attribute] as CategoryEntry);
  }
  return out;
}

/** Every live category, by name ignoring case (then by id: a name differs from another in case at most). */
export function liveCategoriesOf(item: CategoriesItem | null | undefined): CategoryEntry[] {
  const byKey: Record<string, CategoryEntry> = {};
  const keys: string[] = [];
  if (!item) return [];
  for (const attribute of Object.keys(item)) {
    if (attribute.startsWith(ENTRY_PREFIX)) {
      const entry = item[attribute] as CategoryEntry;
      if (entry.status === 'ACTIVE') {
        const key = `${categoryNameKeyOf(entry.name)}\u0000${entry.id}`;
        byKey[key] = entry;
        keys.push(key);
      }
    }
  }
  // Sorted by key rather than with a comparator: APPSYNC_JS passes no function as an argument.
  return keys.sort().map((key) => byKey[key]);
}

/**
 * What an expense filed under `id` shows: that category, or the one it was merged into (and so
 * on: merges chain); null when it, or where its merges lead, was deleted, or it never was the
 * user's. A chain is at most as long as the item has attributes (each merge points at a category
 * live at the time, so it never loops: the bound only guards a damaged item).
 */
export function resolvedCategoryOf(item: CategoriesItem | null | undefined, id: string): CategoryEntry | null {
  const entry = mergeEndOf(item, id);
  return entry && entry.status === 'ACTIVE' ? entry : null;
}

/**
 * Where the merges from category `id` end: the live category they lead to, or the deleted one
 * (or a merged one whose target is missing: a damaged item); null when the item has no such id.
 */
function mergeEndOf(item: CategoriesItem | null | undefined, id: string): CategoryEntry | null {
  let entry = categoryEntryOf(item, id);
  if (!item || !entry) return null;
  for (const _step of Object.keys(item)) {
    const next: CategoryEntry | null =
      entry.status === 'MERGED' && entry.mergedInto ? categoryEntryOf(item, entry.mergedInto) : null;
    if (next) entry = next;
  }
  return entry;
}

/** How a new expense is filed under what a merchant learned: a default category, and the custom one within it (or none). */
export type LearnedFiling = { category: Category; customCategoryId: string | null };

/**
 * Where a new expense goes when its merchant learned custom category `id` (model/merchants.ts):
 * that category, or the one it was merged into (merges chain), under its parent; when it (or
 * where its merges lead) was deleted, that category's parent alone, never the id of a category
 * that is no longer live. Null when the item has no such id (it never was the user's).
 */
export function learnedFilingOf(item: CategoriesItem | null | undefined, id: string): LearnedFiling | null {
  const entry = mergeEndOf(item, id);
  if (!entry) return null;
  return { category: entry.parent, customCategoryId: entry.status === 'ACTIVE' ? entry.id : null };
}

/** A colour as `#RRGGBB` with hex digits in either case, upper-cased; null when it is not one. */
export function normalisedColourOf(colour: string): string | null {
  if (colour.length !== 7 || colour.substring(0, 1) !== '#') return null;
  const digits = colour.substring(1).toUpperCase();
  for (const c of digits.split('')) if ('0123456789ABCDEF'.indexOf(c) < 0) return null;
  return `#${digits}`;
}

export function toCustomCategory(entry: CategoryEntry): CustomCategoryObject {
  return {
    id: entry.id,
    name: entry.name,
    colour: entry.colour,
    icon: entry.icon || null,
    parent: entry.parent,
    version: entry.version,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

/**
 * An expense of a list page (listExpenses, searchExpenses) with its custom category resolved once
 * for the whole page (null: none, or merged into nothing live, or deleted): Expense.customCategory
 * answers it without a read. Not a schema field: the client never sees it.
 */
export type WithPageCategory<T> = T & { customCategoryOfPage?: CustomCategoryObject | null };

/** `expense` with its custom category resolved in the owner's item, as Expense.customCategory would (resolvedCategoryOf). */
export function withPageCategory<T extends { customCategoryId?: string | null }>(
  expense: T,
  item: CategoriesItem | null | undefined,
): WithPageCategory<T> {
  const entry = expense.customCategoryId ? resolvedCategoryOf(item, expense.customCategoryId) : null;
  return Object.assign({}, expense, { customCategoryOfPage: entry ? toCustomCategory(entry) : null });
}
