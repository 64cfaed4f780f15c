/**
 * A budget's id is its natural key, `<CATEGORY or ALL>-<PERIOD>` (e.g. DINING-MONTHLY): at
 * most one budget per category and period is then a plain conditional put (Conflict on the
 * second), safe under retries and crashes without transactions or a guard item.
 */
export function budgetIdOf(category: string | null | undefined, period: string): string {
  return `${category || 'ALL'}-${period}`;
}

export const DEFAULT_THRESHOLDS = [50, 80, 100];

const PERIOD_NAMES: Record<string, string> = { WEEKLY: 'Weekly', MONTHLY: 'Monthly', YEARLY: 'Yearly' };

export function defaultBudgetName(category: string | null | undefined, period: string): string {
  const what = category ? `${category.substring(0, 1)}${category.substring(1).toLowerCase()}` : 'All spending';
  return `${PERIOD_NAMES[period]} ${what}`;
}
