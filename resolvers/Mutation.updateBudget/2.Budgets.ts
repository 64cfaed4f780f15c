import { util, type Context } from '@aws-appsync/utils';
import { update } from '@aws-appsync/utils/dynamodb';
import { callerId, conflict, failOnDataSourceError, given, isConditionFailure } from '../lib/errors';

// Category and period are the budget's identity; only these may change. `fired` (alerts
// already sent this period) belongs to the budget function and is never touched here.
export function request(ctx: Context) {
  const input = ctx.args.input;
  if (ctx.stash.before.version !== input.expectedVersion) conflict('budget', ctx.stash.before.version);
  const changes: Record<string, unknown> = { version: input.expectedVersion + 1, updatedAt: util.time.nowISO8601() };
  if (given(input.name)) changes.name = input.name.trim();
  if (given(input.amount)) changes.amount = input.amount;
  if (given(input.thresholds)) changes.thresholds = input.thresholds;
  if (given(input.rollover)) changes.rollover = input.rollover;
  return update({ key: { user_id: callerId(ctx), budget_id: input.id }, update: changes, condition: { version: { eq: input.expectedVersion } } });
}

export function response(ctx: Context) {
  // Changed or deleted between step 1's read and this write: which, and to what, is unknown.
  if (isConditionFailure(ctx)) conflict('budget', null);
  failOnDataSourceError(ctx);
  return ctx.result;
}
