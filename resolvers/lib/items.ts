/**
 * Table items to GraphQL objects: keys are snake_case in DynamoDB (infra/tables.ts), the
 * rest is stored under the schema's own names, so mapping is just the ids.
 */
export function toUser(item: any) {
  return { ...item, id: item.user_id, name: item.name || null };
}

export function toExpense(item: any) {
  return { ...item, id: item.expense_id, note: item.note || null, receiptId: item.receiptId || null, needsReview: !!item.needsReview };
}

export function toReceipt(item: any) {
  return { ...item, id: item.receipt_id, owner: item.user_id };
}

export function toBudget(item: any) {
  return { ...item, id: item.budget_id, category: item.category || null, rollover: !!item.rollover };
}

/** Sort key of user-category-index: "category X between two days" is one Query. */
export function categoryDateOf(category: string, date: string): string {
  return `${category}#${date}`;
}
