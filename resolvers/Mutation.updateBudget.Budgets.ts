import { util, type Context } from '@aws-appsync/utils';
import { update } from '@aws-appsync/utils/dynamodb';
import { callerId, failOnDataSourceError, invalid, isConditionFailure, notFound } from './lib/errors';
import { toBudget } from './lib/items';
import { checkAmount, checkText, checkThresholds, checkVersion } from './lib/validation';

// Category and period are the budget's identity; only these may change. `fired` (alerts
// already sent this period) belongs to the budget function and is never touched here.
export function request(ctx: Context) {
  const input = ctx.args.input;
  checkVersion('expectedVersion', input.expectedVersion);
  const changes: Record<string, unknown> = {};
  if (input.name) {
    checkText('name', input.name, 1, 100);
    changes.name = input.name.trim();
  }
  if (input.amount !== undefined && input.amount !== null) {
    checkAmount('amount', input.amount);
    changes.amount = input.amount;
  }
  if (input.thresholds) {
    checkThresholds('thresholds', input.thresholds);
    changes.thresholds = input.thresholds;
  }
  if (input.rollover !== undefined && input.rollover !== null) changes.rollover = input.rollover;
  if (Object.keys(changes).length === 0) invalid('input', 'Nothing to update: give at least one field');
  changes.version = input.expectedVersion + 1;
  changes.updatedAt = util.time.nowISO8601();
  return update({ key: { user_id: callerId(ctx), budget_id: input.id }, update: changes, condition: { version: { eq: input.expectedVersion } } });
}

export function response(ctx: Context) {
  if (isConditionFailure(ctx)) {
    if (!ctx.result) notFound('Budget', ctx.args.input.id);
    util.error('The budget changed since you read it; read it again and retry', 'Conflict', null, { currentVersion: ctx.result.version });
  }
  failOnDataSourceError(ctx);
  return toBudget(ctx.result);
}
