import { runtime, util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import { operations, update } from '@aws-appsync/utils/dynamodb';
import type { MutationUpdateExpenseArgs } from '../../generated/graphql';
import type { ExpenseItem } from '../../model/expenses';
import { statusKeyOf, type ReceiptItem } from '../../model/receipts';
import { callerId, failOnDataSourceError, isConditionFailure } from '../lib/errors';
import { callerChange } from '../lib/history';
import type { UpdateExpenseStash } from './index';

type ConfirmReviewContext = Context<
  MutationUpdateExpenseArgs,
  UpdateExpenseStash,
  { result: ExpenseItem },
  undefined,
  ReceiptItem
>;

/**
 * `reviewed: true`: the expense's receipt leaves the review queue (NEEDS_REVIEW → PROCESSED),
 * a change by the caller through the API in the receipt's history.
 * After the expense's write, so a failure here is finished by a retry (step 1 recognises the
 * written expense); only while it is still NEEDS_REVIEW, so a receipt being read again or
 * already confirmed is left as it is. The caller's own receipt only (the key starts with them).
 */
export function request(ctx: ConfirmReviewContext): DynamoDBUpdateItemRequest {
  const receiptId = ctx.stash.after && ctx.stash.after.receiptId;
  // Step 2's consistent read of it (null: none, or not the caller's).
  const receipt = ctx.stash.receipt;
  ctx.stash.receiptChange = null;
  if (ctx.args.input.reviewed !== true || !receiptId || !receipt || receipt.status !== 'NEEDS_REVIEW')
    runtime.earlyReturn(ctx.prev.result);
  // Its change in its history (step 11), carried on it in this write. Receipts count only their
  // recorded changes (functions/shared/receipt-history.ts): on the version read, so a concurrent
  // recorded change (OCR, retention) cannot take the same one.
  const version = (receipt.version || 0) + 1;
  const after = Object.assign({}, receipt, { status: 'PROCESSED', error: null, version });
  const change = callerChange(ctx, 'RECEIPT', receiptId, 'UPDATED', receipt, after);
  ctx.stash.receiptChange = change;
  return update<ReceiptItem>({
    key: { user_id: callerId(ctx), receipt_id: receiptId },
    update: {
      status: 'PROCESSED',
      status_key: statusKeyOf('PROCESSED', receiptId),
      updatedAt: util.time.nowISO8601(),
      // What NEEDS_REVIEW asked to check has been checked.
      error: operations.remove(),
      version,
      lastChange: operations.replace(change),
    },
    condition: {
      status: { eq: 'NEEDS_REVIEW' },
      version: receipt.version ? { eq: receipt.version } : { attributeExists: false },
    },
  });
}

export function response(ctx: ConfirmReviewContext): ExpenseItem {
  // Read again, or confirmed, meanwhile: left as it is, and no change of this request's to record.
  if (isConditionFailure(ctx)) ctx.stash.receiptChange = null;
  else failOnDataSourceError(ctx);
  return ctx.stash.after;
}
