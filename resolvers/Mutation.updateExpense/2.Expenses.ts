import { util, type Context } from '@aws-appsync/utils';
import { operations, update } from '@aws-appsync/utils/dynamodb';
import { callerId, conflict, failOnDataSourceError, given, isConditionFailure } from '../lib/errors';
import { categoryDateOf } from '../lib/items';

// Optimistic concurrency: the write succeeds only on the version the client read. Conflict is
// decided on step 1's consistent read: AppSync's reference only implies that a rejected write
// leaves the current item in ctx.result, so nothing here depends on it.
export function request(ctx: Context) {
  const input = ctx.args.input;
  const before = ctx.stash.before;
  if (before.version !== input.expectedVersion) conflict('expense', before.version);
  const changes: Record<string, unknown> = { version: input.expectedVersion + 1, updatedAt: util.time.nowISO8601() };
  if (given(input.merchant)) changes.merchant = input.merchant.trim();
  if (given(input.amount)) changes.amount = input.amount;
  if (given(input.currency)) changes.currency = input.currency;
  if (given(input.date)) changes.date = input.date;
  if (input.note !== undefined) changes.note = input.note ? input.note : operations.remove();
  if (given(input.category)) {
    changes.category = input.category;
    changes.categorySource = 'USER';
    changes.categoryConfidence = 1;
  }
  if (input.category || input.date) changes.category_date = categoryDateOf(input.category || before.category, input.date || before.date);
  return update({
    key: { user_id: callerId(ctx), expense_id: input.id },
    update: changes,
    condition: { version: { eq: input.expectedVersion } },
  });
}

export function response(ctx: Context) {
  // Changed or deleted between step 1's read and this write: which, and to what, is unknown.
  if (isConditionFailure(ctx)) conflict('expense', null);
  failOnDataSourceError(ctx);
  ctx.stash.after = ctx.result;
  return ctx.result;
}
