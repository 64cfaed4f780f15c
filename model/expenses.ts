import type { Category, CategorySource, Expense } from '../generated/graphql.ts';
import type { ChangeRecord } from './history.ts';
import type { Conversion } from './rates.ts';
import type { SplitPart } from './splits.ts';
import type { StatementLineRef } from './statements.ts';

/**
 * An Expenses table item, as every path writes it (typed-in by the resolvers, read by OCR).
 * Keys are snake_case as in model/tables.ts; the rest carries the schema's own names.
 * (A type, not an interface: the AppSync DynamoDB helpers key `put<ExpenseItem>` etc. on it.)
 */
export type ExpenseItem = {
  user_id: string;
  expense_id: string;
  merchant: string;
  amount: number;
  currency: string;
  date: string;
  category: Category;
  /** Sort key of user-category-index: categoryDateOf(category, date). */
  category_date: string;
  categorySource: CategorySource;
  categoryConfidence: number;
  receiptId: string | null;
  needsReview: boolean;
  note?: string | null;
  /** Descriptions of the receipt's line items (OCR), kept for search (model/search.ts). */
  lineItemText?: string[] | null;
  /** The user's custom category it is filed under (model/categories.ts); `category` is then its parent. */
  customCategoryId?: string | null;
  /** Free tags the user gave the expense (normalised, distinct, model/tags.ts). */
  tags?: string[] | null;
  /**
   * `amount` in the owner's home currency at the rate of `date` (model/rates.ts), written with
   * the expense; null while no rate is known (then `needsRate`). Absent on expenses written
   * before conversions existed: sums convert those when they read them.
   */
  converted?: Conversion | null;
  /** The bank or card statement line it was imported from or matched to (functions/statements). */
  statementLine?: StatementLineRef | null;
  /** Its parts across categories (model/splits.ts), summing to `amount`; absent or null when not split. */
  splits?: SplitPart[] | null;
  /** No rate converts it yet (a currency the ECB does not publish and the user set no rate for). */
  needsRate?: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The entry of the last change (model/history.ts). */
  lastChange?: ChangeRecord;
};

/** The Expenses table's key. */
export type ExpenseKey = Pick<ExpenseItem, 'user_id' | 'expense_id'>;

/** How an expense's category was chosen (and, learned, the custom category within it): what CategorizeFn answers the createExpense pipeline, and what OCR stores. */
export type ExpenseCategoryChoice = Pick<ExpenseItem, 'category' | 'categorySource' | 'categoryConfidence'> &
  Pick<ExpenseItem, 'customCategoryId'>;

/**
 * An Expense as the API answers it before its own field resolvers run (Expense.receipt and
 * Expense.customCategory are resolved on it): what resolvers/lib/items.ts `toExpense` makes of an ExpenseItem.
 */
export type ExpenseObject = Omit<Expense, '__typename' | 'receipt' | 'customCategory'>;

/** Sort key of user-category-index, `<category>#<date>`: "category X between two days" is one Query. */
export function categoryDateOf(category: Category, date: string): string {
  return `${category}#${date}`;
}
