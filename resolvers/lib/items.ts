import type { BudgetItem, BudgetObject } from '../../model/budgets';
import type { ExpenseSplit } from '../../generated/graphql';
import type { ExpenseItem, ExpenseObject } from '../../model/expenses';
import { convertedPartsOf, splitsOf } from '../../model/splits';

export { toReceipt } from '../../model/receipts';
export { toUser } from '../../model/users';

/**
 * Table items to GraphQL objects: keys are snake_case in DynamoDB (model/tables.ts), the
 * rest is stored under the schema's own names, so mapping is the ids and the optional fields
 * (an attribute never written is null to the schema). A receipt is mapped in model/receipts.ts,
 * shared with ReceiptFn.
 */
export function toExpense(item: ExpenseItem): ExpenseObject {
  return {
    ...item,
    id: item.expense_id,
    note: item.note || null,
    tags: item.tags || [],
    customCategoryId: item.customCategoryId || null,
    receiptId: item.receiptId || null,
    needsReview: !!item.needsReview,
    converted: item.converted || null,
    needsRate: !!item.needsRate,
    statementLine: item.statementLine || null,
    splits: splitsOut(item),
  };
}

/** The parts of a split expense, each with its exact share of the converted amount; null when not split. */
function splitsOut(item: ExpenseItem): ExpenseSplit[] | null {
  const parts = splitsOf(item);
  if (parts.length === 0) return null;
  const converted = item.converted ? convertedPartsOf(item.converted.amount, parts) : null;
  return parts.map((p, i) => ({
    amount: p.amount,
    category: p.category,
    customCategoryId: p.customCategoryId || null,
    description: p.description || null,
    lineItems: p.lineItems || null,
    converted: converted ? converted[i] : null,
  }));
}

export function toBudget(item: BudgetItem): BudgetObject {
  return {
    ...item,
    id: item.budget_id,
    category: item.category || null,
    tag: item.tag || null,
    customCategoryId: item.customCategoryId || null,
    rollover: !!item.rollover,
  };
}

/** A DynamoDB Query's page as the resolver's response sees it (`ctx.result`). */
export type QueryPage<Item> = { items: Item[]; nextToken?: string | null };
