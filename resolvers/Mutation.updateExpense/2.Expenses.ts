import { util, type Context } from '@aws-appsync/utils';
import { operations, update } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, isConditionFailure, notFound } from '../lib/errors';
import { categoryDateOf } from '../lib/items';

// Optimistic concurrency: the write succeeds only on the version the client read.
export function request(ctx: Context) {
  const input = ctx.args.input;
  const before = ctx.stash.before;
  const changes: Record<string, unknown> = { version: input.expectedVersion + 1, updatedAt: util.time.nowISO8601() };
  if (input.merchant) changes.merchant = input.merchant.trim();
  if (input.amount) changes.amount = input.amount;
  if (input.currency) changes.currency = input.currency;
  if (input.date) changes.date = input.date;
  if (input.note !== undefined) changes.note = input.note ? input.note : operations.remove();
  if (input.category) {
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
  if (isConditionFailure(ctx)) {
    // ctx.result is the item as it is now: gone (deleted meanwhile) or changed by someone else.
    if (!ctx.result) notFound('Expense', ctx.args.input.id);
    util.error('The expense changed since you read it; read it again and retry', 'Conflict', null, { currentVersion: ctx.result.version });
  }
  failOnDataSourceError(ctx);
  ctx.stash.after = ctx.result;
  return ctx.result;
}
