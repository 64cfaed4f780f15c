import type { Budget, Expense, Receipt } from '../generated/graphql.ts';
import type { BudgetObject } from './budgets.ts';
import type { ExpenseObject } from './expenses.ts';
import type { ReceiptObject } from './receipts.ts';

/**
 * A schema type as a resolver or a Lambda data source answers it: the objects that have field
 * resolvers of their own (Receipt.expense and .imageUrl, Expense.receipt, Budget.status) in the
 * shape those resolvers work on (ReceiptObject, ExpenseObject, BudgetObject), at any depth.
 * E.g. `Answer<Mutation['createReceiptUpload']>` is a ReceiptUpload whose `receipt` is a ReceiptObject.
 */
export type Answer<T> = T extends Receipt
  ? ReceiptObject
  : T extends Expense
    ? ExpenseObject
    : T extends Budget
      ? BudgetObject
      : T extends Array<infer E>
        ? Array<Answer<E>>
        : T extends object
          ? { [K in keyof T]: Answer<T[K]> }
          : T;
