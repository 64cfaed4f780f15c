import type { ChangeRecord } from './history.ts';
import type { Budget, BudgetAlertInput, BudgetPeriod, Category } from '../generated/graphql.ts';

/** A budget alert as it is claimed, kept pending and published (the schema's BudgetAlertInput). */
export type BudgetAlert = BudgetAlertInput;

/** A Budgets table item (keys snake_case as in model/tables.ts), as createBudget writes it. */
export type BudgetItem = {
  user_id: string;
  budget_id: string;
  name: string;
  /** null: all spending (or, with `tag`, all spending with that tag). */
  category: Category | null;
  /**
   * A tag budget: only expenses with this tag count (normalised as model/tags.ts stores tags).
   * Absent on budgets of a category or all spending.
   */
  tag?: string | null;
  /**
   * A custom-category budget: only expenses filed under this custom category (by the id they were
   * filed under) count; `category` is then its parent, so the budget reads its parent's slice.
   */
  customCategoryId?: string | null;
  period: BudgetPeriod;
  amount: number;
  currency: string;
  thresholds: number[];
  rollover: boolean;
  /** When the budget was created (UTC); rollover carries nothing from before its period. */
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Thresholds already claimed, by period start. */
  fired?: Record<string, number[]>;
  /**
   * Alerts claimed but not yet delivered on both channels: each is stored as an attribute of its
   * own (pendingAlertAttributeOf) and gathered here when the budget is read.
   */
  pendingAlerts?: PendingAlert[]; /** The entry of the last change (model/history.ts). */
  lastChange?: ChangeRecord;
};

/** The Budgets table's key. */
export type BudgetKey = Pick<BudgetItem, 'user_id' | 'budget_id'>;

/**
 * A Budget as the API answers it before its own field resolvers run (Budget.status is resolved
 * on it, by BudgetFn): what resolvers/lib/items.ts `toBudget` makes of a BudgetItem.
 */
export type BudgetObject = Omit<Budget, '__typename' | 'status'>;

const PENDING_ALERT_PREFIX = 'pendingAlert:';

/**
 * The budget item attribute that holds one pending alert, `pendingAlert:<alert id>`: a top-level
 * attribute rather than an entry of a map, since a nested path can only be set when its map
 * exists, and budgets written before pending alerts existed have none.
 */
export function pendingAlertAttributeOf(alertId: string): string {
  return `${PENDING_ALERT_PREFIX}${alertId}`;
}

/** Whether a budget item attribute is one of its pending alerts (pendingAlertAttributeOf). */
export function isPendingAlertAttribute(name: string): boolean {
  return name.startsWith(PENDING_ALERT_PREFIX);
}

/** An alert claimed on a budget and not yet delivered on both channels (functions/shared/budgets/alert-delivery.ts). */
export type PendingAlert = {
  alert: BudgetAlert;
  /** When the push went out (null: not yet). */
  pushedAt: string | null;
  /** When the email went out, or was found to have no address to go to (null: not yet). */
  emailedAt: string | null;
  /** Who is delivering it, and until when (epoch ms); a lapsed lease may be taken over. */
  leaseToken: string;
  leaseUntil: number;
};

/** What a budget limits: a category or all spending, narrowed to a tag or a custom category (never both). */
export type BudgetScope = {
  category?: Category | null;
  tag?: string | null;
  customCategoryId?: string | null;
};

/**
 * A budget's id is its natural key, `<scope>-<PERIOD>`, the scope being its category or ALL
 * (e.g. DINING-MONTHLY), `TAG#<tag>` or `CUSTOM#<custom category id>`: at most one budget per
 * scope and period is then a plain conditional put (Conflict on the second), safe under retries
 * and crashes without transactions or a guard item. Tags are lower case and categories upper
 * case without `#`, so no two scopes share an id.
 */
export function budgetIdOf(scope: BudgetScope, period: BudgetPeriod): string {
  if (scope.tag) return `TAG#${scope.tag}-${period}`;
  if (scope.customCategoryId) return `CUSTOM#${scope.customCategoryId}-${period}`;
  return `${scope.category || 'ALL'}-${period}`;
}

/** An alert's id, `<budgetId>:<periodStart>:<threshold>` (as the schema documents it): every redelivery carries the same one. */
export function alertIdOf(budgetId: string, periodStart: string, threshold: number): string {
  return `${budgetId}:${periodStart}:${threshold}`;
}

export const DEFAULT_THRESHOLDS = [50, 80, 100];

const PERIOD_NAMES: Record<BudgetPeriod, string> = { WEEKLY: 'Weekly', MONTHLY: 'Monthly', YEARLY: 'Yearly' };

/** `customCategoryName`: the custom category's name, for a custom-category budget. */
export function defaultBudgetName(scope: BudgetScope, period: BudgetPeriod, customCategoryName?: string): string {
  const category = scope.category;
  let what = category ? `${category.substring(0, 1)}${category.substring(1).toLowerCase()}` : 'All spending';
  if (scope.tag) what = `#${scope.tag}`;
  if (scope.customCategoryId && customCategoryName) what = customCategoryName;
  return `${PERIOD_NAMES[period]} ${what}`;
}

/** The expense attributes that decide whether it counts for a budget. */
export type ScopedExpense = { category: string; customCategoryId?: string | null; tags?: string[] | null };

/**
 * Whether an expense counts for the budget's scope: its category (none: every category), and a
 * tag budget's tag or a custom-category budget's custom category (by the id it was filed under).
 */
export function inBudgetScope(scope: BudgetScope, expense: ScopedExpense): boolean {
  if (scope.category && expense.category !== scope.category) return false;
  if (scope.customCategoryId && expense.customCategoryId !== scope.customCategoryId) return false;
  if (scope.tag && !(expense.tags || []).includes(scope.tag)) return false;
  return true;
}
