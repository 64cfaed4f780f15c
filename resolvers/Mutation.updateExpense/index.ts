import { util, type Context } from '@aws-appsync/utils';
import type { MutationUpdateExpenseArgs, UpdateExpenseInput } from '../../generated/graphql';
import type { ExpenseItem, ExpenseObject } from '../../model/expenses';
import type { ChangeRecord } from '../../model/history';
import type { ReceiptItem } from '../../model/receipts';
import type { ExpenseChangeStash } from '../lib/budget-evaluation';
import type { ConversionStash } from '../lib/conversion';
import type { CustomCategoryStash } from '../lib/custom-category-step';
import type { ProfileStash } from '../lib/profile-for-currency';
import { given, invalid } from '../lib/errors';
import { toExpense } from '../lib/items';
import { checkAmount, checkCurrency, checkExpenseDate, checkTags, checkText, checkVersion } from '../lib/validation';

/**
 * What the steps hand on. Step 1: the item before the change (null when a retry finishes a
 * change already written), whether it was (`applied`, then also `after`), and the merchant the
 * expense has once changed; step 2: the receipt it was read from (null when not needed); steps 5
 * and 6: the profile and the conversion when the money changes; step 7: the item after the write
 * (for steps 9-13: the histories, the search index, the budgets).
 */
export type UpdateExpenseStash = CustomCategoryStash &
  ExpenseChangeStash &
  ProfileStash &
  ConversionStash & {
    after: ExpenseItem;
    merchantAfter: string;
    receipt: ReceiptItem | null;
    /** Step 8's change of the receipt (`reviewed`), for step 11; null when none was made. */
    receiptChange: ChangeRecord | null;
  } & ({ applied: false; before: ExpenseItem } | { applied: true; before: null });

type UpdateExpenseContext = Context<MutationUpdateExpenseArgs, UpdateExpenseStash, { result: ExpenseItem }>;

/** The fields besides `note` that a change must give at least one of. */
const CHANGEABLE: Array<keyof UpdateExpenseInput> = [
  'merchant',
  'amount',
  'currency',
  'date',
  'category',
  'customCategoryId',
];

/**
 * updateExpense: validate → with customCategoryId, read that custom category of the caller's (its
 * parent becomes the category; NotFound when it is not theirs) → read the current item (the caller's, or NotFound; Conflict unless
 * its version is still `expectedVersion`) → when the category or custom category changes, read the receipt and
 * remember merchant → category (and custom category) for this user (learning), under the merchant's new name and
 * under the name the OCR read from its receipt (or, typed in, the name it had before) → when
 * the amount, currency or day change, read the profile and convert into the home currency → write
 * the expense only if its version is still `expectedVersion` → with `reviewed`, move its receipt
 * from NEEDS_REVIEW to PROCESSED → its history (and the receipt's) → its search index entries (SearchFn: old words
 * out, new ones in) → budgets (asynchronous).
 *
 * Every step that can fail runs before the one write, and the learning writes are idempotent:
 * a failure leaves the expense as it was and a retry with the same input completes. A retry
 * after the write itself (the answer was lost) is recognised in step 1 and finished, not refused.
 *
 * null leaves merchant, amount, currency, date and category as they are (the schema's
 * "omitted fields stay as they are"); a null or empty note removes the note.
 */
export function request(ctx: UpdateExpenseContext): Record<string, never> {
  const input = ctx.args.input;
  checkVersion('expectedVersion', input.expectedVersion);
  if (given(input.merchant)) checkText('merchant', input.merchant, 1, 200);
  if (given(input.amount)) checkAmount('amount', input.amount);
  if (given(input.currency)) checkCurrency('currency', input.currency);
  if (given(input.date)) checkExpenseDate('date', input.date, util.time.nowEpochMilliSeconds());
  if (given(input.note)) checkText('note', input.note, 0, 1000);
  if (given(input.tags)) checkTags('tags', input.tags);
  const changed = CHANGEABLE.filter((f) => given(input[f]));
  if (changed.length === 0 && input.note === undefined && !given(input.tags) && input.reviewed !== true)
    invalid('input', 'Nothing to update: give at least one field');
  return {};
}

export function response(ctx: UpdateExpenseContext): ExpenseObject {
  return toExpense(ctx.stash.after);
}
